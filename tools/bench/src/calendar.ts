/**
 * `npm run bench -- calendar [--series 30]`: the calendar candidate (`dhr`, regression with AR
 * errors on public holidays, yearly Fourier terms and events) next to every pool candidate and
 * `auto` with and without `--holidays`, on the superstore set (US, 2014–2017) and on generated
 * sets with planted US holiday effects and a yearly cycle (smooth and sporadic, 800 days from
 * 2023-01-02). Same protocol as the leaderboard: h = 7, 4 origins, MASE.
 * The generated sets check that the mechanism works; nothing is tuned to them.
 */
import {
  backtestExternal,
  calendarRegressors,
  forecastAuto,
  formatLeaderboard,
  publicHolidays,
  type AutoOptions,
  type BacktestReport,
  type ExternalForecast,
  type ExternalModel,
  type SeriesContext,
  type SeriesInput,
} from '@retail-forecast/forecasting';
import { isoDateToDay } from '@retail-forecast/util';
import os from 'node:os';
import path from 'node:path';
import { DATASETS, calendarSeries, readGoldCsv, sporadicCalendarSeries } from './data';
import { intervalFigures } from './intervals';

const H = 7;
const POOL = ['snaive', 'ets', 'theta', 'sba', 'tsb', 'combo', 'auto'];

/**
 * `forecastAuto` with `options` as an external model named `name`, each series fitted on its own
 * (no catalogue step) with the context `contextOf` gives its training part (`length` days).
 */
export function autoWith(
  name: string,
  options: AutoOptions,
  contextOf: (length: number) => SeriesContext = () => ({}),
): ExternalModel {
  return {
    name,
    forecast(origin) {
      const out = new Map<string, ExternalForecast>();
      for (const s of origin.trains) {
        const f = forecastAuto(s.y, { ...options, horizon: H }, contextOf(s.y.length));
        out.set(s.id, { ...f, chosen: f.model.replace(/^statistical:/, '') });
      }
      return out;
    },
  };
}

/**
 * `forecastAuto` given the calendar regressors (`holidays` region) of each training window, as an
 * external model; every series starts on `startDate` (also used by the `transit` section).
 */
export function withCalendar(
  name: string,
  startDate: string,
  holidays: string,
  options: AutoOptions,
): ExternalModel {
  return autoWith(name, options, (length) => ({
    startDate,
    regressors: calendarRegressors({ startDate, length, horizon: H, holidays }),
  }));
}

function mase(report: BacktestReport, model: string): number {
  return report.byModel.find((r) => r.model === model)?.meanMase ?? Number.NaN;
}

/** The calendar candidate alone (`dhr`) and `auto` with US holidays (`auto+US`), every series from `startDate`. */
export function calendarRows(startDate: string): ExternalModel[] {
  return [
    withCalendar('dhr', startDate, 'US', { candidates: ['dhr'] }),
    withCalendar('auto+US', startDate, 'US', {}),
  ];
}

/** First day of the generated calendar sets. */
export const CALENDAR_START = '2023-01-02';

/**
 * The generated smooth set with planted US holiday effects and a yearly cycle: `count` series of
 * 800 days from `CALENDAR_START` (seed 5).
 */
export function generatedCalendarSet(count: number): SeriesInput[] {
  return calendarSeries(count, 800, 5, usHolidayDays(), isoDateToDay(CALENDAR_START) as number);
}

function usHolidayDays(): Set<number> {
  return new Set(
    [...publicHolidays({ country: 'US' }, 2022, 2026).keys()].map((d) => isoDateToDay(d) as number),
  );
}

async function leaderboard(title: string, series: SeriesInput[], startDate: string): Promise<void> {
  const t0 = performance.now();
  const report = await backtestExternal(series, {
    horizon: H,
    origins: 4,
    models: [...POOL, ...calendarRows(startDate)],
  });
  const secs = (performance.now() - t0) / 1000;
  console.log(`\n=== ${title} (${secs.toFixed(1)} s, load ${os.loadavg()[0].toFixed(1)}) ===`);
  console.log(formatLeaderboard(report));
  const base = mase(report, 'snaive');
  console.log('\nRelative to seasonal naive:');
  for (const r of report.byModel) {
    console.log(
      `  ${r.model.padEnd(8)} MASE ${r.meanMase.toFixed(3)}  rel. snaive ${(r.meanMase / base).toFixed(3)}  coverage ${r.coverage.toFixed(3)}  ${r.meanFitMs.toFixed(1)} ms/fit`,
    );
  }
  const withDhr = report.fits.filter(
    (f) => f.model === 'auto+US' && f.chosen.includes('dhr('),
  ).length;
  const autoFits = report.fits.filter((f) => f.model === 'auto+US').length;
  console.log(`  auto+US used dhr in ${withDhr} of ${autoFits} fits (alone or pooled)`);
  intervalFigures(series);
}

export async function calendarFigures(args: string[]): Promise<void> {
  const i = args.indexOf('--series');
  const count = i >= 0 ? Number(args[i + 1]) : 30;
  const start = CALENDAR_START;
  const first = isoDateToDay(start) as number;
  const holidays = usHolidayDays();
  const superstore = readGoldCsv(path.join(DATASETS, 'superstore/subcategory_daily_gold.csv'));
  if (superstore) {
    await leaderboard(
      `Superstore sub-categories with US holidays (17 series from ${superstore.startDate})`,
      superstore.series,
      superstore.startDate,
    );
  } else console.log(`skipped superstore: ${DATASETS} not found`);
  await leaderboard(
    `Generated smooth, weekly + yearly + US holidays (${count} × 800 days, seed 5)`,
    generatedCalendarSet(count),
    start,
  );
  await leaderboard(
    `Generated sporadic with US holidays (${count} × 800 days, seed 6)`,
    sporadicCalendarSeries(count, 800, 6, holidays, first),
    start,
  );
}
