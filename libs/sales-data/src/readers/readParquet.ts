import { parquetMetadata, parquetScan, parquetSchema } from 'hyparquet';
import type { DecodedArray, FileMetaData, SchemaElement } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { CorruptFileError, SalesDataError } from '../errors';
import { emptyRow } from '../rawRow';
import type { RawRow } from '../rawRow';
import type { SalesAccumulator } from '../SalesAccumulator';
import { OPTIONAL_COLUMNS } from './columns';
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

function corrupt(file: string, err: unknown): SalesDataError {
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

/**
 * Reads a Parquet file column-wise, one row range (row group or page run) at a time, and feeds
 * each row to the accumulator. DATE, TIMESTAMP (millis/micros/nanos) and INT96 columns arrive
 * as Dates from hyparquet; INT64 counts as bigints. Columns only named by the file's folders
 * (Hive partitions) are filled in by the accumulator. Returns the number of data rows.
 */
export async function readParquet(
  file: string,
  bytes: Uint8Array,
  acc: SalesAccumulator,
): Promise<number> {
  const buffer = asArrayBuffer(bytes);
  let metadata: FileMetaData;
  let names: string[];
  let elements: SchemaElement[];
  try {
    metadata = parquetMetadata(buffer);
    elements = parquetSchema(metadata).children.map((child) => child.element);
    names = elements.map((element) => element.name);
  } catch (err) {
    throw corrupt(file, err);
  }
  acc.setColumns(file, names);
  acc.setDateContext(
    dateContext(
      file,
      metadata,
      elements.find((e) => e.name === 'event_date'),
      acc.defaultTimeZone,
      (message) => acc.warnFile(file, message),
    ),
  );
  const optional = OPTIONAL_COLUMNS.filter((c) => names.includes(c));
  const columns = ['product_id', 'event_date', 'daily_sales', ...optional].filter((c) =>
    names.includes(c),
  );

  let rows = 0;
  try {
    const scan = await parquetScan({ file: buffer, metadata, compressors, columns });
    const empty: DecodedArray = [];
    const row: RawRow = emptyRow();
    for (const { rowStart, rowEnd } of scan.ranges) {
      const read = (column: string) =>
        names.includes(column)
          ? scan.readColumn({ column, rowStart, rowEnd })
          : Promise.resolve(empty);
      const [ids, dates, sales, prices, ratings, productNames, categories] = await Promise.all([
        read('product_id'),
        read('event_date'),
        read('daily_sales'),
        read('avg_price'),
        read('avg_rating'),
        read('product_name'),
        read('category'),
      ]);
      const count = rowEnd - rowStart;
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
    throw corrupt(file, err);
  }
  return rows;
}
