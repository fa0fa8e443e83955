/**
 * STL, seasonal-trend decomposition by loess (Cleveland, Cleveland, McRae & Terpenning 1990),
 * non-robust (inner = 2, outer = 0), as R's `stl` runs it for forecast's `mstl` — used only to
 * measure seasonal strength for the seasonal-differencing decision.
 */

export interface StlOptions {
  period: number;
  /** Seasonal, trend and low-pass loess windows (odd, >= 3). */
  sWindow: number;
  tWindow: number;
  lWindow: number;
  sDegree: 0 | 1;
  tDegree: 0 | 1;
  lDegree: 0 | 1;
  sJump: number;
  tJump: number;
  lJump: number;
  inner: number;
}

/** R's `stl` defaults for a given period and seasonal window. */
export function stlDefaults(period: number, sWindow: number): StlOptions {
  const nextOdd = (x: number): number => {
    const r = Math.round(x);
    return r % 2 === 0 ? r + 1 : r;
  };
  const tWindow = nextOdd(Math.ceil((1.5 * period) / (1 - 1.5 / sWindow)));
  const lWindow = nextOdd(period);
  return {
    period,
    sWindow,
    tWindow,
    lWindow,
    sDegree: 0,
    tDegree: 1,
    lDegree: 1,
    sJump: Math.ceil(sWindow / 10),
    tJump: Math.ceil(tWindow / 10),
    lJump: Math.ceil(lWindow / 10),
    inner: 2,
  };
}

/** Decomposes y (no missing values, length > 2·period) into seasonal and trend parts. */
export function stl(
  y: Float64Array,
  o: StlOptions,
): { seasonal: Float64Array; trend: Float64Array } {
  const n = y.length;
  const np = o.period;
  const trend = new Float64Array(n);
  const season = new Float64Array(n);
  const detrended = new Float64Array(n);
  const cycle = new Float64Array(n + 2 * np);
  for (let it = 0; it < o.inner; it++) {
    for (let i = 0; i < n; i++) detrended[i] = y[i] - trend[i];
    subseriesSmooth(detrended, np, o.sWindow, o.sDegree, o.sJump, cycle);
    const low = lowPass(cycle, n, np);
    const lowSmooth = loess(low, o.lWindow, o.lDegree, o.lJump);
    for (let i = 0; i < n; i++) season[i] = cycle[np + i] - lowSmooth[i];
    const deseason = Float64Array.from(y, (v, i) => v - season[i]);
    trend.set(loess(deseason, o.tWindow, o.tDegree, o.tJump));
  }
  return { seasonal: season, trend };
}

/** Smooths each cycle-subseries and extends it by one value at both ends (stlss). */
function subseriesSmooth(
  y: Float64Array,
  np: number,
  ns: number,
  deg: number,
  jump: number,
  out: Float64Array,
): void {
  const n = y.length;
  for (let j = 0; j < np; j++) {
    const k = Math.floor((n - j - 1) / np) + 1;
    const sub = new Float64Array(k);
    for (let i = 0; i < k; i++) sub[i] = y[i * np + j];
    const smooth = loess(sub, ns, deg, jump);
    // Positions are 1-based in the loess helpers: 0 and k + 1 are the extensions.
    const first = estimate(sub, ns, deg, 0, 1, Math.min(ns, k));
    const last = estimate(sub, ns, deg, k + 1, Math.max(1, k - ns + 1), k);
    out[j] = first ?? smooth[0];
    for (let i = 0; i < k; i++) out[(i + 1) * np + j] = smooth[i];
    out[(k + 1) * np + j] = last ?? smooth[k - 1];
  }
}

/** Moving averages of lengths np, np and 3 (stlfts): n + 2np values in, n out. */
function lowPass(x: Float64Array, n: number, np: number): Float64Array {
  return movingAverage(movingAverage(movingAverage(x.subarray(0, n + 2 * np), np), np), 3);
}

