/**
 * `npm run bench -- young`: young products' weeks with and without the catalogue's weekday
 * profile (`withWeekdayPriors`, `AutoOptions.catalogueProfile`), h = 7, 4 rolling origins, MASE
 * scaled by the training part's in-sample seasonal-naive MAE; `auto` as `forecast run` publishes
 * it (its models' own intervals, no pooled conformal step) against `auto-own`, the same engine
 * with `catalogueProfile: false`. Rows are over the young products' fits only (each product of
 * the catalogue is still read for the profile), then over the established ones', which must not
 * move. Two sets:
 * - generated (`youngCatalogueSeries(200, 41)`): a store's catalogue with two categories whose
 *   weeks differ, half of the products 14–182 days old at the earliest origin;
 * - real (Rscript with `modeldata`, else skipped): the 20 Chicago L stations of `transit
 *   --spread`'s 40 windows, half of each window's stations cut to 14–182 days before its
 *   earliest origin (seeded), the other half whole (393 days): real weekly patterns, holidays
 *   and noise, where the models of a young station often find its week themselves.
 * Figures are printed, never asserted; nothing is tuned to them.
 */
import {
  backtestExternal,
  formatLeaderboard,
  mergeBacktestReports,
  type BacktestReport,
  type SeriesInput,
} from '@retail-forecast/forecasting';
import { seededRandom } from '@retail-forecast/util';
import os from 'node:os';
import { autoWith } from './calendar';
import { youngCatalogueSeries } from './data';
import { rChicagoStationsCsv, rModeldataAvailable } from './r';
import { parseStationTable, spreadWindowEnds, transitWindows } from './transit';

const H = 7;
const ORIGINS = 4;

/** `auto` without the catalogue's weekday profile, beside the default `auto`. */
const autoOwnWeek = () => autoWith('auto-own', { conformal: false, catalogueProfile: false });

/** Backtest of `series` (their contexts given at each cut) with `snaive`, `auto`, `auto-own`. */
function backtestYoung(series: SeriesInput[]): Promise<BacktestReport> {
  const contexts = new Map(series.map((s) => [s.id, s.context]));
  return backtestExternal(series, {
    horizon: H,
    origins: ORIGINS,
    auto: { conformal: false },
    contextAt: (id) => contexts.get(id),
    models: ['snaive', 'auto', autoOwnWeek()],
  });
}

/** The report's rows recomputed over the fits of the series `keep` accepts. */
function over(report: BacktestReport, keep: (id: string) => boolean): BacktestReport {
  const fits = report.fits.filter((f) => keep(f.seriesId));
  const series = new Set(fits.map((f) => f.seriesId)).size;
  return mergeBacktestReports([{ ...report, series, fits }]);
}

function print(title: string, report: BacktestReport, young: (id: string) => boolean): void {
  console.log(`\n=== ${title} ===`);
  console.log('Young products:');
  console.log(formatLeaderboard(over(report, young)).split('\n\nDemand class')[0]);
  console.log('Established products:');
  console.log(formatLeaderboard(over(report, (id) => !young(id))).split('\n\nDemand class')[0]);
}

export async function youngFigures(): Promise<void> {
  const t0 = performance.now();
  const generated = youngCatalogueSeries(200, 41);
  const report = await backtestYoung(generated.series);
  print(
    `Generated store catalogue, 200 products, two categories, half young (seed 41; ${((performance.now() - t0) / 1000).toFixed(1)} s)`,
    report,
    (id) => generated.young.has(id),
  );
  if (!rModeldataAvailable()) {
    console.log('\nskipped Chicago: Rscript with the modeldata package not found');
    return;
  }
  const t1 = performance.now();
  const windows = transitWindows(
    parseStationTable(rChicagoStationsCsv(), 'modeldata Chicago'),
    spreadWindowEnds(),
  );
  const rand = seededRandom(11);
  const young = new Set<string>();
  const reports: BacktestReport[] = [];
  for (const w of windows) {
    const series = w.series.map((s) => {
      if (rand() >= 0.5) return s;
      const n = 14 + H * ORIGINS + Math.floor(rand() * 169);
      young.add(s.id);
      return { id: s.id, y: s.y.subarray(s.y.length - n) };
    });
    reports.push(await backtestYoung(series));
  }
  print(
    `Chicago L stations, 40 windows, half of each window's stations young (seed 11; ${((performance.now() - t1) / 1000).toFixed(1)} s, load ${os.loadavg()[0].toFixed(1)})`,
    mergeBacktestReports(reports),
    (id) => young.has(id),
  );
}
