import type { S3Client } from '@aws-sdk/client-s3';
import {
  calendarHistoryTooShort,
  calendarMinHistoryDays,
  calendarRegressors,
  parseHolidayRegion,
  sparseDummies,
} from '@retail-forecast/forecasting';
import type { HolidayRegion, SeriesContext } from '@retail-forecast/forecasting';
import { readEventsFile, unmatchedEventScopes } from '@retail-forecast/sales-data';
import type { EventRow, LoadWarning } from '@retail-forecast/sales-data';
import type { Logger } from '@retail-forecast/util';
import type { EngineSettings, RunConfig, SparseCalendarColumn } from './types';

/** The run's calendar settings, read once at start: what each product's context is built from. */
export interface CalendarSettings {
  holidays?: HolidayRegion;
  events?: EventRow[];
  /** Where the events came from (`--events`), for messages. */
  eventsFile?: string;
  /**
   * The events file's warnings so far (repeated lines, then scopes matching nothing), each naming
   * file and line, for the run summary's `warnings`; they are logged as they are found too.
   */
  warnings: LoadWarning[];
}

/**
 * Reads `--events` (local or `s3://`) and parses `--holidays`, before any data is loaded, so a bad
 * file or code fails the run at start. Undefined when neither is set.
 * @throws sales-data's CorruptFileError / SourceReadError for the events file (exit 2)
 */
export async function loadCalendarSettings(
  config: { holidays?: string; events?: string },
  deps: { s3?: S3Client; logger: Pick<Logger, 'info' | 'warn'> },
): Promise<CalendarSettings | undefined> {
  if (config.holidays === undefined && config.events === undefined) return undefined;
  const holidays = config.holidays !== undefined ? parseHolidayRegion(config.holidays) : undefined;
  const warnings: LoadWarning[] = [];
  const file = config.events;
  const events =
    file !== undefined
      ? await readEventsFile(file, {
          s3: deps.s3,
          logger: { warn: (message) => warn(warnings, file, message, deps.logger) },
        })
      : undefined;
  deps.logger.info(
    `calendar effects: ${holidays ? `public holidays of ${config.holidays}` : 'no holidays'}, ${
      events ? `${events.length} event rows from ${config.events}` : 'no events'
    }`,
  );
  return { holidays, events, eventsFile: config.events, warnings };
}

function warn(
  warnings: LoadWarning[],
  file: string,
  message: string,
  logger: Pick<Logger, 'warn'>,
): void {
  warnings.push({ kind: 'events_file', file, message });
  logger.warn(message);
}

/** At most this many unmatched-scope lines are logged one by one; the rest are counted. */
const MAX_SCOPE_WARNINGS = 20;

/**
 * Warns about each events row whose `product:`/`category:` scope matches none of the loaded
 * products (file, line and scope): such a row is never used. The warnings are logged and added to
 * `settings.warnings` (the first 20 one by one, then a count). Skipped for a shard, which sees only
 * its share of the catalog.
 * @returns the number of such rows
 */
export function warnUnmatchedEvents(
  settings: CalendarSettings | undefined,
  products: Iterable<{ productId: string; category?: string }>,
  deps: { logger: Pick<Logger, 'warn'>; sharded: boolean },
): number {
  if (!settings?.events || !settings.eventsFile || deps.sharded) return 0;
  const file = settings.eventsFile;
  const messages = unmatchedEventScopes(settings.events, file, products);
  for (const m of messages.slice(0, MAX_SCOPE_WARNINGS))
    warn(settings.warnings, file, m, deps.logger);
  if (messages.length > MAX_SCOPE_WARNINGS)
    warn(
      settings.warnings,
      file,
      `${file}: and ${messages.length - MAX_SCOPE_WARNINGS} more rows whose scope matches nothing in the data`,
      deps.logger,
    );
  return messages.length;
}

/**
 * One product's `SeriesContext`: its start date (which places its weekdays), its category (which
 * groups the catalogue's weekday profile, `withWeekdayPriors`) and, with calendar `settings`,
 * its calendar regressors over its history (`length` days from `startDate`) and the horizon.
 */
export function productContext(
  settings: CalendarSettings | undefined,
  product: { productId: string; category?: string; startDate: string; length: number },
  horizon: number,
): SeriesContext {
  const regressors = settings
    ? calendarRegressors({
        startDate: product.startDate,
        length: product.length,
        horizon,
        holidays: settings.holidays,
        events: settings.events,
        product: { id: product.productId, category: product.category },
      })
    : undefined;
  return {
    startDate: product.startDate,
    ...(product.category !== undefined ? { category: product.category } : {}),
    ...(regressors ? { regressors } : {}),
  };
}

