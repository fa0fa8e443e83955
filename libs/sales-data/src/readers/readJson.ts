import { CorruptFileError } from '../errors';
import { emptyRow } from '../rawRow';
import type { RawRow, RowUnit } from '../rawRow';
import type { SalesAccumulator } from '../SalesAccumulator';
import { splitLines } from './lines';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Feeds one decoded object; the first object of a file fixes which columns it has. */
function addObject(
  row: RawRow,
  file: string,
  unit: RowUnit,
  n: number,
  obj: Record<string, unknown>,
  acc: SalesAccumulator,
): void {
  row.productId = obj.product_id;
  row.eventDate = obj.event_date;
  row.dailySales = obj.daily_sales;
  row.avgPrice = obj.avg_price;
  row.avgRating = obj.avg_rating;
  row.productName = obj.product_name;
  row.category = obj.category;
  acc.addRow(file, unit, n, row);
}

function preview(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

async function readLines(
  file: string,
  lines: AsyncIterable<[string, number]>,
  acc: SalesAccumulator,
): Promise<number> {
  const row = emptyRow();
  let rows = 0;
  let checked = false;
  for await (const [text, lineNo] of lines) {
    if (text.trim() === '') continue;
    rows += 1;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      const detail = err instanceof Error ? err.message : String(err);
      acc.rejectRow(
        file,
        'line',
        lineNo,
        'invalid_json',
        preview(text),
        `is not valid JSON (${detail})`,
      );
      continue;
    }
    if (!isRecord(value)) {
      acc.rejectRow(
        file,
        'line',
        lineNo,
        'invalid_json',
        preview(text),
        'is not a JSON object (expected one row object per line)',
      );
      continue;
    }
    if (!checked) {
      // JSON has no header: the first row object stands for the file's columns.
      acc.setColumns(file, Object.keys(value));
      checked = true;
    }
    addObject(row, file, 'line', lineNo, value, acc);
  }
  return rows;
}

/** JSON Lines: one object per line; an unparsable line is a skipped row. Returns data rows. */
export function readJsonLines(
  file: string,
  chunks: AsyncIterable<Uint8Array>,
  acc: SalesAccumulator,
): Promise<number> {
  return readLines(file, splitLines(chunks), acc);
}

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

/**
 * A `.json` file: a JSON array of row objects (row numbers are 1-based array positions), or
 * JSON Lines under a `.json` name. A malformed array fails the file, since nothing in it can
 * be trusted row by row.
 */
export async function readJsonFile(
  file: string,
  bytes: Uint8Array,
  acc: SalesAccumulator,
): Promise<number> {
  let first = 0;
  // Skip a UTF-8 BOM and leading whitespace to see whether this is an array.
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) first = 3;
  while (
    first < bytes.length &&
    (bytes[first] === 0x20 ||
      bytes[first] === 0x0a ||
      bytes[first] === 0x0d ||
      bytes[first] === 0x09)
  ) {
    first += 1;
  }
  if (bytes[first] !== 0x5b /* [ */) return readLines(file, splitLines(once(bytes)), acc);

  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8').decode(bytes.subarray(first)));
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    throw new CorruptFileError(file, `${file} is not a valid JSON array: ${detail}`, {
      cause: err,
    });
  }
  const items = value as unknown[];
  const row = emptyRow();
  let checked = false;
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (!isRecord(item)) {
      acc.rejectRow(
        file,
        'row',
        i + 1,
        'invalid_json',
        preview(JSON.stringify(item) ?? ''),
        'is not a JSON object (expected an array of row objects)',
      );
      continue;
    }
    if (!checked) {
      acc.setColumns(file, Object.keys(item));
      checked = true;
    }
    addObject(row, file, 'row', i + 1, item, acc);
  }
  return items.length;
}
