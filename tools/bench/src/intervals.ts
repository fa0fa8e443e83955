/**
 * `auto`'s P10–P90 intervals three ways, per tail (printed after each leaderboard of `run.ts` and
 * `calendar.ts`): the models' own intervals (what `forecast run` publishes), conformal scores
 * pooled per demand class (`backtest`, `forecastMany`) and per series shrunk toward the model's
 * interval (`conformal: 'series'`, shard-invariant). Coverage is nominally 0.80 and each tail
 * 0.10; wQL is the pinball loss over P10/P50/P90 per unit of demand (lower is better).
 */
import {
  backtest,
  forecastAuto,
  levelKey,
  maseScale,
  pinballLoss,
  pitCoverage,
  type AutoOptions,
  type BacktestReport,
  type SeriesInput,
} from '@retail-forecast/forecasting';
import type { PublishedIntervals } from './accuracyTable';

const H = 7;
const ORIGINS = 4;
/** The quantile grid the PIT coverage reads each forecast's CDF from: 0.01 … 0.99. */
const PIT_LEVELS = Array.from({ length: 99 }, (_, i) => Number(((i + 1) / 100).toFixed(2)));

function autoRow(name: string, report: BacktestReport): string {
  const a = report.byModel.find((m) => m.model === 'auto');
  const f = (v: number | undefined, d = 3) => (v === undefined ? '-' : v.toFixed(d));
  return `  ${name.padEnd(40)} coverage ${f(a?.coverage)}  >P90 ${f(a?.above)}  <P10 ${f(a?.below)}  wQL ${f(a?.wql, 4)}`;
}

/**
 * Prints the three rows and where P10 is 0 (no day can fall below it, so on count data the lower
 * tail stays under 0.10 whatever the calibration). `pooled`: a report already holding `auto` with
 * the default (pooled) calibration, so it is not run twice. `quiet`: print nothing and skip the
 * two conformal rows (the accuracy record has the models' own intervals only).
 * @returns the models' own intervals' figures (what `forecast run` publishes), for the README's table
 */
export function intervalFigures(
  series: SeriesInput[],
  pooled?: BacktestReport,
  { quiet = false }: { quiet?: boolean } = {},
): PublishedIntervals {
  const auto = (conformal: AutoOptions['conformal']) =>
    backtest(series, { horizon: H, origins: ORIGINS, models: ['auto'], auto: { conformal } });
  const own = auto(false);
  const log = quiet ? () => {} : console.log;
  if (!quiet) {
    log('\nIntervals of auto (P10–P90 coverage, nominal 0.80; each tail nominal 0.10):');
    log(autoRow("models' own intervals (forecast run)", own));
    log(autoRow('conformal, pooled by demand class', pooled ?? auto(true)));
    log(autoRow("conformal per series, shrunk ('series')", auto('series')));
  }
  // The lower tail's reach: days whose own P10 is 0, and how often the actual was 0 there.
  let days = 0;
  let pit = 0;
  // The published quantile function on the grid: PIT share per decile, and twice the pinball loss
  // summed over the 99 levels (divided by the actuals and the levels: wQL over the grid, a
  // discrete approximation of the CRPS per unit of demand, which scores every level at once).
  const deciles = new Float64Array(10);
  let gridLoss = 0;
  let actuals = 0;
  let atZero = 0;
  let zeroThere = 0;
  // The validation weeks' own-interval tails (what the conformal scores saw): share of scores
  // above 1 (y > own P90) and of down-scores above 1 (y < own P10).
  let scores = 0;
  let upHigh = 0;
  let downHigh = 0;
  for (let o = 1; o <= ORIGINS; o++) {
    for (const s of series) {
      const cut = s.y.length - H * o;
      const train = s.y.subarray(0, cut);
      if (cut < 2 || !(maseScale(train, H) > 0)) continue;
      const f = forecastAuto(train, { conformal: false, quantiles: PIT_LEVELS });
      const v = quiet ? undefined : forecastAuto(train, { conformal: true }).conformal?.scores;
      if (v) {
        scores += v.up.length;
        for (const u of v.up) if (u > 1) upHigh++;
        for (const d of v.down) if (d > 1) downHigh++;
      }
      for (let k = 0; k < H; k++) {
        const y = s.y[cut + k];
        if (y !== y) continue;
        days++;
        const at = (level: number) =>
          level === 0.1
            ? f.p10[k]
            : level === 0.5
              ? f.p50[k]
              : level === 0.9
                ? f.p90[k]
                : (f.quantiles?.[levelKey(level)]?.[k] ?? NaN);
        const values = PIT_LEVELS.map(at);
        pit += pitCoverage(y, PIT_LEVELS, values);
        for (let d = 0; d < 10; d++)
          deciles[d] += pitCoverage(y, PIT_LEVELS, values, d / 10, (d + 1) / 10);
        PIT_LEVELS.forEach((tau, i) => (gridLoss += 2 * pinballLoss([y], [values[i]], tau)));
        actuals += y;
        if (f.p10[k] <= 0) {
          atZero++;
          if (y === 0) zeroThere++;
        }
      }
    }
  }
  log(
    `  validation weeks (the scores' source): own >P90 ${(upHigh / scores).toFixed(3)}  <P10 ${(downHigh / scores).toFixed(3)}`,
  );
  log(
    `  own intervals, PIT coverage (a whole-unit actual's [F(y−), F(y)] shared by probability; nominal 0.80): ${(pit / days).toFixed(3)}`,
  );
  log(
    `  own intervals, PIT share by decile (each nominal 0.100): ${Array.from(deciles, (v) => (v / days).toFixed(3)).join(' ')}`,
  );
  log(
    `  own intervals, wQL over the levels 0.01…0.99 (≈ CRPS per unit of demand): ${(gridLoss / actuals / PIT_LEVELS.length).toFixed(4)}`,
  );
  log(
    `  own P10 is 0 on ${((100 * atZero) / days).toFixed(1)} % of held-out days (nothing can fall below it); the actual was 0 on ${atZero > 0 ? ((100 * zeroThere) / atZero).toFixed(1) : '-'} % of those`,
  );
  const a = own.byModel.find((m) => m.model === 'auto');
  return {
    coverage: a?.coverage ?? NaN,
    above: a?.above ?? NaN,
    below: a?.below ?? NaN,
    wql: a?.wql ?? NaN,
    pitCoverage: pit / days,
    gridWql: gridLoss / actuals / PIT_LEVELS.length,
  };
}
