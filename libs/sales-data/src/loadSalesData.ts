import type { S3Client } from '@aws-sdk/client-s3';
import { dayToIsoDate, isoDateToDay, noopLogger } from '@retail-forecast/util';
import type { Logger } from '@retail-forecast/util';
import { BadRowsError, InvalidArgumentError, NoDataError } from './errors';
import { createFileSource } from './fileSource';
import { listDataFilesWith } from './listDataFiles';
import { withReadAhead } from './readAhead';
import { readCsv } from './readers/readCsv';
import { readJsonFile, readJsonLines } from './readers/readJson';
import { readDecodedParquet, readParquet } from './readers/readParquet';
import { ParquetDecodeQueue } from './decode/ParquetDecodeQueue';
import { SalesAccumulator } from './SalesAccumulator';
import { isS3Uri, parseS3Uri } from './s3Uri';
import { resolveS3Client } from './s3Client';
import { isValidTimeZone } from './timeZones';
import { ShardRowFilter, selectShardFiles } from './shard';
import { DUPLICATE_POLICIES } from '@retail-forecast/job-contract';
import type {
  BadRowBudget,
  DataFile,
  LoadSalesDataOptions,
  LoadSummary,
  SalesDataset,
} from './types';
import type { FileSource } from './fileSource';

function readFile(
  file: DataFile,
  index: number,
  source: FileSource,
  decoder: ParquetDecodeQueue | undefined,
  acc: SalesAccumulator,
): Promise<number> {
  switch (file.format) {
    case 'parquet':
      if (decoder) {
        return decoder.take(index).then((decoded) => readDecodedParquet(file.uri, decoded, acc));
      }
      return source.bytes(file.uri).then((bytes) => readParquet(file.uri, bytes, acc));
    case 'csv':
      return readCsv(file.uri, source.stream(file.uri), acc);
    case 'jsonl':
      return readJsonLines(file.uri, source.stream(file.uri), acc);
    case 'json':
      return source.bytes(file.uri).then((bytes) => readJsonFile(file.uri, bytes, acc));
  }
}

function describeSkips(summary: LoadSummary): string {
  const parts = Object.entries(summary.rowsSkipped).map(([reason, n]) => `${n} ${reason}`);
  return parts.length ? parts.join(', ') : 'none';
}

const BUDGET = /^\s*(?:(\d+)|(\d+(?:\.\d+)?)\s*%)\s*$/;

/**
 * A bad-row budget as written in settings: `25` (rows) or `1%` / `0.5%` (of the rows read).
 * @throws InvalidArgumentError naming the text
 */
export function parseBadRowBudget(text: string): BadRowBudget {
  const m = BUDGET.exec(text);
  if (m?.[1] !== undefined) return { kind: 'rows', rows: Number(m[1]) };
  if (m?.[2] !== undefined && Number(m[2]) <= 100)
    return { kind: 'percent', percent: Number(m[2]) };
  throw new InvalidArgumentError(
    `bad-row budget "${text}" is not valid (expected a whole number of rows, e.g. 25, or a percentage of the rows read up to 100%, e.g. 1%)`,
  );
}

/** The budget as written back: `25 rows` or `1%`. */
function describeBudget(budget: BadRowBudget): string {
  return budget.kind === 'rows' ? `${budget.rows} rows` : `${budget.percent}%`;
}

/** Stops the load, before anything is forecast or written, when too many rows were rejected. */
function checkBudget(summary: LoadSummary, budget: BadRowBudget | undefined): void {
  if (budget === undefined) return;
  const allowed =
    budget.kind === 'rows'
      ? budget.rows
      : Math.floor((budget.percent / 100) * summary.rowsRead + 1e-9);
  const rejected = summary.rowsRejected;
  if (rejected <= allowed) return;
  const first = summary.firstRejected;
  throw new BadRowsError(
    `${rejected} of ${summary.rowsRead} rows were rejected, more than the bad-row budget of ` +
      `${describeBudget(budget)} allows (${allowed}); nothing was written. First: ` +
      `${first ? `${first.file}:${first.row}: ${first.message}` : 'none'}`,
    rejected,
    allowed,
  );
}

/** How the source is named in NoDataError: the normalised S3 folder, or the path as given. */
function sourceLabel(source: string): string {
  if (!isS3Uri(source)) return source;
  const { bucket, prefix } = parseS3Uri(source);
  return `s3://${bucket}/${prefix}`;
}

/**
 * Loads the Gold-zone `forecast_ready` sales (Parquet, CSV, JSON Lines or JSON arrays) under
 * `source` into one dense daily series per product, from its first sale through the as-of day.
 *
 * Files are fed to the accumulator one at a time in listing order; only per-product day arrays
 * survive a file. With `parquetDecode`, Parquet files are decoded ahead on worker threads (a
 * crashed worker throws DecodeWorkerError, exit kind `failure`). Bad rows are
 * rejected and counted (first 20 kept in `summary.issues`): the day of a rejected row is NaN in
 * its product's series (unknown, never 0) unless a valid row gives it. Identical rows are counted
 * once; rows for one product and day with different daily_sales follow `onDuplicate`. Structural
 * problems throw a `SalesDataError`: NoDataError, MissingColumnError, CorruptFileError,
 * SourceReadError, InvalidSourceError, InvalidArgumentError, and BadRowsError past `maxBadRows`.
 */
