import { DAY_MS, MAX_DAY, MIN_DAY, calendarDay, isoDateToDay } from '@retail-forecast/util';
import { isUtcZone, localDayOf } from './timeZones';

/**
 * Conversions from whatever a Parquet/CSV/JSON reader hands over to the numbers the accumulator
 * stores. They never throw: a value that does not convert yields a reason the caller reports.
 */

/**
 * A parsed `event_date`. `utcInstant` (epoch ms) is set when the value was an instant read as a
 * UTC date (no zone known for it), so the caller can tell local midnights written as UTC instants.
 */
export type DateResult =
  | { ok: true; day: number; utcInstant?: number }
  | { ok: false; problem: 'not_a_date' | 'out_of_range' };

/** How a file's `event_date` values are to be read. */
export interface DateContext {
  /**
   * IANA zone whose local date an instant (a UTC timestamp: `…Z`, epoch numbers, a Parquet
   * TIMESTAMP adjusted to UTC, INT96) denotes; undefined or `UTC` reads the UTC date.
   */
  zone?: string;
  /**
   * The file's Date values are calendar dates or local wall-clock times, not instants (Parquet
   * DATE, TIMESTAMP with isAdjustedToUTC=false): their UTC date is the date as written.
   */
  datesAreLocal?: boolean;
}

const UTC_CONTEXT: DateContext = {};

export type SalesResult =
  | { ok: true; value: number }
  | { ok: false; problem: 'empty' | 'not_a_number' | 'not_finite' | 'negative' };

const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/;
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const INT96_THRESHOLD = 1n << 64n;
const JULIAN_DAY_OF_EPOCH = 2_440_588n;

function fromEpochMs(ms: number): DateResult {
  if (!Number.isFinite(ms)) return { ok: false, problem: 'not_a_date' };
  return checkRange(Math.floor(ms / DAY_MS));
}

/** An instant: its local date in the context's zone, or its UTC date (marked) without one. */
function fromInstant(ms: number, ctx: DateContext): DateResult {
  if (!Number.isFinite(ms)) return { ok: false, problem: 'not_a_date' };
  if (isUtcZone(ctx.zone)) {
    const result = checkRange(Math.floor(ms / DAY_MS));
    return result.ok ? { ok: true, day: result.day, utcInstant: ms } : result;
  }
  const day = localDayOf(ms, ctx.zone as string);
  return day === undefined ? { ok: false, problem: 'out_of_range' } : checkRange(day);
}

function checkRange(day: number): DateResult {
  return day >= MIN_DAY && day <= MAX_DAY
    ? { ok: true, day }
    : { ok: false, problem: 'out_of_range' };
}

/**
 * An integer whose unit is not annotated (plain INT32/INT64 in Parquet, a number in JSON). The
 * unit is told apart by magnitude, which is unambiguous for dates between 1900 and 2999:
 * days < 1e6 < YYYYMMDD (8 digits) < seconds < 1e11 < millis < 1e14 < micros < 1e17 < nanos.
 */
function fromEpochNumber(n: number, ctx: DateContext): DateResult {
  if (!Number.isFinite(n)) return { ok: false, problem: 'not_a_date' };
  const abs = Math.abs(n);
  if (abs < 1e6) return Number.isInteger(n) ? checkRange(n) : { ok: false, problem: 'not_a_date' };
  if (Number.isInteger(n) && n >= 19_000_101 && n <= 29_991_231) {
    const day = calendarDay(Math.floor(n / 10_000), Math.floor(n / 100) % 100, n % 100);
    if (day !== undefined) return { ok: true, day };
  }
  if (abs < 1e11) return fromInstant(n * 1000, ctx);
  if (abs < 1e14) return fromInstant(n, ctx);
  if (abs < 1e17) return fromInstant(n / 1000, ctx);
  return fromInstant(n / 1e6, ctx);
}

function fromBigInt(v: bigint, ctx: DateContext): DateResult {
  if (v >= INT96_THRESHOLD) {
    // Raw INT96 (Impala/Spark legacy timestamp): high 32 bits Julian day, low 64 bits nanos of day.
    const julian = v >> 64n;
    const nanosOfDay = v & 0xffff_ffff_ffff_ffffn;
    const ms = Number(julian - JULIAN_DAY_OF_EPOCH) * DAY_MS + Number(nanosOfDay / 1_000_000n);
    return fromInstant(ms, ctx);
  }
  const abs = v < 0n ? -v : v;
  // Above 2^53 only nanoseconds are plausible; divide before converting to keep precision.
  if (abs >= 100_000_000_000_000_000n) return fromInstant(Number(v / 1_000_000n), ctx);
  return fromEpochNumber(Number(v), ctx);
}

