/**
 * Accuracy and speed figures of the forecasting engine, printed (never asserted):
 *   npm run bench
 * `npm run bench -- accuracy [--write]`: the superstore, smooth, Gold and generated holiday-set
 * leaderboards (leaderboards.ts) and the README's accuracy table made from them
 * (accuracyTable.ts; `--write` records and writes it).
 * `npm run bench -- --help`: every section in a line, with its options (args.ts).
 * `npm run bench -- engine [--products 2000] [--days 730]`: CPU per product of the engine on an
 * issue-13-shaped catalogue (engine.ts).
 * `npm run bench -- writes [--items 20000]`: the DynamoDB client's CPU per item and items/s
 * (writes.ts).
 * `npm run bench -- global-cost [--products 1000,10000]`: the global model's fitting cost by
 * catalogue size (also printed after `engine`). The leaderboards add the global model (`global`)
 * and `forecastAuto` with it in the race (`auto+global`, what `--global-model on` runs).
 * `npm run bench -- arima-speed`: seconds per series of the `arima` model next to R's auto.arima.
 * `npm run bench -- faults`: DynamoDB writes under throttling (faults.ts), then Bedrock under
 * throttling and time-outs (faultsBedrock.ts).
 * `npm run bench -- model-costs`: cost per 1,000 products per day of each model mode (modelCosts.ts).
 * `npm run bench -- shifts`: leaderboards on generated products whose demand changed (cartons,
 *   a stock-out gap, a fall to a tenth, daily sales again, a rise; data.ts `demandShiftSeries`).
 * `npm run bench -- sparse`: the leaderboard on generated very sparse products (data.ts
 *   `verySparseSeries`).
 * `npm run bench -- closed`: leaderboards on generated products of stores closed on 1–3 weekdays
 *   (sparse and daily demand; data.ts `closedWeekdaySeries`).
 * `npm run bench -- calendar [--series 30]`: the calendar candidate `dhr` and `auto` with and
 * without US holidays on the superstore set and generated holiday/yearly sets (calendar.ts).
 * `npm run bench -- transit [--r] [--spread]`: the engine on real smooth daily demand, Chicago L ridership
 * from R's modeldata (20 stations × 5 windows × 393 days), with R forecast's figures under `--r`
 * (transit.ts).
 * `npm run bench -- combination [--sets superstore,gold,smooth,global,calendar,cost]`:
 * forecastAuto's combination rules side by side, with their nested-validation scores and the CPU
 * of choosing (combination.ts).
 * `npm run bench -- scale [--products 10000,100000]`: load, forecast and end-to-end dry run of
 * generated Gold Parquet from local S3 (scale/scale.ts).
 * Protocol as ../shared/datasets/README.md: h = 7, 4 origins, MASE scaled by the in-sample
 * seasonal-naive MAE, mean over fits.
 */
import {
  ACCURACY_COMMAND,
  README,
  readmeAccuracyBlock,
  renderAccuracy,
  writeAccuracy,
  type AccuracySet,
  type RReference,
} from './accuracyTable';
import { BenchUsageError, checkBenchArgs } from './args';
import { CALENDAR_START, calendarFigures, calendarRows, generatedCalendarSet } from './calendar';
import { combinationFigures } from './combination';
import { engineFigures } from './engine';
import { globalCostFigures } from './globalModel';
import { GOLD_TITLE, leaderboard } from './leaderboards';
import { faultFigures } from './faults';
import { modelCostFigures } from './modelCosts';
import { scaleFigures } from './scale/scale';
import { transitFigures } from './transit';
import { youngFigures } from './young';
import { writeFigures } from './writes';
import { promptTokenFigures } from './promptTokens';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { forecastAuto, getModel, type SeriesInput } from '@retail-forecast/forecasting';
import { forecastMany } from '@retail-forecast/forecasting/runtime';
import {
  DATASETS,
  closedWeekdaySeries,
  verySparseSeries,
  demandShiftSeries,
  loadGoldCsv,
  smoothWeeklySeries,
} from './data';
import {
  rAutoArimaSecondsPerSeries,
  rBacktestMase,
  rEtsSecondsPerSeries,
  rForecastAvailable,
} from './r';

/** Series of the generated calendar set in the accuracy table (`calendar` prints 30 by default). */
const CALENDAR_SERIES = 20;

