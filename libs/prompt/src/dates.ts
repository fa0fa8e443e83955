import { isoDateToDay, weekdayOfDay, type Weekday } from '@retail-forecast/util';
import { InvalidDateError } from './errors';

/**
 * Days since 1970-01-01 (UTC) of a YYYY-MM-DD date; rejects impossible dates like 2025-02-30.
 * @throws InvalidDateError (this lib's, so callers catch one `PromptError` family)
 */
export function isoToDay(iso: string, what = 'date'): number {
  const day = isoDateToDay(iso);
  if (day === undefined) {
    throw new InvalidDateError(
      `${what} ${JSON.stringify(iso)} is not a date (expected YYYY-MM-DD)`,
    );
  }
  return day;
}

/** Three-letter English weekday of a YYYY-MM-DD date, e.g. `weekdayOf('2025-04-28') === 'Mon'`. */
export function weekdayOf(iso: string): Weekday {
  return weekdayOfDay(isoToDay(iso));
}
