import { InvalidDateError } from './errors';

const DAY_MS = 86_400_000;
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Days since 1970-01-01 (UTC) of a YYYY-MM-DD date; rejects impossible dates like 2025-02-30. */
export function isoToDay(iso: string, what = 'date'): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const ms = Date.UTC(y, mo - 1, d);
    const back = new Date(ms);
    // Date.UTC rolls 2025-02-30 over to March; a round trip catches it.
    if (back.getUTCFullYear() === y && back.getUTCMonth() === mo - 1 && back.getUTCDate() === d) {
      return ms / DAY_MS;
    }
  }
  throw new InvalidDateError(`${what} ${JSON.stringify(iso)} is not a date (expected YYYY-MM-DD)`);
}

export function dayToIso(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export function weekdayOfDay(day: number): Weekday {
  // 1970-01-01 was a Thursday (index 4).
  return WEEKDAYS[(((day + 4) % 7) + 7) % 7];
}

/** Three-letter English weekday of a YYYY-MM-DD date, e.g. `weekdayOf('2025-04-28') === 'Mon'`. */
export function weekdayOf(iso: string): Weekday {
  return weekdayOfDay(isoToDay(iso));
}

export function isWeekday(s: string): s is Weekday {
  return (WEEKDAYS as readonly string[]).includes(s);
}
