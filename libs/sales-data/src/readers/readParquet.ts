import { parquetMetadata, parquetScan, parquetSchema } from 'hyparquet';
import type { DecodedArray, FileMetaData, SchemaElement } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { CorruptFileError, SalesDataError } from '../errors';
import { emptyRow } from '../rawRow';
import type { RawRow } from '../rawRow';
import type { SalesAccumulator } from '../SalesAccumulator';
import { columnReader } from './compactColumns';
import type { DecodedParquet } from '../decode/decodeParquet';
import { isValidTimeZone } from '../timeZones';
import type { DateContext } from '../values';

function asArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  if (
    bytes.byteOffset === 0 &&
    bytes.byteLength === bytes.buffer.byteLength &&
    bytes.buffer instanceof ArrayBuffer
  ) {
    return bytes.buffer;
  }
  return bytes.slice().buffer as ArrayBuffer;
}

/** `file`'s CorruptFileError for a failure while decoding it (SalesDataErrors pass through). */
export function corruptParquet(file: string, err: unknown): SalesDataError {
  // The accumulator's own errors (a row in another product's bucket) say what is wrong already.
  if (err instanceof SalesDataError) return err;
  const detail = err instanceof Error ? err.message : String(err);
  return new CorruptFileError(file, `${file} is not a readable Parquet file: ${detail}`, {
    cause: err,
  });
}

/** The `tz` pandas/pyarrow record for a column in the `pandas` key-value metadata, if any. */
function pandasTimeZone(metadata: FileMetaData, column: string): string | undefined {
  const text = metadata.key_value_metadata?.find((kv) => kv.key === 'pandas')?.value;
  if (!text) return undefined;
  try {
    const pandas = JSON.parse(text) as {
      columns?: { name?: string; field_name?: string; metadata?: { tz?: unknown } | null }[];
    };
    const entry = pandas.columns?.find((c) => c.field_name === column || c.name === column);
    const tz = entry?.metadata?.tz;
    return typeof tz === 'string' && tz !== '' ? tz : undefined;
  } catch {
    return undefined;
  }
}

/**
 * How the file's `event_date` is to be read. DATE and TIMESTAMP(isAdjustedToUTC=false) hold the
 * date as written. Instants (TIMESTAMP adjusted to UTC, the legacy TIMESTAMP_MILLIS/MICROS, INT96,
 * plain integers) are read in the zone the writer recorded: pandas/pyarrow's column `tz`, else
 * Spark's session time zone (`org.apache.spark.timeZone`), else the caller's default.
 */
function dateContext(
  file: string,
  metadata: FileMetaData,
  element: SchemaElement | undefined,
  defaultZone: string | undefined,
  warn: (message: string) => void,
): DateContext {
  if (element === undefined) return { zone: defaultZone };
  const logical = element.logical_type;
  if (logical?.type === 'DATE' || element.converted_type === 'DATE') return { datesAreLocal: true };
  if (logical?.type === 'TIMESTAMP' && !logical.isAdjustedToUTC) return { datesAreLocal: true };
  const candidates: [string | undefined, string][] = [
    [pandasTimeZone(metadata, 'event_date'), 'pandas metadata'],
    [
      metadata.key_value_metadata?.find((kv) => kv.key === 'org.apache.spark.timeZone')?.value,
      'Spark session time zone',
    ],
  ];
  for (const [zone, origin] of candidates) {
    if (zone === undefined) continue;
    if (isValidTimeZone(zone)) return { zone };
    warn(
      `${file}: event_date time zone "${zone}" (${origin}) is not a time zone Intl knows; ` +
        `its instants are read in ${defaultZone ?? 'UTC'}`,
    );
  }
  return { zone: defaultZone };
}

/** What a Parquet file's footer says about reading it; made on whichever thread decodes. */
export interface ParquetHeader {
  /** Top-level column names in schema order. */
  names: string[];
  /** How the file's `event_date` values are to be read. */
  dates: DateContext;
  /** File-level warnings (an unknown time zone in the metadata), in the order found. */
  warnings: string[];
}

/**
 * The columns a Parquet reader decodes, in the order `ParquetRange.columns` holds them (the row
 * fields productId, eventDate, dailySales, avgPrice, avgRating, productName, category).
 */
export const PARQUET_COLUMNS = [
  'product_id',
  'event_date',
  'daily_sales',
  'avg_price',
  'avg_rating',
  'product_name',
  'category',
] as const;

/** One row range (row group or page run) of decoded columns, in `PARQUET_COLUMNS` order. */
export interface ParquetRange {
  /** 0-based index of the range's first row in the file. */
  rowStart: number;
  count: number;
  /** Empty for a column the file does not have. */
  columns: DecodedArray[];
}

/** An opened Parquet file: its header and an iterator over its decoded row ranges. */
export interface OpenedParquet {
  header: ParquetHeader;
  /** Throws hyparquet's own errors (not yet wrapped in CorruptFileError). */
  ranges(): AsyncGenerator<ParquetRange>;
}

