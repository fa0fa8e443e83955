import { mkdtemp, readdir, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetMetadata, parquetSchema } from 'hyparquet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CorruptArchiveError,
  ForecastArchiveError,
  InvalidArchiveLocationError,
  PARTITION_FILE,
  openForecastArchive,
  parseArchiveLocation,
} from '../src/index';
import type { ArchivedAccuracy } from '../src/index';
import { FORECAST_COLUMNS, encodeTable } from '../src/parquetTables';
import { rows } from './fixtures';

describe('parseArchiveLocation', () => {
  it('makes an S3 prefix a folder and a local path absolute', () => {
    expect(parseArchiveLocation('s3://b/archive')).toEqual({
      kind: 's3',
      bucket: 'b',
      prefix: 'archive/',
    });
    expect(parseArchiveLocation('s3://b')).toEqual({ kind: 's3', bucket: 'b', prefix: '' });
    expect(parseArchiveLocation('out/archive')).toMatchObject({ kind: 'local' });
  });

  it('rejects an empty value and an S3 URI without a bucket', () => {
    expect(() => parseArchiveLocation(' ')).toThrow(InvalidArchiveLocationError);
    expect(() => parseArchiveLocation('s3:///x')).toThrow(/is not an S3 URI/);
  });
});

describe('openForecastArchive on a local directory', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'archive-test-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes Hive partitions that read back as written', async () => {
    const archive = openForecastArchive(dir);
    const first = rows('2025-06-29', ['A', 'B']);
    const uri = await archive.writeForecasts('2025-06-29', first);
    await archive.writeForecasts('2025-06-30', rows('2025-06-30', ['A']));

    expect(uri).toBe(`${dir}/forecasts/as_of=2025-06-29/`);
    expect(await readdir(join(dir, 'forecasts'))).toEqual(['as_of=2025-06-29', 'as_of=2025-06-30']);
    expect(await archive.partitions('forecasts')).toEqual(['2025-06-29', '2025-06-30']);
    expect(await archive.readForecasts({ to: '2025-06-29' })).toEqual(first);
    expect(await archive.readForecasts({ from: '2025-06-30' })).toHaveLength(2);
  });

  it('stores the documented column types', async () => {
    const archive = openForecastArchive(dir);
    await archive.writeForecasts('2025-06-28', rows('2025-06-28', ['A']));
    const { readFile } = await import('node:fs/promises');
    const bytes = await readFile(join(dir, 'forecasts/as_of=2025-06-28', PARTITION_FILE));
    const schema = parquetSchema(parquetMetadata(bytes.buffer.slice(bytes.byteOffset)));
    const types = Object.fromEntries(
      schema.children.map((c) => [
        c.element.name,
        [c.element.type, c.element.converted_type ?? null, c.element.repetition_type],
      ]),
    );
    expect(types).toEqual({
      product_id: ['BYTE_ARRAY', 'UTF8', 'REQUIRED'],
      as_of: ['INT32', 'DATE', 'REQUIRED'],
      forecast_date: ['INT32', 'DATE', 'REQUIRED'],
      horizon_day: ['INT32', null, 'REQUIRED'],
      p10: ['DOUBLE', null, 'REQUIRED'],
      p50: ['DOUBLE', null, 'REQUIRED'],
      p90: ['DOUBLE', null, 'REQUIRED'],
      mean: ['DOUBLE', null, 'OPTIONAL'],
      model: ['BYTE_ARRAY', 'UTF8', 'REQUIRED'],
      fallback_reason: ['BYTE_ARRAY', 'UTF8', 'OPTIONAL'],
      run_id: ['BYTE_ARRAY', 'UTF8', 'REQUIRED'],
    });
  });

  it('replaces its own partition on a rerun, removing stray files', async () => {
    const archive = openForecastArchive(dir);
    await mkdir(join(dir, 'forecasts/as_of=2025-06-29'), { recursive: true });
    await writeFile(join(dir, 'forecasts/as_of=2025-06-29/part-00001-old.parquet'), 'stale');
    const again = rows('2025-06-29', ['C'], 'run-2');
    await archive.writeForecasts('2025-06-29', again);

    expect(await readdir(join(dir, 'forecasts/as_of=2025-06-29'))).toEqual([PARTITION_FILE]);
    expect(await archive.readForecasts({ from: '2025-06-29', to: '2025-06-29' })).toEqual(again);
  });

  it('keeps the sibling shards of a shard run, and replaces a whole run and other shard counts', async () => {
    const part = 'forecasts/as_of=2025-07-01';
    await openForecastArchive(dir).writeForecasts('2025-07-01', rows('2025-07-01', ['W']));
    await mkdir(join(dir, part), { recursive: true });
    await writeFile(join(dir, part, 'part-00000-of-00003.snappy.parquet'), 'other N');
    const shard = (index: number) => openForecastArchive(dir, { shard: { index, count: 2 } });
    await shard(1).writeForecasts('2025-07-01', rows('2025-07-01', ['B']));
    await shard(0).writeForecasts('2025-07-01', rows('2025-07-01', ['A']));

    expect((await readdir(join(dir, part))).sort()).toEqual([
      'part-00000-of-00002.snappy.parquet',
      'part-00001-of-00002.snappy.parquet',
    ]);
    const ids = (await openForecastArchive(dir).readForecasts({ from: '2025-07-01' })).map(
      (r) => r.productId,
    );
    expect([...new Set(ids)].sort()).toEqual(['A', 'B']);

    // A whole run for the same as-of replaces the shards' files.
    await openForecastArchive(dir).writeForecasts('2025-07-01', rows('2025-07-01', ['W']));
    expect(await readdir(join(dir, part))).toEqual([PARTITION_FILE]);
  });

  it('round-trips accuracy rows with nulls', async () => {
    const archive = openForecastArchive(dir);
    const acc: ArchivedAccuracy[] = [
      {
        asOf: '2025-06-30',
        level: 'overall',
        key: 'all',
        kind: 'horizon_total',
        forecasts: 12,
        wape: 0.25,
        mase: 0.8,
        bias: -0.05,
        coverage: 0.75,
        runId: 'r',
      },
      {
        asOf: '2025-06-30',
        level: 'product',
        key: 'Z',
        kind: 'one_day_ahead',
        forecasts: 1,
        wape: null,
        mase: null,
        bias: null,
        coverage: 1,
        runId: 'r',
      },
    ];
    await archive.writeAccuracy('2025-06-30', acc);
    expect(await archive.readAccuracy()).toEqual(acc);
  });

  it('reads a file written before the mean column existed, with no mean', async () => {
    const before = FORECAST_COLUMNS.filter((c) => c.name !== 'mean');
    const written = rows('2025-05-01', ['A', 'B']);
    await mkdir(join(dir, 'forecasts/as_of=2025-05-01'), { recursive: true });
    await writeFile(
      join(dir, 'forecasts/as_of=2025-05-01', PARTITION_FILE),
      encodeTable(before, written),
    );
    const read = await openForecastArchive(dir).readForecasts({
      from: '2025-05-01',
      to: '2025-05-01',
    });
    expect(written.some((r) => r.mean !== null)).toBe(true);
    expect(read).toEqual(written.map((r) => ({ ...r, mean: null })));
  });

  it('names a required column a file lacks', async () => {
    const noP50 = FORECAST_COLUMNS.filter((c) => c.name !== 'p50');
    await mkdir(join(dir, 'forecasts/as_of=2025-05-02'), { recursive: true });
    const file = join(dir, 'forecasts/as_of=2025-05-02', PARTITION_FILE);
    await writeFile(file, encodeTable(noP50, rows('2025-05-02', ['A'])));
    await expect(
      openForecastArchive(dir).readForecasts({ from: '2025-05-02', to: '2025-05-02' }),
    ).rejects.toThrow(`${file} has no column p50 (expected a double`);
  });

  it('rejects rows of another as-of and a corrupt file', async () => {
    const archive = openForecastArchive(dir);
    await expect(archive.writeForecasts('2025-06-27', rows('2025-06-26', ['A']))).rejects.toThrow(
      ForecastArchiveError,
    );
    await mkdir(join(dir, 'forecasts/as_of=2025-01-01'), { recursive: true });
    await writeFile(join(dir, 'forecasts/as_of=2025-01-01/part-0.parquet'), 'not parquet');
    await expect(archive.readForecasts({ to: '2025-01-01' })).rejects.toThrow(CorruptArchiveError);
  });

  it('reads an archive that does not exist yet as empty', async () => {
    const archive = openForecastArchive(join(dir, 'nothing-here'));
    expect(await archive.partitions('forecasts')).toEqual([]);
    expect(await archive.readForecasts()).toEqual([]);
  });
});
