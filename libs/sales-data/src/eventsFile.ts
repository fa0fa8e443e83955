/**
 * The known-future events file of `forecast run --events` (promotions, planned prices): a CSV
 * with a header row and the columns
 *   date,scope,event,value
 *   2025-11-28,*,black_friday,1
 *   2025-12-01,category:Toys,promo,1
 *   2025-12-03,product:SKU-42,price_cut,0.15
 * `date` YYYY-MM-DD; `scope` `*` (every product), `category:<name>` or `product:<id>`, the name
 * or id kept as written after the colon (`product: SKU-1` is " SKU-1"); `event` a
 * name (letters, digits, `_`, `-`, `.`); `value` a finite number (1 for an on/off event). Rows of
 * one event name become one regressor of the calendar candidate; days without a row are 0.
 * One value per (date, scope, event): a line repeating an earlier one with the same value is
 * counted once and warned about, one with another value is a bad line (neither is guessed).
 */
import { parse } from 'csv-parse/sync';
import type { S3Client } from '@aws-sdk/client-s3';
import { isIsoDate, noopLogger } from '@retail-forecast/util';
import type { Logger } from '@retail-forecast/util';
import { CorruptFileError } from './errors';
import { createFileSource } from './fileSource';
import { createS3Client } from './s3Client';

/** One row of the events file (the shape of forecasting's `PlannedEvent`). */
export interface EventRow {
  date: string;
  scope: { kind: 'product'; id: string } | { kind: 'category'; id: string } | { kind: 'all' };
  event: string;
  value: number;
  /** The line of the file the row is on (1 = the header), for messages. */
  line: number;
}

/** What the events reader reports besides its rows. */
export interface EventsFileOptions {
  /** Receives a warning per repeated line (default: none). */
  logger?: Pick<Logger, 'warn'>;
}

const COLUMNS = ['date', 'scope', 'event', 'value'];
const EVENT_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

/**
 * Parses the text of an events file named `file` (used in messages). A line repeating an earlier
 * (date, scope, event) with the same value is counted once and warned about as
 * `<file> line <n>: repeats line <m> (...); counted once`.
 * @throws CorruptFileError listing every bad line as `<file> line <n>: <column> "<value>" ...`
 * (at most 20, then a count), including a repeated (date, scope, event) with another value, or a
 * missing/extra header column
 */
export function parseEventsCsv(
  text: string,
  file: string,
  options: EventsFileOptions = {},
): EventRow[] {
  const logger = options.logger ?? noopLogger;
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
  const seen = new Map<string, EventRow>();
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
    if (bad.length > 0) {
      problems.push(`${at}: ${bad.join('; ')}`);
      continue;
    }
    const key = `${date}\u0000${scopeKey(scope!)}\u0000${event}`;
    const earlier = seen.get(key);
    if (earlier === undefined) {
      const row: EventRow = { date, scope: scope!, event, value, line: info.lines };
      seen.set(key, row);
      rows.push(row);
    } else if (earlier.value === value) {
      logger.warn(
        `${at}: repeats line ${earlier.line} (${date}, ${scopeText}, ${event}, value ${valueText}); counted once`,
      );
    } else {
      problems.push(
        `${at}: value "${valueText}" of ${event} on ${date} for scope ${scopeText} differs from line ${earlier.line} (${earlier.value}) (expected one value per date, scope and event)`,
      );
    }
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

function scopeKey(scope: EventRow['scope']): string {
  return scope.kind === 'all' ? '*' : `${scope.kind}:${scope.id}`;
}

/**
 * The rows whose scope names a product or category that none of `products` has: such a row is
 * never used (a typo, or an id of another catalog). One message per row, as
 * `<file> line <n>: scope "product:SKU-9" matches no product of the data (its event is not used)`,
 * naming the data's id when the scope's differs from it only by whitespace (`product: SKU-1`
 * names " SKU-1": ids are kept as written). Only meaningful against the whole catalog (not a shard's share of it).
 */
export function unmatchedEventScopes(
  rows: readonly EventRow[],
  file: string,
  products: Iterable<{ productId: string; category?: string }>,
): string[] {
  const ids = new Set<string>();
  const categories = new Set<string>();
  for (const p of products) {
    ids.add(p.productId);
    if (p.category !== undefined) categories.add(p.category);
  }
  // Trimmed id → an id of the data, to name the one a scope differs from only by whitespace.
  const trimmed = { product: new Map<string, string>(), category: new Map<string, string>() };
  for (const id of ids) trimmed.product.set(id.trim(), id);
  for (const c of categories) trimmed.category.set(c.trim(), c);
  const out: string[] = [];
  for (const r of rows) {
    const s = r.scope;
    if (s.kind === 'all') continue;
    if (s.kind === 'product' ? ids.has(s.id) : categories.has(s.id)) continue;
    const near = trimmed[s.kind].get(s.id.trim());
    const hint =
      near !== undefined
        ? `; the data has "${near}", which differs only by whitespace: ids are kept as written`
        : '';
    out.push(
      `${file} line ${r.line}: scope "${scopeKey(s)}" matches no ${s.kind} of the data (its ${r.event} row is not used${hint})`,
    );
  }
  return out;
}

function parseScope(text: string): EventRow['scope'] | undefined {
  if (text === '*') return { kind: 'all' };
  const m = /^(product|category):(.+)$/.exec(text);
  // The id is kept as written (only the field's own ends are trimmed, as for every column):
  // product ids are kept as written everywhere, so `product: SKU-1` names " SKU-1", not "SKU-1".
  return m ? { kind: m[1] as 'product' | 'category', id: m[2] } : undefined;
}

/**
 * Reads and parses an events file from a local path or an `s3://bucket/key` URI.
 * @param options.s3 the client for an `s3://` URI (default: one from the SDK's own settings)
 * @param options.logger receives the repeated-line warnings (see `parseEventsCsv`)
 * @throws SourceReadError when the file cannot be read, CorruptFileError for bad content
 */
export async function readEventsFile(
  uri: string,
  options: { s3?: S3Client } & EventsFileOptions = {},
): Promise<EventRow[]> {
  const source = createFileSource(() => options.s3 ?? createS3Client());
  const bytes = await source.bytes(uri);
  return parseEventsCsv(new TextDecoder().decode(bytes), uri, { logger: options.logger });
}