/**
 * Parses a Parquet file's footer and schema. DATE, TIMESTAMP (millis/micros/nanos) and INT96
 * columns decode to Dates; INT64 counts to bigints.
 * @param defaultZone the zone bare UTC instants are read in when the file names none
 * @throws CorruptFileError naming the file when the footer cannot be read
 */
export function openParquet(
  file: string,
  bytes: Uint8Array,
  defaultZone: string | undefined,
): OpenedParquet {
  const buffer = asArrayBuffer(bytes);
  let metadata: FileMetaData;
  let names: string[];
  let elements: SchemaElement[];
  try {
    metadata = parquetMetadata(buffer);
    elements = parquetSchema(metadata).children.map((child) => child.element);
    names = elements.map((element) => element.name);
  } catch (err) {
    throw corruptParquet(file, err);
  }
  const warnings: string[] = [];
  const dates = dateContext(
    file,
    metadata,
    elements.find((e) => e.name === 'event_date'),
    defaultZone,
    (message) => warnings.push(message),
  );
  const columns = PARQUET_COLUMNS.filter((c) => names.includes(c));
  async function* ranges(): AsyncGenerator<ParquetRange> {
    const scan = await parquetScan({ file: buffer, metadata, compressors, columns });
    const empty: DecodedArray = [];
    for (const { rowStart, rowEnd } of scan.ranges) {
      const decoded = await Promise.all(
        PARQUET_COLUMNS.map((column) =>
          names.includes(column)
            ? scan.readColumn({ column, rowStart, rowEnd })
            : Promise.resolve(empty),
        ),
      );
      yield { rowStart, count: rowEnd - rowStart, columns: decoded };
    }
  }
  return { header: { names, dates, warnings }, ranges };
}

/**
 * Hands a file's header to the accumulator as `readParquet` always has: its columns first
 * (MissingColumnError), then its warnings, then the reading of its dates.
 */
export function applyParquetHeader(
  file: string,
  header: ParquetHeader,
  acc: SalesAccumulator,
): void {
  acc.setColumns(file, header.names);
  for (const message of header.warnings) acc.warnFile(file, message);
  acc.setDateContext(header.dates);
}

/**
 * Reads a Parquet file column-wise, one row range (row group or page run) at a time, on the
 * calling thread, and feeds each row to the accumulator. Columns only named by the file's
 * folders (Hive partitions) are filled in by the accumulator. Returns the number of data rows.
 * @throws CorruptFileError naming the file; MissingColumnError
 */
export async function readParquet(
  file: string,
  bytes: Uint8Array,
  acc: SalesAccumulator,
): Promise<number> {
  const opened = openParquet(file, bytes, acc.defaultTimeZone);
  applyParquetHeader(file, opened.header, acc);
  let rows = 0;
  try {
    const row: RawRow = emptyRow();
    for await (const { rowStart, count, columns } of opened.ranges()) {
      const [ids, dates, sales, prices, ratings, productNames, categories] = columns;
      for (let i = 0; i < count; i++) {
        row.productId = ids[i];
        row.eventDate = dates[i];
        row.dailySales = sales[i];
        row.avgPrice = prices[i];
        row.avgRating = ratings[i];
        row.productName = productNames[i];
        row.category = categories[i];
        acc.addRow(file, 'row', rowStart + i + 1, row);
      }
      rows += count;
    }
  } catch (err) {
    throw corruptParquet(file, err);
  }
  return rows;
}

/**
 * Feeds a file decoded elsewhere (a decode worker) to the accumulator exactly as `readParquet`
 * would: header first, rows in file order with their 1-based row numbers, and the same
 * CorruptFileError when decoding failed, after the rows decoded before the failure. Returns the
 * number of data rows.
 * @throws CorruptFileError naming the file; MissingColumnError
 */
export function readDecodedParquet(
  file: string,
  decoded: DecodedParquet,
  acc: SalesAccumulator,
): number {
  const { header, ranges, failure } = decoded;
  if (header === undefined) throw new CorruptFileError(file, failure ?? `${file} was not decoded`);
  applyParquetHeader(file, header, acc);
  let rows = 0;
  const row: RawRow = emptyRow();
  for (const { rowStart, count, columns } of ranges) {
    const [ids, dates, sales, prices, ratings, productNames, categories] =
      columns.map(columnReader);
    for (let i = 0; i < count; i++) {
      row.productId = ids(i);
      row.eventDate = dates(i);
      row.dailySales = sales(i);
      row.avgPrice = prices(i);
      row.avgRating = ratings(i);
      row.productName = productNames(i);
      row.category = categories(i);
      acc.addRow(file, 'row', rowStart + i + 1, row);
    }
    rows += count;
  }
  if (failure !== undefined) throw new CorruptFileError(file, failure);
  return rows;
}
