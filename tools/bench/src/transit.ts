/**
 * `npm run bench -- transit [--r]`: the engine on real smooth, high-volume daily demand with a
 * weekly pattern and holidays — daily Chicago L-train entries (R package `modeldata`, data set
 * `Chicago`, `?Chicago`), the shape of the held-out smooth set (105 series × 393 days).
 *
 * The set: the 20 stations × 5 windows of 393 days ending (true dates) on `TRANSIT_WINDOW_ENDS`,
 * units = round(thousands × 1000) entries, product id `<Station>_<k>` (k = 1..5 in that order).
 * `Chicago`'s station columns lag its `date` by 14 days (the value on row D is the ridership of
 * D − 14; after the shift the lowest days of each winter are Christmas and Thanksgiving), so the
 * event date of a value is `date − 14`. The data are exported by `Rscript` into a temporary
 * directory at bench time and removed; nothing is copied into the repo. Without `Rscript` or
 * `modeldata` the section prints `skipped: …` and exits 0.
 *
 * Protocol as every section: h = 7, 4 rolling origins, MASE scaled by the training part's
 * in-sample seasonal-naive MAE. Each window is backtested on its own (its own as-of: `auto`'s
 * catalogue steps see one window's stations, as a run on that day would) and the fits of the
 * five windows are pooled by the forecasting lib's `mergeBacktestReports`: mean MASE over all
 * 400 fits, WAPE / bias / wQL pooled over them, coverage the mean over them. `--r` adds R
 * forecast's ets, thetaf and auto.arima on the same 400 fits (auto.arima takes about 12 minutes
 * on 2 cores).
 * Figures are printed, never asserted; nothing is tuned to them.
 */
import {
  backtestExternal,
  formatLeaderboard,
  type BacktestReport,
  mergeBacktestReports,
  type SeriesInput,
} from '@retail-forecast/forecasting';
import { dayToIsoDate, requireIsoDay } from '@retail-forecast/util';
import os from 'node:os';
import { autoWith, withCalendar } from './calendar';
import {
  rBacktestMase,
  rChicagoStationsCsv,
  rForecastAvailable,
  rModeldataAvailable,
  type RMethod,
} from './r';

const H = 7;
const ORIGINS = 4;
const MODELS = ['snaive', 'ets', 'theta', 'sarima', 'combo', 'auto'];

/** Last event date of each window, in window order (k = 1..5). */
export const TRANSIT_WINDOW_ENDS = [
  '2015-12-31',
  '2014-07-10',
  '2013-11-30',
  '2012-06-01',
  '2011-09-15',
] as const;
/**
 * `--spread`: 40 windows ending every 37 days from 2011-06-01 to 2015-05-14, so the held-out weeks
 * fall on every part of the calendar (the five fixed windows all hold a US holiday in their last
 * four weeks). 37 is prime to 7 and to 365: the ends walk through weekdays and dates.
 */
export function spreadWindowEnds(count = 40, first = '2011-06-01', stepDays = 37): string[] {
  const day0 = requireIsoDay(first, 'first window end');
  return Array.from({ length: count }, (_, i) => dayToIsoDate(day0 + i * stepDays));
}

/** `auto` fitted on every day as it was (`--outliers keep`), beside the default `auto`. */
const autoKeepingOutliers = () => autoWith('auto-keep', { cleanOutliers: false });

/** Days per window: the held-out smooth set's length. */
export const TRANSIT_WINDOW_DAYS = 393;
/** `Chicago`'s station values on row `date` are the ridership of `date − 14` (`?Chicago`). */
export const CHICAGO_LAG_DAYS = 14;

/** modeldata's `Chicago` stations as exported: row i is the data set's `date` firstDay + i. */
export interface StationTable {
  /** Day index (days since 1970-01-01) of the first row's `date` column. */
  firstDay: number;
  stations: string[];
  /** One array per station, one value per row, in thousands of entries as stored. */
  values: Float64Array[];
}