/**
 * Per holiday or event column, the products whose history sees it on fewer than two days, so the
 * calendar candidate estimates no effect of it for them (forecasting's `sparseDummies`): most
 * products first, then by name. Empty when no product has calendar regressors.
 */
export function sparseCalendarColumns(
  products: Iterable<{ history: ArrayLike<number>; context?: SeriesContext }>,
): SparseCalendarColumn[] {
  const counts = new Map<string, number>();
  for (const p of products) {
    const regressors = p.context?.regressors;
    if (!regressors) continue;
    for (const name of sparseDummies(regressors, p.history)) {
      counts.set(name, (counts.get(name) ?? 0) + 1);
    }
  }
  return [...counts]
    .map(([name, n]) => ({ name, products: n }))
    .sort((a, b) => b.products - a.products || a.name.localeCompare(b.name));
}

/** `holiday:Juneteenth (61 products), event:promo (1 product)`, at most `max` named. */
export function describeSparseColumns(columns: SparseCalendarColumn[], max = 8): string {
  const named = columns
    .slice(0, max)
    .map((c) => `${c.name} (${c.products} product${c.products === 1 ? '' : 's'})`);
  if (columns.length > max) named.push(`and ${columns.length - max} more`);
  return named.join(', ');
}

/** Logs the holidays and events seen too rarely to estimate (nothing when there are none). */
export function logSparseCalendar(
  columns: SparseCalendarColumn[],
  logger: Pick<Logger, 'info'>,
): void {
  if (columns.length === 0) return;
  logger.info(
    `calendar: ${columns.length} holidays/events are seen on fewer than 2 days of some products' history, so no effect of them is estimated for those products: ${describeSparseColumns(columns)}`,
  );
}

/**
 * The number of products whose history is too short for the calendar candidate `dhr`, so that
 * `--holidays`/`--events` cannot affect their forecasts (forecasting's `calendarHistoryTooShort`:
 * fewer than 42 known days before the earliest validation origin, 63 days at horizon 7).
 */
export function calendarTooShortCount(
  products: Iterable<{ history: ArrayLike<number> }>,
  horizon: number,
): number {
  let n = 0;
  for (const p of products) if (calendarHistoryTooShort(p.history, { horizon })) n++;
  return n;
}

/** Logs how many products get no calendar effect for want of history (nothing when none). */
export function logCalendarTooShort(
  tooShort: number,
  products: number,
  horizon: number,
  logger: Pick<Logger, 'info'>,
): void {
  if (tooShort === 0) return;
  const needs = `the calendar model needs ${calendarMinHistoryDays({ horizon })} days since the first sale at horizon ${horizon}`;
  logger.info(
    tooShort === products
      ? `calendar: no product has enough history for holiday and event effects (${tooShort} too short: ${needs}), so --holidays/--events do not change any forecast`
      : `calendar: ${tooShort} of ${products} products have too little history for holiday and event effects (${needs}), so --holidays/--events do not change their forecasts`,
  );
}

/**
 * The engine settings a run or a backtest records (`EngineSettings`: global model, combination
 * rule, outlier, level-shift and weekday-profile settings, holidays, events file), with what the
 * calendar cannot do for `products` (their histories and contexts): the holidays and events seen
 * too rarely and the histories too short for calendar effects, each logged once (nothing when
 * there is nothing to say).
 */
export function engineSettings(
  config: Pick<
    RunConfig,
    | 'globalModel'
    | 'combination'
    | 'cleanOutliers'
    | 'followLevelShifts'
    | 'catalogueProfile'
    | 'holidays'
    | 'events'
  >,
  calendar: CalendarSettings | undefined,
  products: { history: ArrayLike<number>; context?: SeriesContext }[],
  horizon: number,
  logger: Pick<Logger, 'info'>,
): EngineSettings {
  // A holiday or event seen on fewer than two days of a history gets no effect: said, not hidden.
  const sparseCalendar = calendar ? sparseCalendarColumns(products) : [];
  logSparseCalendar(sparseCalendar, logger);
  const calendarTooShort = calendar ? calendarTooShortCount(products, horizon) : 0;
  logCalendarTooShort(calendarTooShort, products.length, horizon, logger);
  return {
    globalModel: config.globalModel,
    combination: config.combination,
    outliers: config.cleanOutliers ? 'clean' : 'keep',
    levelShifts: config.followLevelShifts ? 'follow' : 'ignore',
    weekdayProfile: config.catalogueProfile ? 'catalogue' : 'own',
    holidays: config.holidays ?? null,
    events:
      config.events !== undefined
        ? { uri: config.events, rows: calendar?.events?.length ?? 0 }
        : null,
    sparseCalendar,
    calendarTooShort,
  };
}
