/** Small numeric helpers over Float64Arrays. Pure, allocation-light. */

/** Standard normal quantile at 0.9: P10/P90 of a Gaussian are mean ∓ Z90·sd. */
export const Z90 = 1.2815515655446004;
/** One-sided 95% normal quantile, used by the seasonality test (as R's thetaf). */
export const Z95 = 1.6448536269514722;

export function sum(y: ArrayLike<number>, from = 0, to = y.length): number {
  let s = 0;
  for (let i = from; i < to; i++) s += y[i];
  return s;
}

export function mean(y: ArrayLike<number>, from = 0, to = y.length): number {
  return to > from ? sum(y, from, to) / (to - from) : 0;
}

/** Quantile of an ascending-sorted sample, linear interpolation (R type 7). */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return 0;
  if (n === 1) return sorted[0];
  const pos = Math.min(1, Math.max(0, p)) * (n - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
}

/** True when every known (non-NaN) value equals the first known one. */
export function isConstant(y: ArrayLike<number>): boolean {
  let first = NaN;
  for (let i = 0; i < y.length; i++) {
    const v = y[i];
    if (v !== v) continue;
    if (first !== first) first = v;
    else if (v !== first) return false;
  }
  return true;
}

/** Mean of the known (non-NaN) values of y[from, to); 0 when none is known. */
export function meanKnown(y: ArrayLike<number>, from = 0, to = y.length): number {
  let s = 0;
  let c = 0;
  for (let i = from; i < to; i++) {
    if (y[i] === y[i]) {
      s += y[i];
      c++;
    }
  }
  return c > 0 ? s / c : 0;
}

/** True when y has a NaN (a missing day). */
function anyNaN(y: ArrayLike<number>): boolean {
  for (let i = 0; i < y.length; i++) if (y[i] !== y[i]) return true;
  return false;
}

/**
 * Autocorrelations r_1..r_maxLag (as R's acf, biased denominator). Missing (NaN) values are
 * left out: mean and denominator over the known values, each lag's sum over pairs of known
 * values (R's `acf(na.action = na.pass)`).
 */
export function acf(y: ArrayLike<number>, maxLag: number): Float64Array {
  if (anyNaN(y)) return acfMissing(y, maxLag);
  const n = y.length;
  const m = mean(y);
  let denom = 0;
  for (let i = 0; i < n; i++) denom += (y[i] - m) ** 2;
  const r = new Float64Array(maxLag);
  if (denom === 0) return r;
  for (let k = 1; k <= maxLag; k++) {
    let s = 0;
    for (let i = k; i < n; i++) s += (y[i] - m) * (y[i - k] - m);
    r[k - 1] = s / denom;
  }
  return r;
}

function acfMissing(y: ArrayLike<number>, maxLag: number): Float64Array {
  const n = y.length;
  const m = meanKnown(y);
  let denom = 0;
  for (let i = 0; i < n; i++) if (y[i] === y[i]) denom += (y[i] - m) ** 2;
  const r = new Float64Array(maxLag);
  if (denom === 0) return r;
  for (let k = 1; k <= maxLag; k++) {
    let s = 0;
    for (let i = k; i < n; i++) {
      const p = (y[i] - m) * (y[i - k] - m);
      if (p === p) s += p;
    }
    r[k - 1] = s / denom;
  }
  return r;
}

/**
 * The seasonality test of R's `thetaf` and statsforecast's Theta: the lag-m autocorrelation is
 * significant at 90% (two-sided) against Bartlett's standard error. Missing (NaN) values are
 * left out (the sample size is the number of known values).
 */
export function isSeasonal(y: ArrayLike<number>, m: number): boolean {
  const n = anyNaN(y) ? countKnownValues(y) : y.length;
  if (m < 2 || n < 2 * m || isConstant(y)) return false;
  const r = acf(y, m);
  let s = 0;
  for (let k = 0; k < m - 1; k++) s += r[k] ** 2;
  const stat = Math.sqrt((1 + 2 * s) / n);
  return Math.abs(r[m - 1]) / stat > Z95;
}

