import type { S3Client } from '@aws-sdk/client-s3';
import { dayToIsoDate, isoDateToDay, noopLogger } from '@retail-forecast/util';
import type { Logger } from '@retail-forecast/util';
import { InvalidArgumentError, NoDataError } from './errors';
import { createFileSource } from './fileSource';
import { listDataFilesWith } from './listDataFiles';
import { withReadAhead } from './readAhead';
import { readCsv } from './readers/readCsv';
import { readJsonFile, readJsonLines } from './readers/readJson';
import { readParquet } from './readers/readParquet';
import { SalesAccumulator } from './SalesAccumulator';
import { isS3Uri, parseS3Uri } from './s3Uri';
import { resolveS3Client } from './s3Client';
import type { DataFile, LoadSalesDataOptions, LoadSummary, SalesDataset } from './types';
import type { FileSource } from './fileSource';

function readFile(file: DataFile, source: FileSource, acc: SalesAccumulator): Promise<number> {
  switch (file.format) {
    case 'parquet':
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
 * Files are read one at a time; only per-product day arrays survive a file. Bad rows are
 * skipped and counted (first 20 kept in `summary.issues`); structural problems throw a
 * `SalesDataError`: NoDataError, MissingColumnError, CorruptFileError, SourceReadError,
 * InvalidSourceError, InvalidArgumentError.
 */
export async function loadSalesData(options: LoadSalesDataOptions): Promise<SalesDataset> {
  const { source, asOf, logger = noopLogger, onFile } = options;
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
  if (options.s3 && options.s3Config) {
    throw new InvalidArgumentError('pass either s3 (a client) or s3Config (its config), not both');
  }

  // The client is only created when the source is on S3, and destroyed again if it is ours.
  let resolved: { client: S3Client; owned: boolean } | undefined;
  const client = (): S3Client => {
    resolved ??= resolveS3Client(options.s3, options.s3Config);
    return resolved.client;
  };

  try {
    const files = await listOrFail(source, client, logger);
    const direct = createFileSource(client);
    const fileSource = isS3Uri(source) ? withReadAhead(direct, files) : direct;
    const acc = new SalesAccumulator(asOfDay, logger);
    for (let i = 0; i < files.length; i++) {
      const file = files[i];
      logger.debug('reading sales file', { file: file.uri, format: file.format, size: file.size });
      const rows = await readFile(file, fileSource, acc);
      acc.fileDone();
      onFile?.({ file: file.uri, index: i + 1, total: files.length, rows });
    }

    const summary = acc.loadSummary;
    const finalDay = asOfDay ?? acc.latestUsedDay;
    if (finalDay === undefined) {
      throw new NoDataError(
        sourceLabel(source),
        `no usable forecast_ready rows under ${sourceLabel(source)}: ${summary.rowsRead} rows read in ` +
          `${summary.files} files, all skipped (${describeSkips(summary)})`,
      );
    }
    const products = acc.finish(finalDay);
    const result: SalesDataset = { asOf: dayToIsoDate(finalDay), products, summary };
    const skipped = summary.rowsRead - summary.rowsUsed;
    const log =
      skipped - (summary.rowsSkipped.after_as_of ?? 0) > 0 || summary.duplicateRows > 0
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
      duplicateRows: summary.duplicateRows,
    });
    return result;
  } finally {
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
