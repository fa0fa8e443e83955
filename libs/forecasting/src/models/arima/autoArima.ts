/**
 * Automatic ARIMA after Hyndman & Khandakar (2008) and R forecast 8.20's `auto.arima` with its
 * defaults: D by the seasonal-strength test, d by KPSS, then the stepwise search over
 * (p,q)(P,Q) and the constant by AICc (max p, q = 5, P, Q = 2, 94 models at most; like R's stepwise
 * search it does not apply max.order), with the CSS approximation for series longer than 150 days and the best approximate
 * models refitted by exact maximum likelihood.
 */
import { ArimaFitError } from './arimaErrors';
import { fitArima, type ArimaFit, type ArimaFitOptions } from './arimaFit';
import type { ArimaOrder } from './arimaCore';
import { isConstantSeries, ndiffs, nsdiffs } from './unitRoot';
import { leastSquares } from './linear';

export interface AutoArimaOptions {
  /** Seasonal period; default 7 (daily data, weekly cycle). 1 = non-seasonal. */
  m?: number;
  /** Regressors, one column per regressor, as long as y. */
  xreg?: readonly Float64Array[];
  /** Force d or D instead of testing. */
  d?: number;
  D?: number;
  /** Default: series longer than 150 observations. */
  approximation?: boolean;
}

const NMODELS = 94;

interface Candidate {
  p: number;
  q: number;
  P: number;
  Q: number;
  constant: boolean;
  ic: number;
}

/**
 * Selects and fits the ARIMA model for `y` (oldest first; NaN = missing day).
 * @throws ArimaFitError when no model can be estimated (R: "No suitable ARIMA model found").
 */
