import type { S3Client, S3ClientConfig } from '@aws-sdk/client-s3';
import type { Logger } from '@retail-forecast/util';
import type { ShardSpec } from '@retail-forecast/job-contract';

/** Where the archive lives. */
export type ArchiveLocation =
  | { kind: 's3'; bucket: string; /** Key prefix, '' or ending in '/'. */ prefix: string }
  | { kind: 'local'; /** Absolute directory path. */ dir: string };

/** One row of `forecasts/`: one product and forecast day of one run. */
export interface ArchivedForecast {
  productId: string;
  /** YYYY-MM-DD: the run's last day of history (the partition). */
  asOf: string;
  /** YYYY-MM-DD: the day forecast, as-of + horizonDay. */
  forecastDate: string;
  /** 1 for the day after as-of. */
  horizonDay: number;
  /** Published quantiles (units): P50 is the day's median. */
  p10: number;
  p50: number;
  p90: number;
  /**
   * Expected units that day (the model's mean) where the P50 is a count median
   * (`DailyForecast.mean`); null where the P50 is the mean, and in files written before the
   * column existed.
   */
  mean: number | null;
  model: string;
  fallbackReason: string | null;
  runId: string;
}

/** One row of `accuracy/`: realized accuracy of one group, as scored on the partition's as-of. */
export interface ArchivedAccuracy {
  /** YYYY-MM-DD: the run that scored it. */
  asOf: string;
  /** `product`, `category` or `overall`. */
  level: string;
  /** Product id, category name, or `all`. */
  key: string;
  /** `one_day_ahead` or `horizon_total`. */
  kind: string;
  /** Forecasts (as-of dates × products) scored. */
  forecasts: number;
  /** null where undefined (no demand, flat history). */
  wape: number | null;
  mase: number | null;
  bias: number | null;
  coverage: number | null;
  runId: string;
}

export interface ForecastArchiveOptions {
  /** A ready client (the app creates one at start-up). Mutually exclusive with `s3Config`. */
  s3?: S3Client;
  /** Config for a client the archive creates (and destroys on `close`). */
  s3Config?: S3ClientConfig;
  /** Default: `noopLogger`. */
  logger?: Logger;
  /**
   * A shard run (i/N, N > 1) writes `part-<i>-of-<N>.snappy.parquet` and leaves its sibling
   * shards' files of the same N in the partition; a whole run's file and other N's are replaced.
   */
  shard?: ShardSpec;
}

/** Inclusive as-of range of partitions to read; open ends read everything. */
export interface AsOfRange {
  from?: string;
  to?: string;
}