/** Series R's ets is timed on (about 15 s at R's 0.3–0.4 s per series). */
const R_SAMPLE = 40;

/** R forecast 8.20 on the superstore set (datasets README), by the model of ours it matches. */
const R_SUPERSTORE: RReference[] = [
  { model: 'snaive', method: 'snaive', mase: 1.821 },
  { model: 'ets', method: 'ets', mase: 1.462 },
  { model: 'arima', method: 'auto.arima', mase: 1.644 },
  { model: 'croston', method: 'croston', mase: 1.574 },
];

/** Best of `rounds` timings (other processes on a shared machine only ever add time). */
function bestSeconds(rounds: number, fn: () => void): { best: number; all: number[] } {
  const all: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    fn();
    all.push((performance.now() - t0) / 1000);
  }
  return { best: Math.min(...all), all };
}

/**
 * R forecast 8.20 on the generated smooth set (60 × 400 days, seed 42, same protocol as the
 * leaderboard: 240 fits), measured once on this 2-core machine because auto.arima alone took
 * 21 minutes (ets 1.8 minutes). Reproduce with `npm run bench -- r-accuracy`. Seasonal naive is
 * the same forecast in R, so R's figures share our snaive baseline.
 */
const R_SMOOTH_CACHED: RReference[] = [
  { model: 'arima', method: 'auto.arima', mase: 0.784 },
  { model: 'ets', method: 'ets', mase: 0.717 },
];

async function throughput(): Promise<void> {
  const series = smoothWeeklySeries(200, 400, 7);
  // Warm the JIT first: a daily job forecasts thousands of series in one process.
  for (const s of series.slice(0, 20)) forecastAuto(s.y);
  const single = bestSeconds(3, () => {
    for (const s of series) forecastAuto(s.y);
  });
  const t0 = performance.now();
  await forecastMany(series, { workers: 2 });
  const two = (performance.now() - t0) / 1000;
  const many = smoothWeeklySeries(1000, 400, 11);
  const t1 = performance.now();
  await forecastMany(many, { workers: 2 });
  const twoMany = (performance.now() - t1) / 1000;
  const perSecond = 200 / single.best;
  console.log(
    `\n=== Throughput of forecastAuto, generated 400-day seasonal series (${os.availableParallelism()} cores, load ${os.loadavg()[0].toFixed(1)}) ===`,
  );
  console.log(
    `  single thread      ${perSecond.toFixed(1)} series/s (200 series, best of 3: ${single.all.map((t) => t.toFixed(2)).join(' / ')} s)`,
  );
  console.log(
    `  forecastMany, 2 w  ${(200 / two).toFixed(1)} series/s (200 series, ${two.toFixed(2)} s incl. worker start-up)`,
  );
  console.log(
    `  forecastMany, 2 w  ${(1000 / twoMany).toFixed(1)} series/s (1,000 series, ${twoMany.toFixed(2)} s incl. worker start-up)`,
  );
  if (!rForecastAvailable()) {
    console.log('  R: skipped (Rscript with the forecast package not found)');
    return;
  }
  const sample = series.slice(0, R_SAMPLE);
  const rSeconds = rEtsSecondsPerSeries(sample);
  console.log(
    `  R forecast(ets(y), h = 7): ${rSeconds.toFixed(3)} s/series (first ${R_SAMPLE} of the same series, timed inside R)`,
  );
  console.log(
    `  ratio: forecastAuto single thread is ${(perSecond * rSeconds).toFixed(0)}× R's ets throughput (target >= 50×)`,
  );
}

/** Series ARIMA is timed on: a stepwise search fits 10–40 models per series. */
const ARIMA_SAMPLE = 10;

/**
 * Seconds per series of the `arima` model (auto.arima's search) alone, next to R's auto.arima on
 * the same series when Rscript is present. Single thread, after one warm-up series.
 */
