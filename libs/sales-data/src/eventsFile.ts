/**
 * The known-future events file of `forecast run --events` (promotions, planned prices): a CSV
 * with a header row and the columns
 *   date,scope,event,value
 *   2025-11-28,*,black_friday,1
 *   2025-12-01,category:Toys,promo,1
 *   2025-12-03,product:SKU-42,price_cut,0.15
 * `date` YYYY-MM-DD; `scope` `*` (every product), `category:<name>` or `product:<id>`; `event` a
 * name (letters, digits, `_`, `-`, `.`); `value` a finite number (1 for an on/off event). Rows of
 * one event name become one regressor of the calendar candidate; days without a row are 0.
 */
import { parse } from 'csv-parse/sync';
import type { S3Client } from '@aws-sdk/client-s3';
import { isIsoDate } from '@retail-forecast/util';
import { CorruptFileError } from './errors';
import { createFileSource } from './fileSource';
import { createS3Client } from './s3Client';

/** One row of the events file (the shape of forecasting's `PlannedEvent`). */
export interface EventRow {
  date: string;
  scope: { kind: 'product'; id: string } | { kind: 'category'; id: string } | { kind: 'all' };
  event: string;
  value: number;
}

const COLUMNS = ['date', 'scope', 'event', 'value'];
const EVENT_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

/**
 * Parses the text of an events file named `file` (used in messages).
 * @throws CorruptFileError listing every bad line as `<file> line <n>: <column> "<value>" ...`
 * (at most 20, then a count), or a missing/extra header column
 */
export function parseEventsCsv(text: string, file: string): EventRow[] {
  const records = parse(text.replace(/\r\n?/g, '\n'), {
    skip_empty_lines: true,
    relax_column_count: true,
    trim: true,
    info: true,
  }) as unknown as { record: string[]; info: { lines: number } }[];
  if (records.length === 0)
    throw new CorruptFileError(file, `${file} is empty (expected the header ${COLUMNS.join(',')})`);
  const header = records[0].record.map((h) => h.toLowerCase());
  if (header.join(',') !== COLUMNS.join(',')) {
    throw new CorruptFileError(
      file,
      `${file} line ${records[0].info.lines}: header "${records[0].record.join(',')}" is not "${COLUMNS.join(',')}"`,
    );
  }
  const rows: EventRow[] = [];
  const problems: string[] = [];
  for (const { record, info } of records.slice(1)) {
    const at = `${file} line ${info.lines}`;
    if (record.length !== COLUMNS.length) {
      problems.push(
        `${at}: ${record.length} fields (expected ${COLUMNS.length}: ${COLUMNS.join(',')})`,
      );
      continue;
    }
    const [date, scopeText, event, valueText] = record;
    const bad: string[] = [];
    if (!isIsoDate(date)) bad.push(`date "${date}" is not a date (expected YYYY-MM-DD)`);
    const scope = parseScope(scopeText);
    if (!scope)
      bad.push(`scope "${scopeText}" is not a scope (expected *, category:<name> or product:<id>)`);
    if (!EVENT_NAME.test(event))
      bad.push(
        `event "${event}" is not an event name (expected letters, digits, _, - or ., at most 64)`,
      );
    const value = valueText === '' ? Number.NaN : Number(valueText);
    if (!Number.isFinite(value))
      bad.push(`value "${valueText}" is not a number (expected a finite number, e.g. 1 or 0.15)`);
    if (bad.length > 0) problems.push(`${at}: ${bad.join('; ')}`);
    else rows.push({ date, scope: scope!, event, value });
  }
  if (problems.length > 0) {
    const shown = problems.slice(0, 20);
    const more = problems.length > 20 ? `; and ${problems.length - 20} more bad lines` : '';
    throw new CorruptFileError(
      file,
      `${problems.length} bad line(s) in the events file: ${shown.join('; ')}${more}`,
    );
  }
  return rows;
}

function parseScope(text: string): EventRow['scope'] | undefined {
  if (text === '*') return { kind: 'all' };
  const m = /^(product|category):(.+)$/.exec(text);
  return m ? { kind: m[1] as 'product' | 'category', id: m[2].trim() } : undefined;
}

/**
 * Reads and parses an events file from a local path or an `s3://bucket/key` URI.
 * @param options.s3 the client for an `s3://` URI (default: one from the SDK's own settings)
 * @throws SourceReadError when the file cannot be read, CorruptFileError for bad content
 */
export async function readEventsFile(
  uri: string,
  options: { s3?: S3Client } = {},
): Promise<EventRow[]> {
  const source = createFileSource(() => options.s3 ?? createS3Client());
  const bytes = await source.bytes(uri);
  return parseEventsCsv(new TextDecoder().decode(bytes), uri);
}
