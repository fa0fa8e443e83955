/**
 * Calendar regressors of one series: public holidays, yearly Fourier terms and planned events,
 * for its history and the horizon (the `Regressors` of a `SeriesContext`).
 */
import { dayToIsoDate, isoDateToDay } from '@retail-forecast/util';
import { InvalidOptionError } from '../errors';
import type { Regressors } from '../types';
import { eventColumns, type PlannedEvent } from './events';
import { FOURIER_MIN_DAYS, MAX_FOURIER_K, fourierColumns } from './fourier';
import { parseHolidayRegion, publicHolidays, type HolidayRegion } from './holidays';

/** `holiday:<name>`: 1 on the day of that public holiday. */
export const holidayName = (name: string): string => `holiday:${name}`;
/** 1 on the day(s) just before any public holiday (that are not holidays themselves). */
export const HOLIDAY_BEFORE = 'holiday:before';
/** 1 on the day(s) just after any public holiday (that are not holidays themselves). */
export const HOLIDAY_AFTER = 'holiday:after';

export interface CalendarOptions {
  /** ISO date of the series' first day (`y[0]`). */
  startDate: string;
  /** Days of history (`y.length`). */
  length: number;
  /** Days to forecast; the columns run through the horizon. */
  horizon: number;
  /** Public holidays of this country or region (`US`, `US-CA`, `DE-BY`, or a parsed region). */
  holidays?: string | HolidayRegion;
  /**
   * Days before and after each holiday that get the pooled `holiday:before` / `holiday:after`
   * columns; default 1 and 1. Shoppers stock up the day before a closure and demand dips or
   * rebounds the day after (FPP3 §7.4 models such spill-over with extra dummies around the day);
   * one shared column per side keeps the parameter count at two whatever the country.
   */
  window?: { before: number; after: number };
  /** Yearly Fourier pairs offered when the history has at least two years; default 3, 0 = none. */
  fourierK?: number;
  /** Planned events (see `PlannedEvent`); only those applying to `product` are used. */
  events?: readonly PlannedEvent[];
  /** The product the events are matched against. */
  product?: { id: string; category?: string };
}

/**
 * The calendar regressors of one series, each column `length + horizon` long (history, then
 * horizon):
 * - `holiday:<name>` per public holiday that falls in that span (one dummy per holiday, FPP3
 *   §7.4: each holiday has its own effect), plus `holiday:before` / `holiday:after`;
 * - `fourier:sin1`, `fourier:cos1`, … up to `fourierK` pairs, only when `length` ≥ 730 days;
 * - `event:<name>` per planned event applying to the product.
 * Returns undefined when nothing applies (no holidays asked, a short series, no events).
 * @throws InvalidOptionError for a bad start date, length, horizon, window or holiday code
 */
export function calendarRegressors(options: CalendarOptions): Regressors | undefined {
  const { length, horizon } = options;
  const firstDay = isoDateToDay(options.startDate);
  if (firstDay === undefined) {
    throw new InvalidOptionError(
      `calendar start date "${options.startDate}" is not a date (expected YYYY-MM-DD)`,
    );
  }
  for (const [what, v] of [
    ['length', length],
    ['horizon', horizon],
  ] as const) {
    if (!Number.isInteger(v) || v < 0) {
      throw new InvalidOptionError(
        `calendar ${what} ${v} is not allowed (expected an integer >= 0)`,
      );
    }
  }
  const span = length + horizon;
  const names: string[] = [];
  const columns: Float64Array[] = [];
  if (options.holidays !== undefined) {
    const region =
      typeof options.holidays === 'string'
        ? parseHolidayRegion(options.holidays)
        : options.holidays;
    const window = options.window ?? { before: 1, after: 1 };
    for (const [side, v] of Object.entries(window)) {
      if (!Number.isInteger(v) || v < 0 || v > 7) {
        throw new InvalidOptionError(
          `holiday window ${side} ${v} is not allowed (expected whole days from 0 to 7)`,
        );
      }
    }
    const h = holidayColumns(region, firstDay, span, window);
    names.push(...h.names);
    columns.push(...h.columns);
  }
  const K = options.fourierK ?? MAX_FOURIER_K;
  if (length >= FOURIER_MIN_DAYS && K > 0) {
    const f = fourierColumns(firstDay, span, K);
    names.push(...f.names);
    columns.push(...f.columns);
  }
  if (options.events && options.events.length > 0) {
    const e = eventColumns(options.events, options.product ?? { id: '' }, firstDay, span);
    names.push(...e.names);
    columns.push(...e.columns);
  }
  return names.length > 0 ? { names, columns } : undefined;
}

function holidayColumns(
  region: HolidayRegion,
  firstDay: number,
  span: number,
  window: { before: number; after: number },
): { names: string[]; columns: Float64Array[] } {
  const lastDay = firstDay + span - 1;
  // One year either side, so a window reaching across New Year sees the neighbouring holidays.
  const fromYear = Number(dayToIsoDate(firstDay).slice(0, 4)) - 1;
  const toYear = Number(dayToIsoDate(lastDay).slice(0, 4)) + 1;
  const days = publicHolidays(region, fromYear, toYear);
  const byName = new Map<string, Float64Array>();
  const isHoliday = new Uint8Array(span);
  const before = new Float64Array(span);
  const after = new Float64Array(span);
  for (const [iso, holidayNames] of days) {
    const t = (isoDateToDay(iso) as number) - firstDay;
    for (let d = 1; d <= window.before; d++) if (t - d >= 0 && t - d < span) before[t - d] = 1;
    for (let d = 1; d <= window.after; d++) if (t + d >= 0 && t + d < span) after[t + d] = 1;
    if (t < 0 || t >= span) continue;
    isHoliday[t] = 1;
    for (const name of holidayNames) {
      let column = byName.get(name);
      if (!column) {
        column = new Float64Array(span);
        byName.set(name, column);
      }
      column[t] = 1;
    }
  }
  // A holiday's own dummy carries its day; the pooled neighbours are the days around it only.
  for (let t = 0; t < span; t++) {
    if (isHoliday[t]) {
      before[t] = 0;
      after[t] = 0;
    }
  }
  const names = [...byName.keys()].sort();
  const out = { names: names.map(holidayName), columns: names.map((n) => byName.get(n)!) };
  if (window.before > 0) {
    out.names.push(HOLIDAY_BEFORE);
    out.columns.push(before);
  }
  if (window.after > 0) {
    out.names.push(HOLIDAY_AFTER);
    out.columns.push(after);
  }
  return out;
}