function arimaSpeed(): void {
  const series = smoothWeeklySeries(ARIMA_SAMPLE + 1, 400, 7);
  const model = getModel('arima');
  model.fit(series[0].y).forecast(7);
  const sample = series.slice(1);
  const t0 = performance.now();
  const chosen = sample.map((s) => model.fit(s.y).name);
  const ours = (performance.now() - t0) / 1000 / sample.length;
  console.log(
    `\n=== ARIMA speed, generated 400-day seasonal series (${sample.length} series, load ${os.loadavg()[0].toFixed(1)}) ===`,
  );
  console.log(`  arima (auto.arima search)  ${ours.toFixed(3)} s/series`);
  console.log(`  chosen: ${chosen.join(', ')}`);
  if (!rForecastAvailable()) {
    console.log('  R: skipped (Rscript with the forecast package not found)');
    return;
  }
  const r = rAutoArimaSecondsPerSeries(sample);
  console.log(
    `  R forecast(auto.arima(y), h = 7): ${r.toFixed(3)} s/series (same series, timed inside R); ratio ${(r / ours).toFixed(2)}× R's throughput`,
  );
}

/** R's accuracy on the smooth set (slow: auto.arima on 240 fits). */
function rAccuracy(): void {
  if (!rForecastAvailable()) {
    console.log('skipped: Rscript with the forecast package not found');
    return;
  }
  const smooth = smoothWeeklySeries(60, 400, 42);
  for (const method of ['auto.arima', 'ets'] as const) {
    const t0 = performance.now();
    const m = rBacktestMase(smooth, method);
    console.log(
      `R ${method} on the smooth set: mean MASE ${m.toFixed(3)} (${((performance.now() - t0) / 1000).toFixed(0)} s)`,
    );
  }
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
  try {
    const { help } = checkBenchArgs(process.argv.slice(2));
    if (help !== undefined) {
      process.stdout.write(help);
      return;
    }
  } catch (err) {
    if (!(err instanceof BenchUsageError)) throw err;
    console.error(`bench: ${err.message}`);
    process.exitCode = 2;
    return;
  }
  const only = process.argv[2];
  const superstore = loadGoldCsv(path.join(DATASETS, 'superstore/subcategory_daily_gold.csv'));
  const gold = loadGoldCsv(path.join(DATASETS, 'retail-ai-insights/forecast_ready.csv'));
  // The README's accuracy table: these three leaderboards (accuracyTable.ts).
  const records: AccuracySet[] = [];
  const accuracy = !only || only === 'accuracy';
  const write = only === 'accuracy' && process.argv.includes('--write');
  // What --write needs, checked before minutes of backtests: the shared sets and the README's markers.
  if (write) {
    try {
      if (!superstore || !gold)
        throw new Error(`the superstore and Gold sets need ${DATASETS}; nothing written`);
      readmeAccuracyBlock(readFileSync(README, 'utf8'));
    } catch (err) {
      console.error(`bench: ${ACCURACY_COMMAND}: ${(err as Error).message}`);
      process.exitCode = 2;
      return;
    }
  }
  if (accuracy || only === 'superstore') {
    if (superstore)
      records.push(
        (
          await leaderboard(
            'Superstore sub-categories, intermittent daily (17 series)',
            superstore,
            {
              reference: R_SUPERSTORE,
              key: 'superstore',
            },
          )
        ).record,
      );
    else console.log(`skipped superstore: ${DATASETS} not found`);
  }
  if (accuracy || only === 'smooth') {
    const { report, record } = await leaderboard(
      'Generated smooth weekly-seasonal series (60 × 400 days, seed 42)',
      smoothWeeklySeries(60, 400, 42),
      { reference: R_SMOOTH_CACHED, key: 'smooth' },
    );
    records.push(record);
    const auto = report.byModel.find((r) => r.model === 'auto')?.meanMase ?? NaN;
    console.log('R forecast 8.20 on the same fits (cached; `npm run bench -- r-accuracy`):');
    for (const r of R_SMOOTH_CACHED)
      console.log(`  auto: ${(auto / r.mase).toFixed(3)} × R ${r.method}`);
  }
  if (accuracy || only === 'gold') {
    if (gold) {
      records.push((await leaderboard(GOLD_TITLE, gold, { key: 'gold' })).record);
      goldSanity(gold);
    } else console.log(`skipped retail-ai-insights: ${DATASETS} not found`);
  }
  if (accuracy) {
    // Holidays and a yearly cycle, with the calendar candidate and `auto` given US holidays.
    const calendar = await leaderboard(
      `Generated smooth, weekly + yearly + US holidays (${CALENDAR_SERIES} × 800 days, seed 5)`,
      generatedCalendarSet(CALENDAR_SERIES),
      { key: 'calendar', extra: calendarRows(CALENDAR_START) },
    );
    records.push(calendar.record);
    if (write) {
      const written = writeAccuracy(records);
      console.log(
        written
          ? "\nWrote tools/bench/results/accuracy.json and the README's accuracy table."
          : '\nEvery figure equals the recorded one: nothing written.',
      );
    } else {
      console.log(
        `\n=== The README's accuracy table as \`${ACCURACY_COMMAND}\` would write it (not written) ===\n`,
      );
      console.log(
        renderAccuracy({
          command: ACCURACY_COMMAND,
          measured: new Date().toISOString().slice(0, 10),
          engine: 'this tree',
          sets: records,
        }),
      );
    }
  }
  // Not part of the default run: about a minute.
  if (only === 'shifts') {
    // Products whose last weeks differ from their year: the class they sell in now, the gaps
    // that are not a new class (currentDemandClass).
    const shifts = demandShiftSeries(20, 365, 31);
    await leaderboard(
      'Generated: daily sales turned to cartons 2–12 weeks ago (20 × 365 days, seed 31)',
      shifts.cartons,
    );
    await leaderboard(
      'Generated: one stock-out of 10–20 days ending 0–14 days ago (20 × 365 days, seed 31)',
      shifts.stockOuts,
    );
    await leaderboard(
      'Generated: sales fell to a tenth 4–8 weeks ago (20 × 365 days, seed 31)',
      shifts.falls,
    );
    await leaderboard(
      'Generated: a few sales a month, daily again 2–5 weeks ago (20 × 365 days, seed 32)',
      shifts.backToDaily,
    );
    await leaderboard(
      'Generated: sales rose 2.5–5× 3–8 weeks ago (20 × 365 days, seed 33)',
      shifts.rises,
    );
  }
  // Not part of the default run: about a minute.
  if (only === 'young') await youngFigures();
  // Not part of the default run: about a minute.
  if (only === 'closed') {
    // Stores closed on 1–3 weekdays: the closed days' levels, the class read on the open days.
    const closed = closedWeekdaySeries(20, 365, 37);
    await leaderboard(
      'Generated: sparse demand, closed 1–3 weekdays (20 × 365 days, seed 37)',
      closed.sparse,
    );
    await leaderboard(
      'Generated: daily demand of 5–100, closed 1–3 weekdays (20 × 365 days, seed 37)',
      closed.smooth,
    );
  }
  // Not part of the default run: about a minute.
  if (only === 'sparse') {
    // Products selling a few units a month: every count median is 0, the means differ.
    await leaderboard(
      'Generated: very sparse demand, 0.03–0.43 a day (60 × 365 days, seed 41)',
      verySparseSeries(60, 365, 41),
    );
  }
  if (!only || only === 'prompt') {
    console.log('\n=== Bedrock prompt size (estimated input tokens, default settings) ===');
    if (gold) promptTokenFigures('retail-ai-insights Gold', gold, '2025-04-28');
    if (superstore) promptTokenFigures('Superstore', superstore, '2017-12-30');
    promptTokenFigures('generated smooth 400-day', smoothWeeklySeries(60, 400, 42), '2025-06-30');
  }
  if (!only || only === 'speed') await throughput();
  if (!only || only === 'speed' || only === 'arima-speed') arimaSpeed();
  if (only === 'r-accuracy') rAccuracy();
  // Not part of the default run: a few minutes of CPU at the default 2,000 products.
  if (only === 'engine') await engineFigures(process.argv.slice(3));
  // Not part of the default run: the 10,000-product catalogue takes a minute to fit.
  if (only === 'engine' || only === 'global-cost') globalCostFigures(process.argv.slice(3));
  // Not part of the default run: it starts local servers and takes several minutes.
  if (only === 'faults') await faultFigures();
  // Starts local S3 and the stand-ins; about a minute.
  if (only === 'model-costs') await modelCostFigures();
  if (only === 'scale') await scaleFigures(process.argv.slice(3));
  // Not part of the default run: a few minutes (the calendar candidate's search per fit).
  if (only === 'calendar') await calendarFigures(process.argv.slice(3));
  // Not part of the default run: needs R's modeldata; a few minutes (auto+US's calendar search).
  if (only === 'transit') await transitFigures(process.argv.slice(3));
  if (only === 'writes') await writeFigures();
  // Not part of the default run: every combination rule on every set (several minutes).
  if (only === 'combination') await combinationFigures(process.argv.slice(3));
}

await main();
