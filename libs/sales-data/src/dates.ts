import { InvalidArgumentError } from './errors';

/** Milliseconds in a UTC calendar day; sales dates carry no time zone, so days are UTC days. */
export const DAY_MS = 86_400_000;

// Bounds keep one bad row (year 0001 or 9999) from allocating centuries of daily cells.
const MIN_YEAR = 1900;
const MAX_YEAR = 2999;
/** Day index (days since 1970-01-01) of 1900-01-01. */
export const MIN_DAY = Date.UTC(MIN_YEAR, 0, 1) / DAY_MS;
/** Day index of 2999-12-31. */
export const MAX_DAY = Date.UTC(MAX_YEAR, 11, 31) / DAY_MS;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Day index (days since 1970-01-01 UTC) of a strict `YYYY-MM-DD` calendar date, or undefined when
 * the text is not one (wrong shape, month 13, February 30th, year outside 1900–2999).
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

/** The UTC calendar day of a Date as `YYYY-MM-DD`. */
export function isoDate(date: Date): string {
  if (Number.isNaN(date.getTime())) {
    throw new InvalidArgumentError('isoDate got an invalid Date (expected a valid Date)');
  }
  return date.toISOString().slice(0, 10);
}

function requireDay(isoDateText: string, what: string): number {
  const day = isoDateToDay(isoDateText);
  if (day === undefined) {
    throw new InvalidArgumentError(
      `${what} "${isoDateText}" is not a date (expected YYYY-MM-DD between ${MIN_YEAR} and ${MAX_YEAR})`,
    );
  }
  return day;
}

/** `isoDate` moved by `days` calendar days (negative moves back), e.g. `addDays('2025-04-28', 1)`. */
export function addDays(isoDate: string, days: number): string {
  if (!Number.isInteger(days)) {
    throw new InvalidArgumentError(`addDays days ${days} is not an integer`);
  }
  return dayToIsoDate(requireDay(isoDate, 'addDays date') + days);
}

/** Whole days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: string, to: string): number {
  return requireDay(to, 'daysBetween to') - requireDay(from, 'daysBetween from');
}