export function autoArima(y: Float64Array, options: AutoArimaOptions = {}): ArimaFit {
  let first = 0;
  while (first < y.length && !(y[first] === y[first])) first++;
  if (first === y.length) throw new ArimaFitError('every observation is missing');
  const x = y.subarray(first);
  const xreg = options.xreg?.map((c) => c.subarray(first));
  let last = x.length - 1;
  while (!(x[last] === x[last])) last--;
  let serieslength = 0;
  for (let t = 0; t <= last; t++) if (x[t] === x[t]) serieslength++;

  const fitOpts = (o: Partial<ArimaFitOptions>): ArimaFitOptions => ({ xreg, ...o });
  if (isConstantSeries(x)) {
    return fitArima(x, order(0, 0, 0, 0, 0, 0, 1), fitOpts({ constant: true }));
  }
  const m = Math.max(1, Math.round(options.m ?? 7));
  let maxP = Math.min(5, Math.floor(serieslength / 3));
  let maxQ = Math.min(5, Math.floor(serieslength / 3));
  let maxSP = Math.min(2, Math.floor(serieslength / 3 / m));
  let maxSQ = Math.min(2, Math.floor(serieslength / 3 / m));

  // Unit-root tests run on the regression residuals when there are regressors.
  let xx: Float64Array = x;
  let xregg = xreg?.filter((c) => !isConstantSeries(c)) ?? [];
  if (xreg && xregg.length > 0) {
    const ones = new Float64Array(x.length).fill(1);
    const ls = leastSquares(x, [ones, ...xregg]);
    if (ls === null) throw new ArimaFitError('xreg is rank deficient');
    xx = x.map((v, t) => {
      let f = ls.coef[0];
      xregg.forEach((c, i) => (f += ls.coef[i + 1] * c[t]));
      return v === v && xregg.every((c) => c[t] === c[t]) ? v - f : v;
    });
  } else xregg = [];

  let D = options.D ?? Number.NaN;
  if (m === 1) {
    D = 0;
    maxSP = 0;
    maxSQ = 0;
  } else if (Number.isNaN(D) && xx.length <= 2 * m) D = 0;
  else if (Number.isNaN(D)) {
    D = nsdiffs(xx, m);
    if (D > 0 && xregg.some((c) => isConstantSeries(diffLag(c, m)))) D--;
    if (D > 0 && allMissing(diffLag(xx, m))) D--;
  }
  let dx = D > 0 ? diffLag(xx, m) : xx;
  let d = options.d ?? Number.NaN;
  if (Number.isNaN(d)) {
    d = ndiffs(dx);
    if (d > 0) {
      const dreg = xregg.map((c) => diffLag(D > 0 ? diffLag(c, m) : c, 1, d));
      if (dreg.some((c) => isConstantSeries(c))) d--;
    }
    if (d > 0 && allMissing(diffLag(dx, 1, d))) d--;
  }
  if (d > 0) dx = diffLag(dx, 1, d);
  if (dx.length === 0) throw new ArimaFitError('not enough data to proceed');
  if (isConstantSeries(dx)) {
    return fitArima(x, order(0, d, 0, 0, D, 0, m), fitOpts({ constant: d + D < 2 && !xreg }));
  }
  if (m > 1) {
    if (maxSP > 0) maxP = Math.min(maxP, m - 1);
    if (maxSQ > 0) maxQ = Math.min(maxQ, m - 1);
  }

  const approximation = options.approximation ?? x.length > 150;
  let offset = 0;
  if (approximation) {
    try {
      const base = fitArima(x, order(0, d, 0, 0, D, 0, m), fitOpts({ constant: true }));
      offset = -2 * base.loglik - serieslength * Math.log(base.rawSigma2);
    } catch (e) {
      if (!(e instanceof ArimaFitError)) throw e;
    }
  }
  const allowdrift = d + D === 1;
  const allowmean = d + D === 0;
  let constant = allowdrift || allowmean;

  const results: Candidate[] = [];
  const fitOne = (
    p: number,
    q: number,
    P: number,
    Q: number,
    c: boolean,
    approx: boolean,
  ): ArimaFit | null => {
    try {
      return fitArima(
        x,
        order(p, d, q, P, D, Q, m),
        fitOpts({ constant: c, method: approx ? 'CSS' : 'CSS-ML', offset }),
      );
    } catch (e) {
      if (e instanceof ArimaFitError) return null;
      throw e;
    }
  };
  const icOf = (f: ArimaFit | null): number => (f === null ? Number.POSITIVE_INFINITY : f.ic);
  const isNew = (p: number, q: number, P: number, Q: number, c: boolean): boolean =>
    !results.some((r) => r.p === p && r.q === q && r.P === P && r.Q === Q && r.constant === c);

  let startP = 1;
  let startQ = 1;
  let startp = 2;
  let startq = 2;
  if (x.length < 10) {
    startp = 1;
    startq = 1;
    startP = 0;
    startQ = 0;
  }
  let p = Math.min(startp, maxP);
  let q = Math.min(startq, maxQ);
  let P = Math.min(startP, maxSP);
  let Q = Math.min(startQ, maxSQ);
  let best = fitOne(p, q, P, Q, constant, approximation);
  let bestIc = icOf(best);
  results.push({ p, q, P, Q, constant, ic: bestIc });
  const tryInitial = (np: number, nq: number, nP: number, nQ: number, c: boolean): boolean => {
    const f = fitOne(np, nq, nP, nQ, c, approximation);
    results.push({ p: np, q: nq, P: nP, Q: nQ, constant: c, ic: icOf(f) });
    if (icOf(f) < bestIc) {
      best = f;
      bestIc = icOf(f);
      return true;
    }
    return false;
  };
  if (tryInitial(0, 0, 0, 0, constant)) p = q = P = Q = 0;
  if (maxP > 0 || maxSP > 0) {
    const np = maxP > 0 ? 1 : 0;
    const nP = m > 1 && maxSP > 0 ? 1 : 0;
    if (tryInitial(np, 0, nP, 0, constant)) {
      p = np;
      P = nP;
      q = Q = 0;
    }
  }
  if (maxQ > 0 || maxSQ > 0) {
    const nq = maxQ > 0 ? 1 : 0;
    const nQ = m > 1 && maxSQ > 0 ? 1 : 0;
    if (tryInitial(0, nq, 0, nQ, constant)) {
      p = P = 0;
      q = nq;
      Q = nQ;
    }
  }
  if (constant && tryInitial(0, 0, 0, 0, false)) p = q = P = Q = 0;

  // The neighbours R visits, in its order: seasonal moves, then non-seasonal, then the constant.
  const moves: [number, number, number, number][] = [
    [0, 0, -1, 0],
    [0, 0, 0, -1],
    [0, 0, 1, 0],
    [0, 0, 0, 1],
    [0, 0, -1, -1],
    [0, 0, -1, 1],
    [0, 0, 1, -1],
    [0, 0, 1, 1],
    [-1, 0, 0, 0],
    [0, -1, 0, 0],
    [1, 0, 0, 0],
    [0, 1, 0, 0],
    [-1, -1, 0, 0],
    [-1, 1, 0, 0],
    [1, -1, 0, 0],
    [1, 1, 0, 0],
  ];
  let k = results.length;
  let startk = 0;
  while (startk < k && k < NMODELS) {
    startk = k;
    let moved = false;
    for (const [dp, dq, dP, dQ] of moves) {
      const np = p + dp;
      const nq = q + dq;
      const nP = P + dP;
      const nQ = Q + dQ;
      if (
        np < 0 ||
        nq < 0 ||
        nP < 0 ||
        nQ < 0 ||
        np > maxP ||
        nq > maxQ ||
        nP > maxSP ||
        nQ > maxSQ
      )
        continue;
      if (!isNew(np, nq, nP, nQ, constant)) continue;
      k++;
      if (k > NMODELS) break;
      const f = fitOne(np, nq, nP, nQ, constant, approximation);
      results.push({ p: np, q: nq, P: nP, Q: nQ, constant, ic: icOf(f) });
      if (icOf(f) < bestIc) {
        best = f;
        bestIc = icOf(f);
        [p, q, P, Q] = [np, nq, nP, nQ];
        moved = true;
        break;
      }
    }
    if (moved || k > NMODELS) continue;
    if ((allowdrift || allowmean) && isNew(p, q, P, Q, !constant)) {
      k++;
      if (k > NMODELS) continue;
      const f = fitOne(p, q, P, Q, !constant, approximation);
      results.push({ p, q, P, Q, constant: !constant, ic: icOf(f) });
      if (icOf(f) < bestIc) {
        best = f;
        bestIc = icOf(f);
        constant = !constant;
      }
    }
  }

  if (approximation && best !== null) {
    const ordered = [...results].sort((a, b) => a.ic - b.ic);
    best = null;
    for (const r of ordered) {
      const f = fitOne(r.p, r.q, r.P, r.Q, r.constant, false);
      if (f !== null && f.ic < Number.POSITIVE_INFINITY) {
        best = f;
        break;
      }
    }
  }
  if (best === null || !(best.ic < Number.POSITIVE_INFINITY)) {
    throw new ArimaFitError('no suitable ARIMA model found');
  }
  return best;
}

function order(
  p: number,
  d: number,
  q: number,
  P: number,
  D: number,
  Q: number,
  m: number,
): ArimaOrder {
  return { p, d, q, P, D, Q, m };
}

/** `diff(x, lag, differences)`. */
function diffLag(x: Float64Array, lag: number, times = 1): Float64Array {
  let w = x;
  for (let i = 0; i < times; i++) {
    const prev = w;
    w = prev.subarray(lag).map((v, t) => v - prev[t]);
  }
  return w;
}

function allMissing(x: Float64Array): boolean {
  for (const v of x) if (v === v) return false;
  return true;
}
