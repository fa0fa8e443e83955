import type { ArchiveTable, ShardSpec } from '@retail-forecast/job-contract';
import { ARCHIVE_TABLES } from '@retail-forecast/job-contract';
import { isIsoDate, noopLogger } from '@retail-forecast/util';
import { ForecastArchiveError } from './errors';
import { describeLocation, parseArchiveLocation, partitionAsOf, partitionPrefix } from './location';
import { openObjectStore } from './objectStore';
import { ACCURACY_COLUMNS, FORECAST_COLUMNS, decodeTable, encodeTable } from './parquetTables';
import type {
  ArchivedAccuracy,
  ArchivedForecast,
  AsOfRange,
  ForecastArchiveOptions,
} from './types';

/** The one file of a partition; a rerun overwrites it and removes anything else there. */
export const PARTITION_FILE = 'part-00000.snappy.parquet';

const pad = (n: number) => String(n).padStart(5, '0');

/**
 * The file a run writes in a partition, and which other files in it are left in place: a whole
 * run replaces everything, shard i/N replaces all but its siblings' `part-*-of-<N>` files.
 */
export function partitionFile(shard?: ShardSpec): {
  name: string;
  keeps: (name: string) => boolean;
} {
  if (!shard || shard.count <= 1) return { name: PARTITION_FILE, keeps: () => false };
  const sibling = new RegExp(`^part-\\d{5}-of-${pad(shard.count)}\\.snappy\\.parquet$`);
  return {
    name: `part-${pad(shard.index)}-of-${pad(shard.count)}.snappy.parquet`,
    keeps: (name) => sibling.test(name),
  };
}

export interface ForecastArchive {
  /** `s3://bucket/prefix/` or the absolute directory. */
  readonly uri: string;
  /**
   * Replaces the `forecasts/as_of=<asOf>/` partition with these rows (a rerun for the same as-of
   * leaves exactly one file). Every row must carry `asOf`.
   * @returns the partition's URI
   */
  writeForecasts(asOf: string, rows: readonly ArchivedForecast[]): Promise<string>;
  /** Replaces the `accuracy/as_of=<asOf>/` partition. */
  writeAccuracy(asOf: string, rows: readonly ArchivedAccuracy[]): Promise<string>;
  /** As-of dates that have a partition in `table`, ascending. */
  partitions(table: ArchiveTable): Promise<string[]>;
  /** Every archived forecast row of the partitions in `range`, partition by partition. */
  readForecasts(range?: AsOfRange): Promise<ArchivedForecast[]>;
  readAccuracy(range?: AsOfRange): Promise<ArchivedAccuracy[]>;
  /** Destroys an S3 client the archive created itself. */
  close(): void;
}

/**
 * Opens the archive at `s3://bucket/prefix/` or a local directory. Layout (Hive partitions, one
 * Snappy Parquet file each): `forecasts/as_of=YYYY-MM-DD/part-00000.snappy.parquet`, the same
 * under `accuracy/`.
 * @throws InvalidArchiveLocationError for an unusable location
 */
export function openForecastArchive(
  uri: string,
  options: ForecastArchiveOptions = {},
): ForecastArchive {
  const location = parseArchiveLocation(uri);
  const store = openObjectStore(location, options);
  const logger = options.logger ?? noopLogger;
  const root = describeLocation(location);
  const file = partitionFile(options.shard);

  async function writePartition(
    table: ArchiveTable,
    asOf: string,
    body: Uint8Array,
    rows: number,
  ): Promise<string> {
    const prefix = partitionPrefix(table, asOf);
    const key = prefix + file.name;
    await store.put(key, body);
    // Written first, then the rest removed: a reader never finds the partition empty.
    const stale = (await store.list(prefix)).filter(
      (k) => k !== key && !file.keeps(k.slice(prefix.length)),
    );
    if (stale.length > 0) await store.delete(stale);
    logger.info('archive partition written', {
      partition: root + prefix,
      rows,
      replaced: stale.length,
    });
    return root + prefix;
  }

  async function partitions(table: ArchiveTable): Promise<string[]> {
    const dates = new Set<string>();
    for (const key of await store.list(`${ARCHIVE_TABLES[table]}/`)) {
      const parts = key.split('/');
      const asOf = parts.length === 3 ? partitionAsOf(parts[1]) : undefined;
      if (asOf !== undefined && isDataFile(parts[2])) dates.add(asOf);
    }
    return [...dates].sort();
  }

  async function readTable<Row>(
    table: ArchiveTable,
    columns: Parameters<typeof decodeTable<Row>>[0],
    range: AsOfRange,
  ): Promise<Row[]> {
    const out: Row[] = [];
    for (const asOf of await partitions(table)) {
      if ((range.from && asOf < range.from) || (range.to && asOf > range.to)) continue;
      const prefix = partitionPrefix(table, asOf);
      for (const key of await store.list(prefix)) {
        if (!isDataFile(key.slice(prefix.length))) continue;
        out.push(...(await decodeTable(columns, await store.get(key), root + key)));
      }
    }
    return out;
  }

  return {
    uri: root,
    async writeForecasts(asOf, rows) {
      checkRows(asOf, rows);
      return writePartition('forecasts', asOf, encodeTable(FORECAST_COLUMNS, rows), rows.length);
    },
    async writeAccuracy(asOf, rows) {
      checkRows(asOf, rows);
      return writePartition('accuracy', asOf, encodeTable(ACCURACY_COLUMNS, rows), rows.length);
    },
    partitions,
    readForecasts: (range = {}) => readTable('forecasts', FORECAST_COLUMNS, range),
    readAccuracy: (range = {}) => readTable('accuracy', ACCURACY_COLUMNS, range),
    close: () => store.close(),
  };
}

/** Spark/Hive convention: names starting with `_` or `.` are metadata or scratch files. */
function isDataFile(name: string): boolean {
  return name.endsWith('.parquet') && !name.startsWith('_') && !name.startsWith('.');
}

function checkRows(asOf: string, rows: readonly { asOf: string }[]): void {
  if (!isIsoDate(asOf))
    throw new ForecastArchiveError(
      `partition as-of ${JSON.stringify(asOf)} is not a date (expected YYYY-MM-DD)`,
    );
  const other = rows.find((r) => r.asOf !== asOf);
  if (other)
    throw new ForecastArchiveError(
      `a row with as_of ${other.asOf} was given for partition as_of=${asOf} (expected every row's as_of to match)`,
    );
}
