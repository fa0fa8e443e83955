/**
 * One leaderboard of the bench: every registry model, the global model alone and in `auto`'s
 * race, and any extra rows, backtested with the datasets README's protocol (h = 7, 4 origins);
 * printed by `run.ts` and recorded for the README's accuracy table (accuracyTable.ts). The bench's
 * test re-scores the Gold set through this same function.
 */
import {
  backtestExternal,
  formatLeaderboard,
  type BacktestReport,
  type ExternalModel,
  type SeriesInput,
} from '@retail-forecast/forecasting';
import { accuracySet, type AccuracySet, type RReference } from './accuracyTable';
import { autoWithGlobalRow, globalModelRow } from './globalModel';
import { intervalFigures } from './intervals';

/** Every registry model a leaderboard scores. */
export const LEADERBOARD_MODELS = [
  'snaive',
  'naive',
  'mean',
  'ses',
  'ets',
  'arima',
  'sarima',
  'theta',
  'dotm',
  'croston',
  'sba',
  'tsb',
  'combo',
  'combo-eat',
  'auto',
];

/** The retail-ai-insights Gold set's title in the leaderboards and the accuracy record. */
export const GOLD_TITLE = 'retail-ai-insights Gold (61 products, 61 days)';

function relative(report: BacktestReport, reference: RReference[]): string {
  const base = report.byModel.find((r) => r.model === 'snaive')?.meanMase ?? NaN;
  const rBase = reference.find((r) => r.model === 'snaive')?.mase ?? base;
  return report.byModel
    .map((r) => {
      const ref = reference.find((x) => x.model === r.model);
      const refText =
        ref && rBase
          ? `   R ${ref.method}: ${ref.mase.toFixed(3)} (${(ref.mase / rBase).toFixed(3)})`
          : '';
      return `  ${r.model.padEnd(11)} MASE ${r.meanMase.toFixed(3)}  rel. snaive ${(r.meanMase / base).toFixed(3)}${refText}`;
    })
    .join('\n');
}

export interface LeaderboardOptions {
  /** R forecast's figures, printed and recorded beside our matching models. */
  reference?: RReference[];
  /** The set's key in the accuracy record (default the title). */
  key?: string;
  /** More rows (e.g. the calendar set's `dhr` and `auto+US`). */
  extra?: ExternalModel[];
  /** Print nothing (the test): only what the record needs is computed. */
  quiet?: boolean;
}

/**
 * Backtests `series` with every leaderboard row; unless `quiet`, prints the leaderboard and
 * `auto`'s intervals three ways (intervals.ts).
 * @returns the report and the set's record for the README's table
 */
export async function leaderboard(
  title: string,
  series: SeriesInput[],
  { reference = [], key = title, extra = [], quiet = false }: LeaderboardOptions = {},
): Promise<{ report: BacktestReport; record: AccuracySet }> {
  const t0 = performance.now();
  const report = await backtestExternal(series, {
    horizon: 7,
    origins: 4,
    models: [...LEADERBOARD_MODELS, globalModelRow, autoWithGlobalRow, ...extra],
  });
  if (!quiet) {
    const secs = (performance.now() - t0) / 1000;
    console.log(`\n=== ${title} (${secs.toFixed(1)} s) ===`);
    console.log(formatLeaderboard(report));
    const source = reference.length > 0 ? ' (R forecast 8.20 figures alongside)' : '';
    console.log(`\nRelative to seasonal naive${source}:`);
    console.log(relative(report, reference));
  }
  const published = intervalFigures(series, report, { quiet });
  return { report, record: accuracySet(key, title, report, published, reference) };
}
