/**
 * Variable-metric (BFGS) minimisation with a backtracking line search and numerical central-
 * difference gradients, following the algorithm of R's `optim(method = "BFGS")` (Nash 1990,
 * "Compact Numerical Methods", Algorithm 21) with its defaults: at most 100 iterations,
 * relative tolerance 1.49e-8 (√ε), gradient steps of 1e-3 in scaled units. Used where a model
 * must land where R's estimate lands (ARIMA), since the optimiser's path decides which of
 * several optima is reached.
 */

export interface BfgsOptions {
  /** Parameter scales: the search runs on x / scale (R's `parscale`); default 1. */
  scale?: ArrayLike<number>;
  maxIterations?: number;
  relTol?: number;
  /** Finite-difference step in scaled units (R's `ndeps`). */
  gradientStep?: number;
}

export interface BfgsResult {
  /** Best point, in the caller's units. */
  x: Float64Array;
  fx: number;
  /** False when the iteration limit stopped the search (R's convergence code 1). */
  converged: boolean;
  evaluations: number;
}

/**
 * Minimise `f` from `x0`. Returns null when f(x0) or a finite-difference value is not finite
 * (R stops with an error there).
 */
export function bfgs(
  f: (x: Float64Array) => number,
  x0: ArrayLike<number>,
  options: BfgsOptions = {},
): BfgsResult | null {
  const n = x0.length;
  const scale = Float64Array.from({ length: n }, (_, i) => options.scale?.[i] ?? 1);
  const maxit = options.maxIterations ?? 100;
  const reltol = options.relTol ?? 1.490116119384765625e-8;
  const ndeps = options.gradientStep ?? 1e-3;
  const stepredn = 0.2;
  const acctol = 0.0001;
  const reltest = 10.0;
  let evaluations = 0;
  const xs = new Float64Array(n);
  const fn = (z: Float64Array): number => {
    evaluations++;
    for (let i = 0; i < n; i++) xs[i] = z[i] * scale[i];
    return f(xs);
  };
  const zg = new Float64Array(n);
  const grad = (z: Float64Array, g: Float64Array): boolean => {
    zg.set(z);
    for (let i = 0; i < n; i++) {
      zg[i] = z[i] + ndeps;
      const v1 = fn(zg);
      zg[i] = z[i] - ndeps;
      const v2 = fn(zg);
      zg[i] = z[i];
      g[i] = (v1 - v2) / (2 * ndeps);
      if (!Number.isFinite(g[i])) return false;
    }
    return true;
  };

  const b = Float64Array.from({ length: n }, (_, i) => x0[i] / scale[i]);
  if (n === 0)
    return { x: new Float64Array(0), fx: f(new Float64Array(0)), converged: true, evaluations: 1 };
  let fcur = fn(b);
  if (!Number.isFinite(fcur)) return null;
  let fmin = fcur;
  const g = new Float64Array(n);
  if (!grad(b, g)) return null;
  let gradcount = 1;
  let iter = 1;
  let ilast = gradcount;
  const B = new Float64Array(n * n);
  const X = new Float64Array(n);
  const c = new Float64Array(n);
  const t = new Float64Array(n);
  let count = 0;
  do {
    if (ilast === gradcount) {
      B.fill(0);
      for (let i = 0; i < n; i++) B[i * n + i] = 1;
    }
    X.set(b);
    c.set(g);
    let gradproj = 0;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s -= B[i * n + j] * g[j];
      t[i] = s;
      gradproj += s * g[i];
    }
    if (gradproj < 0) {
      let steplength = 1.0;
      let accpoint = false;
      do {
        count = 0;
        for (let i = 0; i < n; i++) {
          b[i] = X[i] + steplength * t[i];
          if (reltest + X[i] === reltest + b[i]) count++;
        }
        if (count < n) {
          fcur = fn(b);
          accpoint = Number.isFinite(fcur) && fcur <= fmin + gradproj * steplength * acctol;
          if (!accpoint) steplength *= stepredn;
        }
      } while (!(count === n || accpoint));
      const enough = Math.abs(fcur - fmin) > reltol * (Math.abs(fmin) + reltol);
      if (!enough) {
        count = n;
        fmin = fcur;
      }
      if (count < n) {
        fmin = fcur;
        if (!grad(b, g)) return null;
        gradcount++;
        iter++;
        let D1 = 0;
        for (let i = 0; i < n; i++) {
          t[i] *= steplength;
          c[i] = g[i] - c[i];
          D1 += t[i] * c[i];
        }
        if (D1 > 0) {
          let D2 = 0;
          for (let i = 0; i < n; i++) {
            let s = 0;
            for (let j = 0; j < n; j++) s += B[i * n + j] * c[j];
            X[i] = s;
            D2 += s * c[i];
          }
          D2 = 1 + D2 / D1;
          for (let i = 0; i < n; i++) {
            for (let j = 0; j < n; j++) {
              B[i * n + j] += (D2 * t[i] * t[j] - X[i] * t[j] - t[i] * X[j]) / D1;
            }
          }
        } else {
          ilast = gradcount;
        }
      } else if (ilast < gradcount) {
        count = 0;
        ilast = gradcount;
      }
    } else {
      count = 0;
      if (ilast === gradcount) count = n;
      else ilast = gradcount;
    }
    if (iter >= maxit) break;
    if (gradcount - ilast > 2 * n) ilast = gradcount;
  } while (count !== n || ilast !== gradcount);
  // R returns the last accepted point, whose value is fmin.
  return {
    x: Float64Array.from(b, (v, i) => v * scale[i]),
    fx: fmin,
    converged: iter < maxit,
    evaluations,
  };
}
