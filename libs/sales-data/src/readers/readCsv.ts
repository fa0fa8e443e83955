import { Readable, pipeline } from 'node:stream';
import { parse } from 'csv-parse';
import { CorruptFileError, SalesDataError } from '../errors';
import { emptyRow } from '../SalesAccumulator';
import type { RawRow, SalesAccumulator } from '../SalesAccumulator';
import { requireColumns } from './columns';
import { crlfToLf } from './lines';

function countNewlines(fields: string[]): number {
  let n = 0;
  for (const field of fields) {
    for (let i = field.indexOf('\n'); i !== -1; i = field.indexOf('\n', i + 1)) n += 1;
  }
  return n;
}

/**
 * Streams a CSV file with a header row through csv-parse and feeds each record to the
 * accumulator with the line on which the record starts (quoted fields may span lines).
 * Returns the number of data rows.
 *
 * Line numbers are counted here rather than taken from csv-parse's `info`: `info.lines` is
 * wrong on CRLF input, and building an info object per record doubles parse time. Blank lines
 * are therefore kept by the parser (as one empty field) and ignored here, so every physical
 * line is accounted for: a record spans 1 + (newlines inside its quoted fields) lines.
 */
export async function readCsv(
  file: string,
  chunks: AsyncIterable<Uint8Array>,
  acc: SalesAccumulator,
): Promise<number> {
  // Short or long rows are reported row by row (a missing field is an empty value), not as a
  // failure of the whole file.
  const parser = parse({ bom: true, relax_column_count: true });
  // pipeline destroys every stage on error, so an S3 socket or file handle is released.
  pipeline(Readable.from(crlfToLf(chunks)), parser, () => undefined);

  let index: Record<string, number> | undefined;
  let nextLine = 1;
  let rows = 0;
  const row: RawRow = emptyRow();
  const field = (record: string[], column: string): string | undefined => {
    const i = index![column];
    return i === undefined ? undefined : record[i];
  };
  const handle = (record: string[]): void => {
    const line = nextLine;
    nextLine += 1 + countNewlines(record);
    if (record.length === 1 && record[0].trim() === '') return;
    if (index === undefined) {
      const names = record.map((name) => name.trim());
      requireColumns(file, names);
      // First occurrence wins when a header repeats a name.
      index = Object.fromEntries(names.map((name, i) => [name, i]).reverse());
      return;
    }
    row.productId = field(record, 'product_id');
    row.eventDate = field(record, 'event_date');
    row.dailySales = field(record, 'daily_sales');
    row.avgPrice = field(record, 'avg_price');
    row.avgRating = field(record, 'avg_rating');
    row.productName = field(record, 'product_name');
    row.category = field(record, 'category');
    acc.addRow(file, 'line', line, row);
    rows += 1;
  };

  try {
    // Draining with read() in a 'readable' loop avoids one promise per record of `for await`.
    await new Promise<void>((resolve, reject) => {
      parser.on('readable', () => {
        try {
          for (let record = parser.read(); record !== null; record = parser.read()) handle(record);
        } catch (err) {
          parser.destroy(err as Error);
        }
      });
      parser.once('end', resolve);
      parser.once('error', reject);
    });
  } catch (err) {
    if (err instanceof SalesDataError) throw err;
    const detail = err instanceof Error ? err.message : String(err);
    throw new CorruptFileError(file, `${file} is not valid CSV: ${detail}`, { cause: err });
  }
  return rows;
}
