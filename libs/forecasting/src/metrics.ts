import type { QuantileForecast } from './types';

/*
 * Every metric skips a pair whose actual or forecast is missing (NaN): an unknown day is
 * neither a hit nor a miss. Averages divide by the pairs used.
 */

/**
 * MASE denominator: in-sample mean absolute error of the seasonal naive forecast (lag m),
 * falling back to the naive one (lag 1) when the series is too short or the seasonal scale is 0.
 * Returns 0 when even the naive scale is 0 (a flat history: MASE is undefined).
 */
export function maseScale(train: ArrayLike<number>, period = 7): number {
  const lagMae = (lag: number) => {
    if (train.length <= lag) return 0;
    let s = 0;
    let c = 0;
    for (let t = lag; t < train.length; t++) {
      const d = Math.abs(train[t] - train[t - lag]);
      if (d !== d) continue;
      s += d;
      c++;
    }
    return c > 0 ? s / c : 0;
  };
  const seasonal = lagMae(period);
  return seasonal > 0 ? seasonal : lagMae(1);
}

/** Mean absolute scaled error of a point forecast; NaN when the scale is 0. */
export function mase(
  actual: ArrayLike<number>,
  forecast: ArrayLike<number>,
  train: ArrayLike<number>,
  period = 7,
): number {
  const scale = maseScale(train, period);
  if (!(scale > 0)) return NaN;
  return mae(actual, forecast) / scale;
}

export function mae(actual: ArrayLike<number>, forecast: ArrayLike<number>): number {
  let s = 0;
  let c = 0;
  for (let i = 0; i < actual.length; i++) {
    const d = Math.abs(forecast[i] - actual[i]);
    if (d !== d) continue;
    s += d;
    c++;
  }
  return c > 0 ? s / c : 0;
}

/** False when the actual or the forecast of a pair is missing (NaN). */
const paired = (a: number, f: number): boolean => a === a && f === f;

/** Weighted absolute percentage error: sum|f − a| / sum a; NaN when there was no demand. */
export function wape(actual: ArrayLike<number>, forecast: ArrayLike<number>): number {
  let e = 0;
  let a = 0;
  for (let i = 0; i < actual.length; i++) {
    if (!paired(actual[i], forecast[i])) continue;
    e += Math.abs(forecast[i] - actual[i]);
    a += Math.abs(actual[i]);
  }
  return a > 0 ? e / a : NaN;
}

/** Relative bias: sum(f − a) / sum a (positive = over-forecast); NaN when there was no demand. */
export function bias(actual: ArrayLike<number>, forecast: ArrayLike<number>): number {
  let e = 0;
  let a = 0;
  for (let i = 0; i < actual.length; i++) {
    if (!paired(actual[i], forecast[i])) continue;
    e += forecast[i] - actual[i];
    a += Math.abs(actual[i]);
  }
  return a > 0 ? e / a : NaN;
}

/** Pinball loss of one quantile level τ, summed over the horizon. */
export function pinballLoss(actual: ArrayLike<number>, q: ArrayLike<number>, tau: number): number {
  let s = 0;
  for (let i = 0; i < actual.length; i++) {
    const d = actual[i] - q[i];
    if (d !== d) continue;
    s += d >= 0 ? tau * d : (tau - 1) * d;
  }
  return s;
}

/**
 * Sum over P10/P50/P90 of twice the pinball loss (so the P50 term equals the absolute error).
 * Divide by the sum of actuals and by 3 for the weighted quantile loss.
 */
export function quantileLoss(actual: ArrayLike<number>, q: QuantileForecast): number {
  return (
    2 *
    (pinballLoss(actual, q.p10, 0.1) +
      pinballLoss(actual, q.p50, 0.5) +
      pinballLoss(actual, q.p90, 0.9))
  );
}

/** Weighted quantile loss over P10/P50/P90 (as Amazon Forecast's wQL, averaged over levels). */
export function weightedQuantileLoss(actual: ArrayLike<number>, q: QuantileForecast): number {
  let a = 0;
  for (let i = 0; i < actual.length; i++) if (actual[i] === actual[i]) a += Math.abs(actual[i]);
  return a > 0 ? quantileLoss(actual, q) / a / 3 : NaN;
}

/**
 * Shares of the known actuals above P90 and below P10 (each nominally 0.10 for a calibrated
 * forecast; with {@link coverage} they sum to 1). NaN when no actual is known. On count data a P10
 * of 0 cannot be undershot, so `below` falls short of 0.10 wherever zero days are common.
 */
export function tailShares(
  actual: ArrayLike<number>,
  q: QuantileForecast,
): { above: number; below: number } {
  let above = 0;
  let below = 0;
  let known = 0;
  for (let i = 0; i < actual.length; i++) {
    if (actual[i] !== actual[i]) continue;
    known++;
    if (actual[i] > q.p90[i]) above++;
    else if (actual[i] < q.p10[i]) below++;
  }
  return known > 0 ? { above: above / known, below: below / known } : { above: NaN, below: NaN };
}

/** Share of actuals inside [P10, P90]. */
export function coverage(actual: ArrayLike<number>, q: QuantileForecast): number {
  let c = 0;
  let known = 0;
  for (let i = 0; i < actual.length; i++) {
    if (actual[i] !== actual[i]) continue;
    known++;
    if (actual[i] >= q.p10[i] && actual[i] <= q.p90[i]) c++;
  }
  return known > 0 ? c / known : NaN;
}

/**
 * How much of an outcome's PIT interval lies between two levels: the calibration check for
 * forecasts of counts (Czado, Gneiting & Held 2009, "Predictive model assessment for count data",
 * the non-randomised PIT). For a whole-unit outcome y the predictive CDF F jumps at y, so its
 * probability integral transform is the interval [F(y−), F(y)] rather than a point; the share of
 * that interval inside [lo, hi] is the chance that a uniform draw from it lands there. Averaged
 * over outcomes it is what P(lo) ≤ y ≤ P(hi) is for continuous demand — 0.80 for a calibrated
 * forecast with lo = 0.1, hi = 0.9 — while the inclusive count `coverage` cannot fall to 0.80 on
 * days whose P10 is 0: every zero is inside, so a calibrated forecast covers about P(y ≤ P90),
 * nearer 0.9. F is read from the forecast's quantile function: F(y) = the highest level whose
 * quantile is ≤ y, F(y−) the highest whose quantile is < y (0 when none), so its resolution is
 * the spacing of `levels` (ask for a fine grid, e.g. 0.01 … 0.99 with `AutoOptions.quantiles`).
 * When F(y−) = F(y) (no jump on the grid) the share is 1 inside [lo, hi] and 0 outside.
 * @param y the outcome (units); NaN gives NaN
 * @param levels quantile levels, ascending, strictly inside (0, 1)
 * @param values the forecast's quantile at each level (units), same length, non-decreasing
 * @param lo lower level, default 0.1
 * @param hi upper level, default 0.9
 * @returns a share in [0, 1]
 */
export function pitCoverage(
  y: number,
  levels: ArrayLike<number>,
  values: ArrayLike<number>,
  lo = 0.1,
  hi = 0.9,
): number {
  if (y !== y) return NaN;
  let below = 0; // F(y−)
  let upTo = 0; // F(y)
  for (let i = 0; i < levels.length; i++) {
    if (values[i] < y) below = levels[i];
    if (values[i] <= y) upTo = levels[i];
  }
  if (upTo > below) {
    const inside = Math.max(0, Math.min(upTo, hi) - Math.max(below, lo));
    return inside / (upTo - below);
  }
  return upTo >= lo && upTo <= hi ? 1 : 0;
}
