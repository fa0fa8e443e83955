import type { QuantileForecast, SeriesForecast } from './types';

/**
 * Spine forecaster (issue 2): seasonal-naive blended with the recent mean, with empirical
 * quantiles from the last weeks' residuals. The real engine (issue 3) replaces it as the default.
 */
export function forecastSeasonalRecentMean(y: Float64Array, h: number): SeriesForecast {
  const n = y.length;
  const q: QuantileForecast = {
    p10: new Float64Array(h),
    p50: new Float64Array(h),
    p90: new Float64Array(h),
  };
  if (n === 0) return { ...q, model: 'statistical:zero' };
  const window = Math.min(n, 28);
  let sum = 0;
  for (let i = n - window; i < n; i++) sum += y[i];
  const mean = sum / window;
  const seasonal = n >= 14;
  const residuals: number[] = [];
  for (let i = Math.max(7, n - 56); i < n; i++) residuals.push(y[i] - (seasonal ? y[i - 7] : mean));
  residuals.sort((a, b) => a - b);
  const quantile = (p: number) =>
    residuals.length === 0
      ? 0
      : residuals[Math.min(residuals.length - 1, Math.floor(p * residuals.length))];
  const lo = quantile(0.1);
  const hi = quantile(0.9);
  for (let k = 0; k < h; k++) {
    const base = seasonal ? 0.5 * y[n - 7 + (k % 7)] + 0.5 * mean : mean;
    const p50 = Math.max(0, base);
    q.p50[k] = p50;
    q.p10[k] = Math.min(p50, Math.max(0, base + lo));
    q.p90[k] = Math.max(p50, base + hi);
  }
  return { ...q, model: seasonal ? 'statistical:snaive-mean' : 'statistical:mean' };
}
