/**
 * How many differences a series needs, as forecast's `ndiffs` (KPSS test, level stationarity,
 * 5 %) and `nsdiffs` (its default in forecast 8.20: the seasonal-strength heuristic, D = 1 when
 * the STL seasonal strength exceeds 0.64).
 */
import { interpolateMissing } from '../../missing';
import { stl, stlDefaults } from './stl';

/** R's `is.constant` (all.equal to the first value, relative tolerance 1.5e-8); a NaN → false. */
export function isConstantSeries(x: ArrayLike<number>): boolean {
  if (x.length === 0) return true;
  const first = x[0];
  let diff = 0;
  let size = 0;
  for (let i = 0; i < x.length; i++) {
    if (!(x[i] === x[i])) return first !== first && allMissing(x);
    diff += Math.abs(x[i] - first);
    size += Math.abs(x[i]);
  }
  diff /= x.length;
  size /= x.length;
  return size > 1.5e-8 ? diff / size < 1.5e-8 : diff < 1.5e-8;
}

function allMissing(x: ArrayLike<number>): boolean {
  for (let i = 0; i < x.length; i++) if (x[i] === x[i]) return false;
  return true;
}

/**
 * KPSS statistic for level stationarity (urca's `ur.kpss(type = "mu")`) with Bartlett weights
 * up to `lags` (forecast uses trunc(3 √n / 13)).
 */
export function kpssStatistic(x: Float64Array, lags: number): number {
  const n = x.length;
  let mean = 0;
  for (const v of x) mean += v;
  mean /= n;
  const e = x.map((v) => v - mean);
  let s = 0;
  let num = 0;
  let s2 = 0;
  for (let t = 0; t < n; t++) {
    s += e[t];
    num += s * s;
    s2 += e[t] * e[t];
  }
  num /= n * n;
  s2 /= n;
  let out = 0;
  for (let i = 1; i <= lags; i++) {
    let cov = 0;
    for (let t = i; t < n; t++) cov += e[t] * e[t - i];
    out += (1 - i / (lags + 1)) * cov;
  }
  return num / (s2 + (2 / n) * out);
}

/** KPSS 5 % critical value for the level case. */
const KPSS_CRITICAL_5 = 0.463;

/** forecast's `ndiffs(x, test = "kpss")`: NaN days dropped, at most `maxD` differences. */
export function ndiffs(x: ArrayLike<number>, maxD = 2): number {
  let y = Float64Array.from(Array.from(x).filter((v) => v === v));
  let d = 0;
  if (isConstantSeries(y)) return 0;
  const needs = (z: Float64Array): boolean =>
    kpssStatistic(z, Math.trunc((3 * Math.sqrt(z.length)) / 13)) > KPSS_CRITICAL_5;
  let dodiff = needs(y);
  while (dodiff && d < maxD) {
    d++;
    const prev = y;
    y = prev.subarray(1).map((v, t) => v - prev[t]);
    if (isConstantSeries(y)) return d;
    dodiff = needs(y);
  }
  return d;
}

/**
 * Seasonal strength max(0, min(1, 1 − var(R) / var(R + S))) of an STL decomposition with R's
 * `mstl` settings (s.window = 11). Missing days are filled by linear interpolation for the
 * decomposition and left out of the variances.
 */
export function seasonalStrength(x: ArrayLike<number>, m: number): number {
  const n = x.length;
  const filled = interpolateMissing(x);
  const { seasonal, trend } = stl(filled, stlDefaults(m, 11));
  const rem: number[] = [];
  const remSeas: number[] = [];
  for (let t = 0; t < n; t++) {
    if (!(x[t] === x[t])) continue;
    const r = filled[t] - seasonal[t] - trend[t];
    rem.push(r);
    remSeas.push(r + seasonal[t]);
  }
  return Math.max(0, Math.min(1, 1 - variance(rem) / variance(remSeas)));
}

/** forecast's `nsdiffs(x)` with its default "seas" test and max.D = 1. */
export function nsdiffs(x: ArrayLike<number>, m: number): number {
  if (isConstantSeries(x)) return 0;
  if (m >= x.length) return 0;
  return seasonalStrength(x, m) > 0.64 ? 1 : 0;
}

function variance(v: number[]): number {
  let mean = 0;
  for (const x of v) mean += x;
  mean /= v.length;
  let s = 0;
  for (const x of v) s += (x - mean) ** 2;
  return s / (v.length - 1);
}