export async function loadSalesData(options: LoadSalesDataOptions): Promise<SalesDataset> {
  const { source, asOf, logger = noopLogger, onFile, timeZone, onDuplicate } = options;
  let asOfDay: number | undefined;
  if (asOf !== undefined) {
    asOfDay = isoDateToDay(asOf);
    if (asOfDay === undefined) {
      throw new InvalidArgumentError(`asOf "${asOf}" is not a date (expected YYYY-MM-DD)`);
    }
  }
  if (typeof source !== 'string' || source.trim() === '') {
    throw new InvalidArgumentError(
      `source "${String(source)}" is empty (expected s3://bucket/prefix/ or a local path)`,
    );
  }
  if (timeZone !== undefined && !isValidTimeZone(timeZone)) {
    throw new InvalidArgumentError(
      `timeZone "${timeZone}" is not a time zone (expected an IANA name such as Europe/Berlin, or UTC)`,
    );
  }
  if (onDuplicate !== undefined && !DUPLICATE_POLICIES.includes(onDuplicate)) {
    throw new InvalidArgumentError(
      `onDuplicate "${String(onDuplicate)}" is not a policy (expected ${DUPLICATE_POLICIES.join(', ')})`,
    );
  }
  if (options.s3 && options.s3Config) {
    throw new InvalidArgumentError('pass either s3 (a client) or s3Config (its config), not both');
  }

  // The client is only created when the source is on S3, and destroyed again if it is ours.
  let resolved: { client: S3Client; owned: boolean } | undefined;
  const client = (): S3Client => {
    resolved ??= resolveS3Client(options.s3, options.s3Config);
    return resolved.client;
  };

  let decoder: ParquetDecodeQueue | undefined;
  try {
    const listed = await listOrFail(source, client, logger);
    const shard = options.shard ? selectShardFiles(listed, options.shard) : undefined;
    if (shard?.note) logger.warn(shard.note);
    const files = shard?.files ?? listed;
    if (shard) {
      // Rows left to other shards are only known once read: 'sales data loaded' gives them.
      const { rowsOtherShards: _, ...selected } = shard.load;
      logger.info('shard files selected', { ...selected, filesRead: files.length });
    }
    const filter =
      options.shard && options.shard.count > 1 ? new ShardRowFilter(options.shard) : undefined;
    const direct = createFileSource(client);
    const fileSource = isS3Uri(source) ? withReadAhead(direct, files) : direct;
    const acc = new SalesAccumulator({
      asOfDay,
      logger,
      onDuplicate,
      timeZone,
      keepProduct: filter && ((id, row) => filter.keeps(id, row)),
    });
    decoder = ParquetDecodeQueue.forLoad(files, fileSource, timeZone, options.parquetDecode);
    if (decoder)
      logger.debug('decoding Parquet on worker threads', {
        workers: options.parquetDecode?.workers,
      });
    for (let i = 0; i < files.length; i++) {
      const file = files[i];
      logger.debug('reading sales file', { file: file.uri, format: file.format, size: file.size });
      filter?.beginFile(file);
      acc.beginFile(file);
      const rows = await readFile(file, i, fileSource, decoder, acc);
      acc.fileDone();
      onFile?.({
        file: file.uri,
        index: i + 1,
        total: files.length,
        rows,
        products: acc.productCount,
      });
    }
    await decoder?.close();
    decoder = undefined;

    const summary = acc.loadSummary;
    if (shard) summary.shard = { ...shard.load, rowsOtherShards: filter?.rowsOtherShards ?? 0 };
    checkBudget(summary, options.maxBadRows);
    const finalDay = asOfDay ?? acc.latestUsedDay;
    if (finalDay === undefined) {
      throw new NoDataError(
        sourceLabel(source),
        `no usable forecast_ready rows under ${sourceLabel(source)}: ${summary.rowsRead} rows read in ` +
          `${summary.files} files, all skipped (${describeSkips(summary)})`,
      );
    }
    const { products, failed } = acc.finish(finalDay);
    if (products.length === 0 && failed.length === 0) {
      throw new NoDataError(
        sourceLabel(source),
        `no product has usable rows up to the as-of ${dayToIsoDate(finalDay)} under ` +
          `${sourceLabel(source)}: ${summary.rowsRead} rows read in ${summary.files} files, all skipped ` +
          `(${describeSkips(summary)})`,
      );
    }
    const result: SalesDataset = {
      asOf: dayToIsoDate(finalDay),
      products,
      failedProducts: failed,
      summary,
    };
    const log =
      summary.rowsRejected > 0 ||
      summary.duplicatesDropped > 0 ||
      summary.conflictingDuplicates > 0 ||
      summary.warnings.length > 0
        ? logger.warn
        : logger.info;
    log.call(logger, 'sales data loaded', {
      source,
      asOf: result.asOf,
      files: summary.files,
      products: products.length,
      rowsRead: summary.rowsRead,
      rowsUsed: summary.rowsUsed,
      rowsSkipped: summary.rowsSkipped,
      duplicatesDropped: summary.duplicatesDropped,
      conflictingDuplicates: summary.conflictingDuplicates,
      duplicatePolicy: summary.duplicatePolicy,
      productsFlagged: summary.productsFlagged,
      productsFailed: failed.length,
      ...(summary.shard ? { rowsOtherShards: summary.shard.rowsOtherShards } : {}),
    });
    return result;
  } finally {
    await decoder?.close();
    if (resolved?.owned) resolved.client.destroy();
  }
}

async function listOrFail(
  source: string,
  client: () => S3Client,
  logger: Logger,
): Promise<DataFile[]> {
  const files = await listDataFilesWith(source, client);
  if (files.length === 0) throw new NoDataError(sourceLabel(source));
  logger.info('sales files found', { source, files: files.length });
  return files;
}