function movingAverage(x: Float64Array, len: number): Float64Array {
  const out = new Float64Array(x.length - len + 1);
  let s = 0;
  for (let i = 0; i < len; i++) s += x[i];
  out[0] = s / len;
  for (let i = 1; i < out.length; i++) {
    s += x[i + len - 1] - x[i - 1];
    out[i] = s / len;
  }
  return out;
}

/**
 * Loess fit at position xs (1-based) from y[nleft..nright] (1-based, inclusive) with tricube
 * weights (stlest). Null when every weight is 0.
 */
function estimate(
  y: Float64Array,
  len: number,
  deg: number,
  xs: number,
  nleft: number,
  nright: number,
): number | null {
  const n = y.length;
  const range = n - 1;
  let h = Math.max(xs - nleft, nright - xs);
  if (len > n) h += Math.floor((len - n) / 2);
  const h9 = 0.999 * h;
  const h1 = 0.001 * h;
  const w = new Float64Array(nright - nleft + 1);
  let a = 0;
  for (let j = nleft; j <= nright; j++) {
    const r = Math.abs(j - xs);
    let wj = 0;
    if (r <= h9) wj = r <= h1 ? 1 : (1 - (r / h) ** 3) ** 3;
    w[j - nleft] = wj;
    a += wj;
  }
  if (a <= 0) return null;
  for (let i = 0; i < w.length; i++) w[i] /= a;
  if (h > 0 && deg > 0) {
    let m = 0;
    for (let j = nleft; j <= nright; j++) m += w[j - nleft] * j;
    let b = xs - m;
    let c = 0;
    for (let j = nleft; j <= nright; j++) c += w[j - nleft] * (j - m) ** 2;
    if (Math.sqrt(c) > 0.001 * range) {
      b /= c;
      for (let j = nleft; j <= nright; j++) w[j - nleft] *= b * (j - m) + 1;
    }
  }
  let ys = 0;
  for (let j = nleft; j <= nright; j++) ys += w[j - nleft] * y[j - 1];
  return ys;
}

/** Loess smooth of the whole series, evaluated every `jump` points and interpolated (stless). */
function loess(y: Float64Array, len: number, deg: number, jump: number): Float64Array {
  const n = y.length;
  const ys = new Float64Array(n);
  if (n < 2) {
    ys[0] = y[0];
    return ys;
  }
  const nj = Math.min(jump, n - 1);
  const at = (xs: number, nleft: number, nright: number): void => {
    ys[xs - 1] = estimate(y, len, deg, xs, nleft, nright) ?? y[xs - 1];
  };
  let nleft = 1;
  let nright = n;
  if (len >= n) {
    for (let i = 1; i <= n; i += nj) at(i, 1, n);
  } else if (nj === 1) {
    const nsh = Math.floor((len + 1) / 2);
    nright = len;
    for (let i = 1; i <= n; i++) {
      if (i > nsh && nright !== n) {
        nleft++;
        nright++;
      }
      at(i, nleft, nright);
    }
  } else {
    const nsh = Math.floor((len + 1) / 2);
    for (let i = 1; i <= n; i += nj) {
      if (i < nsh) {
        nleft = 1;
        nright = len;
      } else if (i >= n - nsh + 1) {
        nleft = n - len + 1;
        nright = n;
      } else {
        nleft = i - nsh + 1;
        nright = len + i - nsh;
      }
      at(i, nleft, nright);
    }
  }
  if (nj !== 1) {
    for (let i = 1; i <= n - nj; i += nj) {
      const d = (ys[i + nj - 1] - ys[i - 1]) / nj;
      for (let j = i + 1; j <= i + nj - 1; j++) ys[j - 1] = ys[i - 1] + d * (j - i);
    }
    const k = Math.floor((n - 1) / nj) * nj + 1;
    if (k !== n) {
      at(n, nleft, nright);
      if (k !== n - 1) {
        const d = (ys[n - 1] - ys[k - 1]) / (n - k);
        for (let j = k + 1; j <= n - 1; j++) ys[j - 1] = ys[k - 1] + d * (j - k);
      }
    }
  }
  return ys;
}