function fromString(raw: string, ctx: DateContext): DateResult {
  const text = raw.trim();
  const day = isoDateToDay(text);
  if (day !== undefined) return { ok: true, day };
  const m = TIMESTAMP.exec(text);
  if (!m) return { ok: false, problem: 'not_a_date' };
  const [, y, mo, d, hh, mi, ss = '00', zone] = m;
  const localDay = calendarDay(Number(y), Number(mo), Number(d));
  if (localDay === undefined || Number(hh) > 23 || Number(mi) > 59 || Number(ss) > 59) {
    return { ok: false, problem: 'not_a_date' };
  }
  // A wall-clock time, with or without its UTC offset, is on the date it names: the writer's
  // local day ("2025-03-03T00:00:00+01:00" is 2025-03-03). Only `Z` marks a bare UTC instant,
  // whose local date depends on the zone it is read in.
  if (zone !== 'Z') return { ok: true, day: localDay };
  return fromInstant(Date.parse(text.replace(' ', 'T')), ctx);
}

/**
 * The sales day (days since 1970-01-01) an `event_date` value denotes: the calendar date as
 * written for `YYYY-MM-DD`, wall-clock timestamps (with or without a UTC offset), days-since-epoch
 * and YYYYMMDD numbers and local Date values (`ctx.datesAreLocal`); the local date in `ctx.zone`
 * (default UTC) for instants: `…Z` strings, epoch seconds/millis/micros/nanos, Dates from a
 * Parquet TIMESTAMP adjusted to UTC, INT96.
 */
export function parseEventDate(value: unknown, ctx: DateContext = UTC_CONTEXT): DateResult {
  if (value instanceof Date) {
    return ctx.datesAreLocal ? fromEpochMs(value.getTime()) : fromInstant(value.getTime(), ctx);
  }
  if (typeof value === 'string') return fromString(value, ctx);
  if (typeof value === 'number') return fromEpochNumber(value, ctx);
  if (typeof value === 'bigint') return fromBigInt(value, ctx);
  return { ok: false, problem: 'not_a_date' };
}

/** A `daily_sales` value: a finite, non-negative number (int32, int64 bigint, double, or text). */
export function parseSales(value: unknown): SalesResult {
  let n: number;
  if (typeof value === 'number') {
    n = value;
  } else if (typeof value === 'bigint') {
    n = Number(value);
  } else if (typeof value === 'string') {
    const text = value.trim();
    if (text === '') return { ok: false, problem: 'empty' };
    if (/^[+-]?(?:inf|infinity)$/i.test(text)) return { ok: false, problem: 'not_finite' };
    if (!NUMBER.test(text)) return { ok: false, problem: 'not_a_number' };
    n = Number(text);
  } else if (value === null || value === undefined) {
    return { ok: false, problem: 'empty' };
  } else {
    return { ok: false, problem: 'not_a_number' };
  }
  if (Number.isNaN(n)) return { ok: false, problem: 'not_a_number' };
  if (!Number.isFinite(n)) return { ok: false, problem: 'not_finite' };
  if (n < 0) return { ok: false, problem: 'negative' };
  // -0 would print as "-0" in a forecast table; it is simply no sales.
  return { ok: true, value: n === 0 ? 0 : n };
}

/**
 * A product id as written (it is the DynamoDB partition key: a trimmed id would update another
 * item); undefined when absent or blank.
 */
export function parseProductId(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() === '' ? undefined : value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return undefined;
}

/** An optional numeric attribute (avg_price, avg_rating); undefined when absent or not finite. */
export function parseOptionalNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' && NUMBER.test(value.trim())) return Number(value.trim());
  return undefined;
}

/** An optional text attribute (product_name, category); undefined when absent or blank. */
export function parseOptionalText(value: unknown): string | undefined {
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return undefined;
}

/** How a raw value is shown in an issue: the text as read, Dates as ISO, missing as empty. */
export function displayValue(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date)
    return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  if (typeof value === 'string') return value;
  if (typeof value === 'object') {
    try {
      return JSON.stringify(value);
    } catch {
      return String(value);
    }
  }
  return String(value);
}
