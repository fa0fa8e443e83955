import { DAY_MS, MAX_DAY, MIN_DAY, calendarDay, isoDateToDay } from '@retail-forecast/util';

/**
 * Conversions from whatever a Parquet/CSV/JSON reader hands over to the numbers the accumulator
 * stores. They never throw: a value that does not convert yields a reason the caller reports.
 */

export type DateResult =
  { ok: true; day: number } | { ok: false; problem: 'not_a_date' | 'out_of_range' };
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
function fromEpochNumber(n: number): DateResult {
  if (!Number.isFinite(n)) return { ok: false, problem: 'not_a_date' };
  const abs = Math.abs(n);
  if (abs < 1e6) return Number.isInteger(n) ? checkRange(n) : { ok: false, problem: 'not_a_date' };
  if (Number.isInteger(n) && n >= 19_000_101 && n <= 29_991_231) {
    const day = calendarDay(Math.floor(n / 10_000), Math.floor(n / 100) % 100, n % 100);
    if (day !== undefined) return { ok: true, day };
  }
  if (abs < 1e11) return fromEpochMs(n * 1000);
  if (abs < 1e14) return fromEpochMs(n);
  if (abs < 1e17) return fromEpochMs(n / 1000);
  return fromEpochMs(n / 1e6);
}

function fromBigInt(v: bigint): DateResult {
  if (v >= INT96_THRESHOLD) {
    // Raw INT96 (Impala/Spark legacy timestamp): high 32 bits Julian day, low 64 bits nanos of day.
    const julian = v >> 64n;
    const nanosOfDay = v & 0xffff_ffff_ffff_ffffn;
    const day =
      Number(julian - JULIAN_DAY_OF_EPOCH) + Math.floor(Number(nanosOfDay) / (DAY_MS * 1e6));
    return checkRange(day);
  }
  const abs = v < 0n ? -v : v;
  // Above 2^53 only nanoseconds are plausible; divide before converting to keep precision.
  if (abs >= 100_000_000_000_000_000n) return fromEpochMs(Number(v / 1_000_000n));
  return fromEpochNumber(Number(v));
}

function fromString(raw: string): DateResult {
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
  // No zone or Z: already UTC. An explicit offset can move the instant to the neighbouring UTC day.
  if (zone === undefined || zone === 'Z') return { ok: true, day: localDay };
  return fromEpochMs(Date.parse(text.replace(' ', 'T')));
}

/**
 * The UTC calendar day (days since 1970-01-01) of an `event_date` value: a Date (hyparquet's
 * DATE/TIMESTAMP/INT96 conversion), a `YYYY-MM-DD` or ISO timestamp string, an epoch number or
 * bigint (unit inferred from magnitude), or a raw INT96 bigint.
 */
export function parseEventDate(value: unknown): DateResult {
  if (value instanceof Date) return fromEpochMs(value.getTime());
  if (typeof value === 'string') return fromString(value);
  if (typeof value === 'number') return fromEpochNumber(value);
  if (typeof value === 'bigint') return fromBigInt(value);
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

/** A product id as text, trimmed; undefined when absent or blank. */
export function parseProductId(value: unknown): string | undefined {
  if (typeof value === 'string') {
    const id = value.trim();
    return id === '' ? undefined : id;
  }
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