/**
 * Parses the export of `rChicagoStationsCsv` (header `date,<station>,…`, one row per consecutive
 * `date`, values in thousands).
 * @throws Error naming `file`, the line, the column and the value for a date that is not the day
 * after the previous row's, a missing cell or a value that is not a finite number ≥ 0
 */
export function parseStationTable(text: string, file: string): StationTable {
  const lines = text.split(/\r?\n/).filter((l) => l.length > 0);
  if (lines.length < 2) throw new Error(`${file}: no data rows (expected a header and rows)`);
  const header = lines[0].split(',');
  if (header[0] !== 'date' || header.length < 2) {
    throw new Error(
      `${file} line 1: header "${lines[0].slice(0, 60)}" is not date,<station>,… (expected the Chicago export)`,
    );
  }
  const stations = header.slice(1);
  const rows = lines.length - 1;
  const values = stations.map(() => new Float64Array(rows));
  let firstDay = 0;
  for (let i = 0; i < rows; i++) {
    const line = i + 2;
    const cells = lines[i + 1].split(',');
    if (cells.length !== header.length) {
      throw new Error(
        `${file} line ${line}: ${cells.length} cells (expected ${header.length}: date and ${stations.length} stations)`,
      );
    }
    const day = requireIsoDay(cells[0], `${file} line ${line} date`);
    if (i === 0) firstDay = day;
    else if (day !== firstDay + i) {
      throw new Error(
        `${file} line ${line}: date ${cells[0]} does not follow ${dayToIsoDate(firstDay + i - 1)} (expected ${dayToIsoDate(firstDay + i)}: one row per day)`,
      );
    }
    for (let s = 0; s < stations.length; s++) {
      const v = cells[s + 1].trim() === '' ? NaN : Number(cells[s + 1]);
      if (!(Number.isFinite(v) && v >= 0)) {
        throw new Error(
          `${file} line ${line}: ${stations[s]} on ${cells[0]} is "${cells[s + 1]}" (expected thousands of entries, a number ≥ 0)`,
        );
      }
      values[s][i] = v;
    }
  }
  return { firstDay, stations, values };
}

/** One window of the set: every station over the same `days` event dates. */
export interface TransitWindow {
  /** 1-based, in the order of the window ends; the product ids end in `_<k>`. */
  k: number;
  /** First and last event date (YYYY-MM-DD) of every series, `y[0]` and `y[days − 1]`. */
  startDate: string;
  endDate: string;
  /** `<Station>_<k>`: whole entries (thousands × 1000, rounded) per event date. */
  series: SeriesInput[];
}

/**
 * The set's windows from the exported table: event date = the row's `date` − `lag` days, so the
 * window ending on event date E reads the rows dated E − days + 1 + lag … E + lag.
 * @throws Error naming the window and the dates the table lacks when a window does not fit in it
 */
export function transitWindows(
  table: StationTable,
  ends: readonly string[] = TRANSIT_WINDOW_ENDS,
  days = TRANSIT_WINDOW_DAYS,
  lag = CHICAGO_LAG_DAYS,
): TransitWindow[] {
  const rows = table.values[0]?.length ?? 0;
  const firstEvent = table.firstDay - lag;
  return ends.map((end, i) => {
    const k = i + 1;
    const last = requireIsoDay(end, `window ${k} end`);
    const from = last - days + 1 - firstEvent;
    if (from < 0 || last - firstEvent >= rows) {
      throw new Error(
        `window ${k} (${dayToIsoDate(last - days + 1)} … ${end}, ${days} days) is outside the table's event dates ${dayToIsoDate(firstEvent)} … ${dayToIsoDate(firstEvent + rows - 1)} (row dates shifted by ${lag} days)`,
      );
    }
    const series = table.stations.map((station, s) => {
      const y = new Float64Array(days);
      for (let t = 0; t < days; t++) y[t] = Math.round(table.values[s][from + t] * 1000);
      return { id: `${station}_${k}`, y };
    });
    return { k, startDate: dayToIsoDate(last - days + 1), endDate: end, series };
  });
}

function mase(report: BacktestReport, model: string): number {
  return report.byModel.find((r) => r.model === model)?.meanMase ?? NaN;
}

