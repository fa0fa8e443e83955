import { ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalS3 } from '@retail-forecast/local-aws/testing';
import type { LocalS3 } from '@retail-forecast/local-aws/testing';
import { openForecastArchive, PARTITION_FILE } from '../src/index';
import { rows } from './fixtures';

describe('openForecastArchive on S3', () => {
  let local: LocalS3;
  let s3: S3Client;
  beforeAll(async () => {
    local = await startLocalS3({ buckets: ['lake'] });
    s3 = new S3Client(local.clientConfig);
  }, 30_000);
  afterAll(async () => {
    s3?.destroy();
    await local?.close();
  });

  const keys = async () =>
    ((await s3.send(new ListObjectsV2Command({ Bucket: 'lake' }))).Contents ?? [])
      .map((o) => o.Key)
      .sort();

  it('writes, overwrites and reads partitions under the prefix', async () => {
    const archive = openForecastArchive('s3://lake/archive', { s3 });
    await archive.writeForecasts('2025-06-29', rows('2025-06-29', ['A', 'B']));
    await s3.send(
      new PutObjectCommand({
        Bucket: 'lake',
        Key: 'archive/forecasts/as_of=2025-06-29/part-00009.parquet',
        Body: 'old',
      }),
    );
    const again = rows('2025-06-29', ['A'], 'run-2');
    const uri = await archive.writeForecasts('2025-06-29', again);
    await archive.writeForecasts('2025-06-30', rows('2025-06-30', ['A']));

    expect(uri).toBe('s3://lake/archive/forecasts/as_of=2025-06-29/');
    expect(await keys()).toEqual([
      `archive/forecasts/as_of=2025-06-29/${PARTITION_FILE}`,
      `archive/forecasts/as_of=2025-06-30/${PARTITION_FILE}`,
    ]);
    expect(await archive.readForecasts({ to: '2025-06-29' })).toEqual(again);
    expect(await archive.partitions('forecasts')).toEqual(['2025-06-29', '2025-06-30']);
  });
});
