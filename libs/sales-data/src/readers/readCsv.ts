import { Readable, pipeline } from 'node:stream';
import { parse } from 'csv-parse';
import { CorruptFileError, SalesDataError } from '../errors';
import { emptyRow } from '../rawRow';
import type { RawRow } from '../rawRow';
import type { SalesAccumulator } from '../SalesAccumulator';
import { crlfToLf } from './lines';

/**
 * A number as Excel and other en-US exports format it: `1,250`, `1,099.00`. In a comma-delimited
 * file a field holding a comma was quoted, and digit groups of exactly three leave no doubt.
 */
const THOUSANDS = /^\d{1,3}(,\d{3})+(\.\d+)?$/;

/** The field with its thousands separators removed when it is such a number; else as read. */
function plainNumber(text: string | undefined): string | undefined {
  if (text === undefined || !text.includes(',')) return text;
  const trimmed = text.trim();
  return THOUSANDS.test(trimmed) ? trimmed.replaceAll(',', '') : text;
}

/** Why a header might name no required column: another delimiter than the comma. */
function delimiterHint(names: readonly string[]): string | undefined {
  if (names.length !== 1) return undefined;
  for (const [delimiter, label] of [
    [';', 'semicolon'],
    ['\t', 'tab'],
    ['|', 'pipe'],
  ] as const) {
    if (names[0].includes(delimiter)) {
      return (
        `the header looks ${label}-delimited (a spreadsheet export in a locale with decimal ` +
        'commas?); export it comma-delimited with "." as decimal point: "1.250" could be 1250 or ' +
        '1.25, so it is not guessed'
      );
    }
  }
  return undefined;
}

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
 * Quoted en-US formatted numbers (`"1,250"`) in the numeric columns are read as numbers.
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
      acc.setColumns(file, names, delimiterHint(names));
      // First occurrence wins when a header repeats a name.
      index = Object.fromEntries(names.map((name, i) => [name, i]).reverse());
      return;
    }
    row.productId = field(record, 'product_id');
    row.eventDate = field(record, 'event_date');
    row.dailySales = plainNumber(field(record, 'daily_sales'));
    row.avgPrice = plainNumber(field(record, 'avg_price'));
    row.avgRating = plainNumber(field(record, 'avg_rating'));
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
