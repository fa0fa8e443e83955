import { parquetMetadata, parquetReadObjects, parquetSchema } from 'hyparquet';
import type { SchemaElement } from 'hyparquet-writer';
import { compressors } from 'hyparquet-compressors';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { dayToIsoDate, requireIsoDay } from '@retail-forecast/util';
import { CorruptArchiveError } from './errors';
import type { ArchivedAccuracy, ArchivedForecast } from './types';

/** A column's Parquet physical/logical type, as Athena/Glue see it. */
type ColumnType = 'string' | 'date' | 'int' | 'double';

interface Column<Row> {
  name: string;
  type: ColumnType;
  nullable?: boolean;
  get(row: Row): string | number | null;
  set(row: Record<string, unknown>, value: unknown): void;
}

const ELEMENT: Record<ColumnType, Omit<SchemaElement, 'name'>> = {
  string: { type: 'BYTE_ARRAY', converted_type: 'UTF8' },
  date: { type: 'INT32', converted_type: 'DATE' },
  int: { type: 'INT32' },
  double: { type: 'DOUBLE' },
};

function col<Row, K extends keyof Row & string>(
  name: string,
  field: K,
  type: ColumnType,
  nullable = false,
): Column<Row> {
  return {
    name,
    type,
    nullable,
    get: (row) => row[field] as string | number | null,
    set: (row, value) => (row[field] = value),
  };
}

/** `forecasts/` columns, in file order (the README documents them). */
export const FORECAST_COLUMNS: Column<ArchivedForecast>[] = [
  col('product_id', 'productId', 'string'),
  col('as_of', 'asOf', 'date'),
  col('forecast_date', 'forecastDate', 'date'),
  col('horizon_day', 'horizonDay', 'int'),
  col('p10', 'p10', 'double'),
  col('p50', 'p50', 'double'),
  col('p90', 'p90', 'double'),
  col('mean', 'mean', 'double', true),
  col('model', 'model', 'string'),
  col('fallback_reason', 'fallbackReason', 'string', true),
  col('run_id', 'runId', 'string'),
];

/** `accuracy/` columns, in file order. */
export const ACCURACY_COLUMNS: Column<ArchivedAccuracy>[] = [
  col('as_of', 'asOf', 'date'),
  col('level', 'level', 'string'),
  col('key', 'key', 'string'),
  col('kind', 'kind', 'string'),
  col('forecasts', 'forecasts', 'int'),
  col('wape', 'wape', 'double', true),
  col('mase', 'mase', 'double', true),
  col('bias', 'bias', 'double', true),
  col('coverage', 'coverage', 'double', true),
  col('run_id', 'runId', 'string'),
];

/** Rows as one Snappy-compressed Parquet file (one row group). */
export function encodeTable<Row>(columns: Column<Row>[], rows: readonly Row[]): Uint8Array {
  const schema: SchemaElement[] = [
    { name: 'root', num_children: columns.length },
    ...columns.map((c) => ({
      name: c.name,
      ...ELEMENT[c.type],
      repetition_type: c.nullable ? ('OPTIONAL' as const) : ('REQUIRED' as const),
    })),
  ];
  return new Uint8Array(
    parquetWriteBuffer({
      schema,
      columnData: columns.map((c) => ({
        name: c.name,
        data: rows.map((r) => {
          const v = c.get(r);
          return c.type === 'date' && typeof v === 'string' ? requireIsoDay(v, c.name) : v;
        }),
      })),
    }),
  );
}

/**
 * Rows of one Parquet file, by column name (extra columns are ignored, so the schema may grow). A
 * nullable column the file does not have (written before the column was added) reads as null.
 * @param where the object's URI or path, for messages
 * @throws CorruptArchiveError for an unreadable file, a missing required column or a null where
 *   none is allowed
 */
export async function decodeTable<Row>(
  columns: Column<Row>[],
  bytes: Uint8Array,
  where: string,
): Promise<Row[]> {
  const file = bytes.buffer.slice(
    bytes.byteOffset,
    bytes.byteOffset + bytes.byteLength,
  ) as ArrayBuffer;
  const unreadable = (err: unknown) =>
    new CorruptArchiveError(`${where} is not a readable Parquet file: ${String(err)}`, {
      cause: err,
    });
  let metadata: ReturnType<typeof parquetMetadata>;
  let present: Set<string>;
  try {
    metadata = parquetMetadata(file);
    present = new Set(parquetSchema(metadata).children.map((c) => c.element.name));
  } catch (err) {
    throw unreadable(err);
  }
  const absent = columns.find((c) => !c.nullable && !present.has(c.name));
  if (absent)
    throw new CorruptArchiveError(
      `${where} has no column ${absent.name} (expected a ${absent.type}; it has ${[...present].join(', ')})`,
    );
  let records: Record<string, unknown>[];
  try {
    records = (await parquetReadObjects({
      file,
      metadata,
      columns: columns.filter((c) => present.has(c.name)).map((c) => c.name),
      compressors,
    })) as Record<string, unknown>[];
  } catch (err) {
    throw unreadable(err);
  }
  return records.map((record, i) => {
    const row: Record<string, unknown> = {};
    for (const c of columns) {
      const v = record[c.name];
      if (v === undefined || v === null) {
        if (!c.nullable)
          throw new CorruptArchiveError(
            `${where} row ${i + 1}: column ${c.name} is ${v === null ? 'null' : 'missing'} (expected a ${c.type})`,
          );
        c.set(row, null);
      } else if (c.type === 'date') {
        c.set(row, v instanceof Date ? v.toISOString().slice(0, 10) : dayToIsoDate(Number(v)));
      } else if (c.type === 'string') {
        c.set(row, String(v));
      } else {
        c.set(row, Number(v));
      }
    }
    return row as Row;
  });
}
