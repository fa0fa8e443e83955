import path from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  InvalidArgumentError,
  InvalidSourceError,
  NoDataError,
  SourceReadError,
  listDataFiles,
  loadSalesData,
  parseS3Uri,
} from '../src/index';
import { dataFileFormat } from '../src/listDataFiles';
import { tempDir, writeTree } from './fixtures';

describe('parseS3Uri', () => {
  it('splits bucket and prefix', () => {
    expect(parseS3Uri('s3://gold/forecast_ready/')).toEqual({
      bucket: 'gold',
      prefix: 'forecast_ready/',
    });
    expect(parseS3Uri('s3://gold')).toEqual({ bucket: 'gold', prefix: '' });
    expect(parseS3Uri('s3://gold/a/b/part-0.parquet')).toEqual({
      bucket: 'gold',
      prefix: 'a/b/part-0.parquet',
    });
  });

  it('rejects anything else, naming it', () => {
    expect(() => parseS3Uri('https://gold/x')).toThrow(InvalidSourceError);
    expect(() => parseS3Uri('s3:///x')).toThrow(
      '"s3:///x" is not an S3 URI (expected s3://bucket/prefix/)',
    );
  });
});

describe('dataFileFormat', () => {
  it.each([
    ['part-00000-abc.snappy.parquet', 'parquet'],
    ['day=2025-04-28/part-0.PARQUET', 'parquet'],
    ['export.csv', 'csv'],
    ['rows.jsonl', 'jsonl'],
    ['rows.ndjson', 'jsonl'],
    ['rows.json', 'json'],
  ])('keeps %s as %s', (key, format) => {
    expect(dataFileFormat(key)).toBe(format);
  });

  it.each([
    '_SUCCESS',
    '_temporary/0/part-0.parquet',
    'x/_temporary/part-0.csv',
    '.part-0.parquet.crc',
    'part-0.parquet.crc',
    'folder/',
    'README.md',
    '_committed_123',
    '',
  ])('ignores %s', (key) => {
    expect(dataFileFormat(key)).toBeUndefined();
  });
});

describe('listDataFiles on a local directory', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await tempDir()));
  afterEach(() => cleanup());

  it('walks recursively, keeps data files only and sorts them', async () => {
    await writeTree(dir, {
      'b/part-1.csv': 'x',
      'a/part-2.jsonl': 'x',
      'part-0.parquet': 'x',
      _SUCCESS: '',
      '.part-0.parquet.crc': 'x',
      '_temporary/0/part-9.parquet': 'x',
      'notes.txt': 'x',
    });
    const files = await listDataFiles(dir);
    expect(files).toEqual([
      { uri: path.join(dir, 'a/part-2.jsonl'), format: 'jsonl', size: 1 },
      { uri: path.join(dir, 'b/part-1.csv'), format: 'csv', size: 1 },
      { uri: path.join(dir, 'part-0.parquet'), format: 'parquet', size: 1 },
    ]);
  });

  it('loadSalesData throws NoDataError with the exact message for a directory without data files', async () => {
    await writeTree(dir, { _SUCCESS: '' });
    await expect(loadSalesData({ source: dir })).rejects.toThrow(new NoDataError(dir));
    await expect(loadSalesData({ source: dir })).rejects.toThrow(
      `no forecast_ready data under ${dir}`,
    );
  });

  it('fails with SourceReadError for a path that does not exist', async () => {
    const missing = path.join(dir, 'nope');
    const error = await listDataFiles(missing).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceReadError);
    expect((error as Error).message).toContain(`cannot read ${missing}: `);
  });

  it('rejects a single file that is not a data file', async () => {
    await writeTree(dir, { 'notes.txt': 'x' });
    await expect(listDataFiles(path.join(dir, 'notes.txt'))).rejects.toBeInstanceOf(
      InvalidSourceError,
    );
  });
});

describe('S3 access (mocked client)', () => {
  const s3 = mockClient(S3Client);
  beforeEach(() => s3.reset());
  afterAll(() => s3.restore());
  const client = new S3Client({ region: 'us-east-1' });

  it('follows continuation tokens and skips non-data keys', async () => {
    const pages = [
      {
        Contents: [
          { Key: 'fr/', Size: 0 },
          { Key: 'fr/_SUCCESS', Size: 0 },
          { Key: 'fr/part-0.parquet', Size: 10 },
        ],
        IsTruncated: true,
        NextContinuationToken: 't1',
      },
      {
        Contents: [
          { Key: 'fr/_temporary/0/part-1.parquet', Size: 5 },
          { Key: 'fr/part-1.csv', Size: 3 },
        ],
        IsTruncated: false,
      },
    ];
    // The paginator reuses one input object, so tokens are captured at call time.
    const requests: (string | undefined)[][] = [];
    s3.on(ListObjectsV2Command).callsFake(
      (input: { Bucket?: string; Prefix?: string; ContinuationToken?: string }) => {
        requests.push([input.Bucket, input.Prefix, input.ContinuationToken]);
        return pages[input.ContinuationToken === 't1' ? 1 : 0];
      },
    );
    // A prefix written without the trailing slash still lists the folder, not fr_old/.
    const files = await listDataFiles('s3://gold/fr', client);
    expect(files).toEqual([
      { uri: 's3://gold/fr/part-0.parquet', format: 'parquet', size: 10 },
      { uri: 's3://gold/fr/part-1.csv', format: 'csv', size: 3 },
    ]);
    expect(requests).toEqual([
      ['gold', 'fr/', undefined],
      ['gold', 'fr/', 't1'],
    ]);
  });

  it('wraps a listing failure in SourceReadError naming the location', async () => {
    s3.on(ListObjectsV2Command).rejects(
      Object.assign(new Error('The specified bucket does not exist'), { name: 'NoSuchBucket' }),
    );
    const error = await listDataFiles('s3://missing/fr/', client).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceReadError);
    expect((error as Error).message).toBe(
      'cannot list s3://missing/fr/: NoSuchBucket: The specified bucket does not exist',
    );
    expect((error as Error).cause).toBeInstanceOf(Error);
  });

  it('wraps a GetObject failure in SourceReadError naming the object', async () => {
    s3.on(ListObjectsV2Command).resolves({ Contents: [{ Key: 'fr/part-0.parquet', Size: 10 }] });
    s3.on(GetObjectCommand).rejects(
      Object.assign(new Error('Access Denied'), { name: 'AccessDenied' }),
    );
    const error = await loadSalesData({ source: 's3://gold/fr/', s3: client }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SourceReadError);
    expect(error).toMatchObject({ file: 's3://gold/fr/part-0.parquet', code: 'SOURCE_READ' });
    expect((error as Error).message).toBe(
      'cannot read s3://gold/fr/part-0.parquet: AccessDenied: Access Denied',
    );
  });

  it('refuses both a client and a client config', async () => {
    await expect(
      loadSalesData({ source: 's3://gold/fr/', s3: client, s3Config: { region: 'us-east-1' } }),
    ).rejects.toBeInstanceOf(InvalidArgumentError);
  });
});
