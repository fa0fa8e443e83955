import { InvalidDateError } from './errors';

/**
 * Sales dates are calendar days without a time zone, so all arithmetic here is on UTC days:
 * a day index is the number of days since 1970-01-01 (negative before it). No DST, no local time.
 */

/** Milliseconds in a UTC calendar day. */
export const DAY_MS = 86_400_000;

// Bounds keep one bad row (year 0001 or 9999) from allocating centuries of daily cells.
const MIN_YEAR = 1900;
const MAX_YEAR = 2999;
/** Day index of 1900-01-01, the earliest accepted date. */
export const MIN_DAY = Date.UTC(MIN_YEAR, 0, 1) / DAY_MS;
/** Day index of 2999-12-31, the latest accepted date. */
export const MAX_DAY = Date.UTC(MAX_YEAR, 11, 31) / DAY_MS;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Day index of a strict `YYYY-MM-DD` calendar date, or undefined when the text is not one (wrong
 * shape, month 13, February 30th, year outside 1900–2999).
 */
export function isoDateToDay(text: string): number | undefined {
  const m = ISO_DATE.exec(text);
  if (!m) return undefined;
  return calendarDay(Number(m[1]), Number(m[2]), Number(m[3]));
}

/** Day index of a year/month/day triple, or undefined when it is not a real calendar day. */
export function calendarDay(year: number, month: number, day: number): number | undefined {
  if (year < MIN_YEAR || year > MAX_YEAR || month < 1 || month > 12 || day < 1) return undefined;
  const ms = Date.UTC(year, month - 1, day);
  // Date.UTC rolls 2025-02-30 over to March; a real date maps back to the same month.
  if (new Date(ms).getUTCMonth() !== month - 1) return undefined;
  return ms / DAY_MS;
}

/** `YYYY-MM-DD` of a day index. */
export function dayToIsoDate(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** True when `text` is a strict `YYYY-MM-DD` calendar date between 1900 and 2999. */
export function isIsoDate(text: string): boolean {
  return isoDateToDay(text) !== undefined;
}

/**
 * Day index of a `YYYY-MM-DD` date.
 * @throws InvalidDateError naming `what` and the text when it is not a date.
 */
export function requireIsoDay(text: string, what = 'date'): number {
  const day = isoDateToDay(text);
  if (day === undefined) {
    throw new InvalidDateError(
      `${what} ${JSON.stringify(text)} is not a date (expected YYYY-MM-DD between ${MIN_YEAR} and ${MAX_YEAR})`,
    );
  }
  return day;
}

/** The UTC calendar day of a Date as `YYYY-MM-DD`. @throws InvalidDateError for an invalid Date. */
export function isoDate(date: Date): string {
  if (Number.isNaN(date.getTime())) {
    throw new InvalidDateError('isoDate got an invalid Date (expected a valid Date)');
  }
  return date.toISOString().slice(0, 10);
}

/**
 * `date` moved by `days` calendar days (negative moves back): `addDays('2025-04-28', 1)` is
 * `'2025-04-29'`. @throws InvalidDateError for a non-date or a non-integer `days`.
 */
export function addDays(date: string, days: number): string {
  if (!Number.isInteger(days)) throw new InvalidDateError(`addDays days ${days} is not an integer`);
  return dayToIsoDate(requireIsoDay(date, 'addDays date') + days);
}

/** Whole days from `from` to `to` (positive when `to` is later). @throws InvalidDateError. */
export function daysBetween(from: string, to: string): number {
  return requireIsoDay(to, 'daysBetween to') - requireIsoDay(from, 'daysBetween from');
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
/** Three-letter English weekday. */
export type Weekday = (typeof WEEKDAYS)[number];

/** Weekday of a day index (1970-01-01 was a Thursday). */
export function weekdayOfDay(day: number): Weekday {
  return WEEKDAYS[(((day + 4) % 7) + 7) % 7];
}

/**
 * Day of week of a day index in the Gold zone's convention (Spark `dayofweek`): 1 = Sunday …
 * 7 = Saturday.
 */
export function sparkDayOfWeek(day: number): number {
  return ((((day + 4) % 7) + 7) % 7) + 1;
}

/** True when `s` is one of `Sun` … `Sat`. */
export function isWeekday(s: string): s is Weekday {
  return (WEEKDAYS as readonly string[]).includes(s);
}