/** R forecast's methods on the same fits, relative to the pooled seasonal naive. */
function rFigures(windows: TransitWindow[], pooled: BacktestReport): void {
  if (!rForecastAvailable()) {
    console.log('\nR: skipped (Rscript with the forecast package not found)');
    return;
  }
  const series = windows.flatMap((w) => w.series);
  const base = mase(pooled, 'snaive');
  const auto = mase(pooled, 'auto');
  console.log(
    `\nR forecast on the same ${series.length * ORIGINS} fits (MASE scaled as above; auto.arima takes minutes):`,
  );
  for (const method of ['ets', 'thetaf', 'auto.arima'] as RMethod[]) {
    const t0 = performance.now();
    const m = rBacktestMase(series, method);
    const secs = (performance.now() - t0) / 1000;
    console.log(
      `  R ${method.padEnd(10)} MASE ${m.toFixed(3)}  rel. snaive ${(m / base).toFixed(3)}  (auto: ${(auto / m).toFixed(3)} × R ${method}; ${secs.toFixed(0)} s)`,
    );
  }
}

export async function transitFigures(args: string[]): Promise<void> {
  if (!rModeldataAvailable()) {
    console.log(
      'skipped: transit needs Rscript with the modeldata package (Debian r-cran-modeldata) for the Chicago L ridership set',
    );
    return;
  }
  const t0 = performance.now();
  const spread = args.includes('--spread');
  const windows = transitWindows(
    parseStationTable(rChicagoStationsCsv(), 'modeldata Chicago'),
    spread ? spreadWindowEnds() : TRANSIT_WINDOW_ENDS,
  );
  const exportSecs = (performance.now() - t0) / 1000;
  const reports: BacktestReport[] = [];
  const seconds: number[] = [];
  for (const w of windows) {
    const t1 = performance.now();
    reports.push(
      await backtestExternal(w.series, {
        horizon: H,
        origins: ORIGINS,
        // `auto`'s intervals as `forecast run` publishes them (the models' own, no pooled
        // conformal step), like `auto-keep`'s and `forecast backtest`'s.
        auto: { conformal: false },
        // Spread: the default engine against itself without the outlier cleaning (dhr's calendar
        // search would take an hour on 3,200 fits).
        models: spread
          ? ['snaive', 'auto', autoKeepingOutliers()]
          : [...MODELS, withCalendar('auto+US', w.startDate, 'US', {}), autoKeepingOutliers()],
      }),
    );
    seconds.push((performance.now() - t1) / 1000);
  }
  const pooled = mergeBacktestReports(reports);
  const total = seconds.reduce((a, b) => a + b, 0);
  console.log(
    `\n=== Chicago L ridership, daily entries (modeldata; ${windows[0].series.length} stations × ${windows.length} windows × ${TRANSIT_WINDOW_DAYS} days, each window its own as-of; ${total.toFixed(1)} s, load ${os.loadavg()[0].toFixed(1)}) ===`,
  );
  console.log(formatLeaderboard(pooled));
  console.log('\nauto per window (MASE relative to that window’s seasonal naive):');
  for (const [i, w] of windows.entries()) {
    const r = reports[i];
    const base = mase(r, 'snaive');
    console.log(
      `  window ${w.k} ${w.startDate} … ${w.endDate}  auto MASE ${mase(r, 'auto').toFixed(3)}  rel. snaive ${(mase(r, 'auto') / base).toFixed(3)}  auto-keep rel. ${(mase(r, 'auto-keep') / base).toFixed(3)}${spread ? '' : `  auto+US rel. ${(mase(r, 'auto+US') / base).toFixed(3)}`}  (${seconds[i].toFixed(1)} s)`,
    );
  }
  console.log(
    `Timing: R export and windows ${exportSecs.toFixed(1)} s; backtests ${total.toFixed(1)} s (${seconds.map((s) => s.toFixed(1)).join(' / ')}); ${os.availableParallelism()} cores, load ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  if (args.includes('--r') && !spread) rFigures(windows, pooled);
  else console.log('R forecast figures on the same fits: add --r (about 15 minutes)');
}
