import { parquetMetadata, parquetScan, parquetSchema } from 'hyparquet';
import type { DecodedArray, FileMetaData } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { CorruptFileError } from '../errors';
import { emptyRow } from '../SalesAccumulator';
import type { RawRow, SalesAccumulator } from '../SalesAccumulator';
import { OPTIONAL_COLUMNS, requireColumns } from './columns';

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

function corrupt(file: string, err: unknown): CorruptFileError {
  const detail = err instanceof Error ? err.message : String(err);
  return new CorruptFileError(file, `${file} is not a readable Parquet file: ${detail}`, {
    cause: err,
  });
}

/**
 * Reads a Parquet file column-wise, one row range (row group or page run) at a time, and feeds
 * each row to the accumulator. DATE, TIMESTAMP (millis/micros/nanos) and INT96 columns arrive
 * as Dates from hyparquet; INT64 counts as bigints. Returns the number of data rows.
 */
export async function readParquet(
  file: string,
  bytes: Uint8Array,
  acc: SalesAccumulator,
): Promise<number> {
  const buffer = asArrayBuffer(bytes);
  let metadata: FileMetaData;
  let names: string[];
  try {
    metadata = parquetMetadata(buffer);
    names = parquetSchema(metadata).children.map((child) => child.element.name);
  } catch (err) {
    throw corrupt(file, err);
  }
  requireColumns(file, names);
  const optional = OPTIONAL_COLUMNS.filter((c) => names.includes(c));
  const columns = ['product_id', 'event_date', 'daily_sales', ...optional];

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
