/**
 * The global model across products in the benchmarks: as a leaderboard row of its own
 * (`global`), inside `forecastAuto`'s race (`auto+global`), and its fitting cost by catalogue
 * size (`npm run bench -- global-cost [--products 1000,10000]`). Figures are printed, never
 * asserted.
 */
import os from 'node:os';
import {
  fitGlobalModel,
  forecastAuto,
  type ExternalForecast,
  type ExternalModel,
} from '@retail-forecast/forecasting';
import { engineCatalogue } from './engine';

/** The global model's own forecast from the end of each origin's training data. */
export const globalModelRow: ExternalModel = {
  name: 'global',
  forecast(origin) {
    const { candidates } = fitGlobalModel(origin.trains);
    const out = new Map<string, ExternalForecast>();
    for (const s of origin.trains) {
      const last = candidates.get(s.id)?.forecasts.find((f) => f.end === s.y.length);
      if (last) out.set(s.id, last.q);
    }
    return out;
  },
};

/** `forecastAuto` with the global model as an external candidate, as `--global-model on` runs. */
export const autoWithGlobalRow: ExternalModel = {
  name: 'auto+global',
  forecast(origin) {
    const candidates = fitGlobalModel(origin.trains).candidates;
    const out = new Map<string, ExternalForecast>();
    for (const s of origin.trains) {
      const c = candidates.get(s.id);
      const f = forecastAuto(s.y, {}, c ? { external: [c] } : {});
      out.set(s.id, { ...f, chosen: f.model.replace(/^statistical:/, '') });
    }
    return out;
  },
};

function listArg(args: string[], name: string, fallback: number[]): number[] {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1].split(',').map(Number) : fallback;
}

/**
 * Wall time of `fitGlobalModel` (features, fit, forecasts) on the engine bench's generated
 * catalogue at each size, single thread.
 */
export function globalCostFigures(args: string[]): void {
  const sizes = listArg(args, '--products', [1000, 10000]);
  const days = 730;
  console.log(
    `\n=== Global model cost, generated catalogue × ${days} days (${os.availableParallelism()} cores, load ${os.loadavg()[0].toFixed(1)}) ===`,
  );
  fitGlobalModel(engineCatalogue(200, days, 5)); // JIT warm-up
  for (const n of sizes) {
    const series = engineCatalogue(n, days, 13);
    const t0 = performance.now();
    const { stats, candidates } = fitGlobalModel(series);
    const total = performance.now() - t0;
    console.log(
      `  ${String(n).padStart(7)} products: ${(total / 1000).toFixed(2)} s (features ${(stats.buildMs / 1000).toFixed(2)} s, fit ${(stats.fitMs / 1000).toFixed(2)} s in ${stats.iterations} iterations, forecasts ${(stats.forecastMs / 1000).toFixed(2)} s), ${stats.rows} rows × ${stats.features} features, ${((1000 * total) / n / 1000).toFixed(2)} ms/product, ${candidates.size} products forecast`,
    );
  }
}
