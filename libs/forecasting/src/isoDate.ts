import { InvalidOptionError } from './errors';

const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * `isoDate` (a `YYYY-MM-DD` calendar date, a UTC day) moved by `days` whole days. A small local
 * helper so the engine needs no date library; it gives the same dates as sales-data's `addDays`.
 */
export function addDays(isoDate: string, days: number): string {
  const m = ISO_DATE.exec(isoDate);
  const ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : Number.NaN;
  // Date.UTC rolls 2025-02-30 over to March; a real date reads back as itself.
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== isoDate) {
    throw new InvalidOptionError(`date "${isoDate}" is not a calendar date (expected YYYY-MM-DD)`);
  }
  if (!Number.isInteger(days)) {
    throw new InvalidOptionError(`days ${days} is not allowed (expected an integer)`);
  }
  return new Date(ms + days * DAY_MS).toISOString().slice(0, 10);
}
