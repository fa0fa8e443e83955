import { solve } from '../models/arima/linear';

/** A fitted log-link Poisson regression: `mean(x) = exp(x · beta)`. */
export interface PoissonFit {
  /** Coefficients, one per column of the design (column 0 is the intercept). */
  beta: Float64Array;
  /** Newton (IRLS) iterations used. */
  iterations: number;
  /** Mean Poisson deviance of the training rows at `beta`. */
  deviance: number;
}

/** Linear predictors are clamped here so exp() stays finite on outlying rows. */
const ETA_MAX = 20;

function objective(
  X: Float64Array,
  z: Float64Array,
  n: number,
  p: number,
  beta: Float64Array,
  lambda: number,
  eta: Float64Array,
): number {
  let loss = 0;
  for (let i = 0; i < n; i++) {
    let e = 0;
    const row = i * p;
    for (let j = 0; j < p; j++) e += X[row + j] * beta[j];
    e = Math.min(e, ETA_MAX);
    eta[i] = e;
    loss += Math.exp(e) - z[i] * e;
  }
  let pen = 0;
  for (let j = 1; j < p; j++) pen += beta[j] * beta[j];
  return loss / n + 0.5 * lambda * pen;
}

/**
 * Ridge-penalised Poisson regression with a log link, fitted by Newton's method (IRLS) with step
 * halving: minimises `mean(mu_i − z_i·log mu_i) + lambda/2 · |beta[1..]|²`, `mu_i = exp(X_i·beta)`.
 * `X` is row-major n × p with column 0 the intercept (not penalised); columns should be
 * standardised so one `lambda` fits all. `z` are non-negative targets (need not be integers: a
 * quasi-Poisson fit of scaled demand). Cost O(n·p²) per iteration, at most `maxIter` iterations.
 * The penalty makes the Hessian positive definite, so the solve never fails for lambda > 0.
 */
export function fitPoissonRidge(
  X: Float64Array,
  z: Float64Array,
  p: number,
  options: { lambda?: number; maxIter?: number; tol?: number } = {},
): PoissonFit {
  const n = z.length;
  const lambda = options.lambda ?? 1e-3;
  const maxIter = options.maxIter ?? 30;
  const tol = options.tol ?? 1e-9;
  const beta = new Float64Array(p);
  let mean = 0;
  for (let i = 0; i < n; i++) mean += z[i];
  beta[0] = Math.log(Math.max(mean / Math.max(n, 1), 1e-6));
  const eta = new Float64Array(n);
  let obj = objective(X, z, n, p, beta, lambda, eta);
  const H = new Float64Array(p * p);
  const g = new Float64Array(p);
  let it = 0;
  for (; it < maxIter; it++) {
    H.fill(0);
    g.fill(0);
    for (let i = 0; i < n; i++) {
      const mu = Math.exp(eta[i]);
      const r = mu - z[i];
      const row = i * p;
      for (let a = 0; a < p; a++) {
        const xa = X[row + a];
        if (xa === 0) continue;
        g[a] += r * xa;
        const w = mu * xa;
        for (let b = a; b < p; b++) H[a * p + b] += w * X[row + b];
      }
    }
    for (let a = 0; a < p; a++) {
      g[a] /= n;
      for (let b = a; b < p; b++) {
        H[a * p + b] /= n;
        H[b * p + a] = H[a * p + b];
      }
      if (a > 0) {
        H[a * p + a] += lambda;
        g[a] += lambda * beta[a];
      } else H[0] += 1e-12;
    }
    const step = solve(H, g, p);
    if (!step) break;
    let t = 1;
    let next = obj;
    const trial = new Float64Array(p);
    for (let half = 0; half < 30; half++) {
      for (let j = 0; j < p; j++) trial[j] = beta[j] - t * step[j];
      next = objective(X, z, n, p, trial, lambda, eta);
      if (next <= obj) break;
      t /= 2;
    }
    if (!(next <= obj)) {
      objective(X, z, n, p, beta, lambda, eta);
      break;
    }
    beta.set(trial);
    const done = obj - next <= tol * Math.max(1, Math.abs(obj));
    obj = next;
    if (done) {
      it++;
      break;
    }
  }
  let dev = 0;
  for (let i = 0; i < n; i++) {
    const mu = Math.exp(eta[i]);
    dev += 2 * (z[i] > 0 ? z[i] * Math.log(z[i] / mu) - (z[i] - mu) : mu);
  }
  return { beta, iterations: it, deviance: dev / Math.max(n, 1) };
}