/**
 * Seasonal indices of a classical multiplicative decomposition (R's `decompose(type =
 * "multiplicative")`): centred moving-average trend, mean ratio per season position, normalised
 * to mean 1. Index i applies to positions t with t mod m === i. Returns undefined when the indices
 * are unusable (zero-heavy data gives zero or non-finite ratios). A window holding a missing
 * (NaN) value has a NaN trend and is skipped.
 */
export function multiplicativeSeasonalIndices(
  y: ArrayLike<number>,
  m: number,
): Float64Array | undefined {
  const n = y.length;
  if (n < 2 * m) return undefined;
  const half = Math.floor(m / 2);
  const sums = new Float64Array(m);
  const counts = new Float64Array(m);
  for (let t = half; t < n - half; t++) {
    let trend: number;
    if (m % 2 === 1) {
      trend = mean(y, t - half, t + half + 1);
    } else {
      if (t + half >= n) break;
      let s = 0.5 * (y[t - half] + y[t + half]);
      for (let j = t - half + 1; j < t + half; j++) s += y[j];
      trend = s / m;
    }
    if (trend > 0) {
      sums[t % m] += y[t] / trend;
      counts[t % m] += 1;
    }
  }
  const idx = new Float64Array(m);
  let total = 0;
  for (let i = 0; i < m; i++) {
    if (counts[i] === 0) return undefined;
    idx[i] = sums[i] / counts[i];
    total += idx[i];
  }
  const avg = total / m;
  for (let i = 0; i < m; i++) {
    idx[i] /= avg;
    // A near-zero index would blow up the deseasonalised series; better no adjustment at all.
    if (!Number.isFinite(idx[i]) || idx[i] < 0.05) return undefined;
  }
  return idx;
}

function countKnownValues(y: ArrayLike<number>): number {
  let c = 0;
  for (let i = 0; i < y.length; i++) if (y[i] === y[i]) c++;
  return c;
}

/** Ordinary least-squares slope of y on 0..n-1; missing (NaN) values are left out. */
export function olsSlope(y: ArrayLike<number>): number {
  if (anyNaN(y)) return olsSlopeMissing(y);
  const n = y.length;
  if (n < 2) return 0;
  const tm = (n - 1) / 2;
  const ym = mean(y);
  let num = 0;
  let den = 0;
  for (let t = 0; t < n; t++) {
    num += (t - tm) * (y[t] - ym);
    den += (t - tm) ** 2;
  }
  return num / den;
}

function olsSlopeMissing(y: ArrayLike<number>): number {
  let c = 0;
  let st = 0;
  let sy = 0;
  for (let t = 0; t < y.length; t++) {
    if (y[t] === y[t]) {
      c++;
      st += t;
      sy += y[t];
    }
  }
  if (c < 2) return 0;
  const tm = st / c;
  const ym = sy / c;
  let num = 0;
  let den = 0;
  for (let t = 0; t < y.length; t++) {
    if (y[t] === y[t]) {
      num += (t - tm) * (y[t] - ym);
      den += (t - tm) ** 2;
    }
  }
  return num / den;
}

/** Golden-section minimisation of a 1-D function on [lo, hi], after a coarse grid scan so a
 * non-unimodal objective still lands near its best basin. Deterministic. */
export function minimize1d(f: (x: number) => number, lo: number, hi: number, grid = 19): number {
  let best = lo;
  let bestV = Infinity;
  for (let i = 0; i <= grid; i++) {
    const x = lo + ((hi - lo) * i) / grid;
    const v = f(x);
    if (v < bestV) {
      bestV = v;
      best = x;
    }
  }
  const step = (hi - lo) / grid;
  let a = Math.max(lo, best - step);
  let b = Math.min(hi, best + step);
  const g = (Math.sqrt(5) - 1) / 2;
  let c = b - g * (b - a);
  let d = a + g * (b - a);
  let fc = f(c);
  let fd = f(d);
  for (let it = 0; it < 40 && b - a > 1e-6; it++) {
    if (fc < fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - g * (b - a);
      fc = f(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + g * (b - a);
      fd = f(d);
    }
  }
  const x = (a + b) / 2;
  return f(x) <= bestV ? x : best;
}
