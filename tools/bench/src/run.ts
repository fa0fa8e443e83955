/**
 * Accuracy and speed figures of the forecasting engine, printed (never asserted):
 *   npm run bench
 * Protocol as ../shared/datasets/README.md: h = 7, 4 origins, MASE scaled by the in-sample
 * seasonal-naive MAE, mean over fits.
 */
import os from 'node:os';
import path from 'node:path';
import {
  backtest,
  forecastAuto,
  forecastMany,
  formatLeaderboard,
  type BacktestReport,
  type SeriesInput,
} from '@retail-forecast/forecasting';
import { DATASETS, loadGoldCsv, smoothWeeklySeries } from './data';

const MODELS = [
  'snaive',
  'naive',
  'mean',
  'ses',
  'ets',
  'theta',
  'dotm',
  'croston',
  'sba',
  'tsb',
  'combo',
  'auto',
];
/** R forecast 8.20 on the superstore set (datasets README). */
const R_REFERENCE: Record<string, number> = { snaive: 1.821, ets: 1.462, croston: 1.574 };

function relative(report: BacktestReport, reference: Record<string, number>): string {
  const base = report.byModel.find((r) => r.model === 'snaive')?.meanMase ?? NaN;
  return report.byModel
    .map((r) => {
      const ref = reference[r.model];
      const refText = ref ? `   R: ${ref.toFixed(3)} (${(ref / reference.snaive).toFixed(3)})` : '';
      return `  ${r.model.padEnd(8)} MASE ${r.meanMase.toFixed(3)}  rel. snaive ${(r.meanMase / base).toFixed(3)}${refText}`;
    })
    .join('\n');
}

function run(title: string, series: SeriesInput[], reference: Record<string, number> = {}): void {
  const t0 = performance.now();
  const report = backtest(series, { horizon: 7, origins: 4, models: MODELS });
  const secs = (performance.now() - t0) / 1000;
  console.log(`\n=== ${title} (${secs.toFixed(1)} s) ===`);
  console.log(formatLeaderboard(report));
  const source = Object.keys(reference).length > 0 ? ' (R forecast 8.20 figures alongside)' : '';
  console.log(`\nRelative to seasonal naive${source}:`);
  console.log(relative(report, reference));
}

async function throughput(): Promise<void> {
  const series = smoothWeeklySeries(200, 400, 7);
  let t0 = performance.now();
  for (const s of series) forecastAuto(s.y);
  const single = (performance.now() - t0) / 1000;
  t0 = performance.now();
  await forecastMany(series, { workers: 2 });
  const two = (performance.now() - t0) / 1000;
  console.log(
    `\n=== Throughput of forecastAuto, 200 generated 400-day seasonal series (${os.availableParallelism()} cores) ===`,
  );
  console.log(
    `  single thread      ${(200 / single).toFixed(1)} series/s (${single.toFixed(2)} s)`,
  );
  console.log(
    `  forecastMany, 2 w  ${(200 / two).toFixed(1)} series/s (${two.toFixed(2)} s, incl. worker start-up)`,
  );
}

function goldSanity(series: SeriesInput[]): void {
  console.log('\n=== retail-ai-insights Gold data: forecastAuto for the first products ===');
  for (const s of series.slice(0, 6)) {
    const f = forecastAuto(s.y);
    const last28 = s.y.subarray(s.y.length - 28);
    const recent = last28.reduce((a, b) => a + b, 0) / 28;
    const p = (a: Float64Array) => [...a].map((v) => v.toFixed(1)).join(' ');
    console.log(
      `  ${s.id} ${f.model} [${f.demandClass}] recent mean ${recent.toFixed(2)}/day\n    p10 ${p(f.p10)}\n    p50 ${p(f.p50)}\n    p90 ${p(f.p90)}`,
    );
  }
}

async function main(): Promise<void> {
  const only = process.argv[2];
  const superstore = loadGoldCsv(path.join(DATASETS, 'superstore/subcategory_daily_gold.csv'));
  if (!only || only === 'superstore') {
    if (superstore)
      run('Superstore sub-categories, intermittent daily (17 series)', superstore, R_REFERENCE);
    else console.log(`skipped superstore: ${DATASETS} not found`);
  }
  if (!only || only === 'smooth') {
    run(
      'Generated smooth weekly-seasonal series (60 × 400 days, seed 42)',
      smoothWeeklySeries(60, 400, 42),
    );
  }
  const gold = loadGoldCsv(path.join(DATASETS, 'retail-ai-insights/forecast_ready.csv'));
  if (!only || only === 'gold') {
    if (gold) {
      run('retail-ai-insights Gold (61 products, 61 days)', gold);
      goldSanity(gold);
    } else console.log(`skipped retail-ai-insights: ${DATASETS} not found`);
  }
  if (!only || only === 'speed') await throughput();
}

await main();
