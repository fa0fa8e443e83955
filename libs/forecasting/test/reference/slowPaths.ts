/**
 * The engine's plain implementations as they were before their fast paths, kept only as the
 * reference the fast paths are proven bit-identical against (see fastPaths.test.ts). Not used
 * by the engine.
 */
import { SEASON_A, SEASON_M, TREND_AD, TREND_N } from '../../src/models/etsCore';
import { estimate, refineWithStates, type Estimate } from '../../src/models/etsFit';
import type { NelderMeadOptions, NelderMeadResult } from '../../src/optim/nelderMead';
import { buildFitted, meanFallback } from '../../src/models/etsForecast';
import {
  ALL_SPECS,
  etsName,
  inadmissibleReason,
  isConstant,
  prepare,
  type EtsOptions,
  type EtsSpec,
  type FittedEts,
} from '../../src/models/etsSpec';

/**
 * `autoEts` with its searches run one after the other, each criterion evaluated alone (the
 * engine runs them side by side, two evaluations per pass).
 */
export function autoEtsOneByOne(y: Float64Array, options: EtsOptions = {}): FittedEts {
  const ctx = prepare(y, options);
  const pool = isConstant(ctx) ? [{ error: 'A', trend: 'N', season: 'N' } as EtsSpec] : undefined;
  const candidates = (pool ?? options.specs ?? ALL_SPECS).filter(
    (spec) => inadmissibleReason(ctx, spec) === null,
  );
  const order = (spec: EtsSpec) => (spec.error === 'A' ? 0 : spec.season === 'M' ? 2 : 1);
  const stage: Estimate[] = [];
  const done = new Map<string, Estimate>();
  const ordered = [...candidates].sort((a, b) => order(a) - order(b));
  for (const spec of ordered) {
    const twin =
      spec.error === 'A' || spec.season === 'M'
        ? undefined
        : done.get(etsName({ ...spec, error: 'A' }));
    const est = estimate(ctx, spec, twin);
    if (!Number.isFinite(est.aicc)) continue;
    done.set(etsName(spec), est);
    stage.push(est);
  }
  if (stage.length === 0) return meanFallback(ctx);
  stage.sort((a, b) => a.aicc - b.aicc);
  let best: Estimate | null = null;
  for (let i = 0; i < stage.length; i++) {
    const est =
      i < 2 && stage[i].seasonKind === SEASON_M ? refineWithStates(ctx, stage[i]) : stage[i];
    if (best === null || est.aicc < best.aicc) best = est;
  }
  return buildFitted(ctx, best as Estimate) ?? meanFallback(ctx);
}

/** Least-squares initial states: one recursion per column, then one dot product per entry. */
export function leastSquaresInitialStates(
  y: Float64Array,
  start: number,
  n: number,
  m: number,
  trendKind: number,
  seasonKind: number,
  alpha: number,
  beta: number,
  gamma: number,
  phi: number,
): { level: number; trend: number; season: Float64Array } | null {
  const hasTrend = trendKind !== TREND_N;
  const hasSeason = seasonKind === SEASON_A;
  if (seasonKind === SEASON_M) return null;
  const p = 1 + (hasTrend ? 1 : 0) + (hasSeason ? m - 1 : 0);
  const mm = hasSeason ? m : 1;
  const phiEff = trendKind === TREND_AD ? phi : 1;
  const season = new Float64Array(mm);
  // Column j (0..p-1) holds f_t(e_j); column p holds y_t - f_t(0).
  const cols = new Float64Array((p + 1) * n);
  for (let j = 0; j <= p; j++) {
    let l = 0;
    let b = 0;
    season.fill(0);
    const driven = j === p;
    if (!driven) {
      if (j === 0) l = 1;
      else if (hasTrend && j === 1) b = 1;
      else {
        const phase = j - (hasTrend ? 2 : 1) + 1;
        season[phase] = 1;
        season[0] = -1;
      }
    }
    let phase = 0;
    const off = j * n;
    for (let t = 0; t < n; t++) {
      const yt = driven ? y[start + t] : 0;
      const phib = phiEff * b;
      const q = l + phib;
      const s = hasSeason ? season[phase] : 0;
      const f = q + s;
      if (y[start + t] !== y[start + t]) {
        // Missing: no innovation in any column (so f_t stays affine in x0), and no row.
        cols[off + t] = 0;
        l = q;
        if (hasTrend) b = phib;
        phase++;
        if (phase === mm) phase = 0;
        continue;
      }
      cols[off + t] = driven ? yt - f : f;
      const d = yt - s - q;
      l = q + alpha * d;
      if (hasTrend) b = phib + beta * d;
      if (hasSeason) season[phase] = s + gamma * d;
      phase++;
      if (phase === mm) phase = 0;
    }
  }
  // Normal equations A x = r with A = Z'Z, r = Z'(y - f(0)).
  const a = new Float64Array(p * p);
  const r = new Float64Array(p);
  const rOff = p * n;
  for (let i = 0; i < p; i++) {
    const iOff = i * n;
    for (let k = i; k < p; k++) {
      const kOff = k * n;
      let acc = 0;
      for (let t = 0; t < n; t++) acc += cols[iOff + t] * cols[kOff + t];
      a[i * p + k] = acc;
      a[k * p + i] = acc;
    }
    let acc = 0;
    for (let t = 0; t < n; t++) acc += cols[iOff + t] * cols[rOff + t];
    r[i] = acc;
  }
  const x = solveSymmetric(a, r, p);
  if (x === null) return null;
  const out = new Float64Array(hasSeason ? m : 0);
  if (hasSeason) {
    let sum = 0;
    for (let ph = 1; ph < m; ph++) {
      out[ph] = x[(hasTrend ? 2 : 1) + ph - 1];
      sum += out[ph];
    }
    out[0] = -sum;
  }
  return { level: x[0], trend: hasTrend ? x[1] : 0, season: out };
}

/** Cholesky solve of a symmetric positive definite system with a tiny ridge for stability. */
function solveSymmetric(a: Float64Array, r: Float64Array, p: number): Float64Array | null {
  let trace = 0;
  for (let i = 0; i < p; i++) trace += a[i * p + i];
  const ridge = 1e-12 * (trace / p || 1);
  const lower = new Float64Array(p * p);
  for (let i = 0; i < p; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[i * p + j] + (i === j ? ridge : 0);
      for (let k = 0; k < j; k++) sum -= lower[i * p + k] * lower[j * p + k];
      if (i === j) {
        if (!(sum > 0)) return null;
        lower[i * p + i] = Math.sqrt(sum);
      } else lower[i * p + j] = sum / lower[j * p + j];
    }
  }
  const z = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    let sum = r[i];
    for (let k = 0; k < i; k++) sum -= lower[i * p + k] * z[k];
    z[i] = sum / lower[i * p + i];
  }
  const x = new Float64Array(p);
  for (let i = p - 1; i >= 0; i--) {
    let sum = z[i];
    for (let k = i + 1; k < p; k++) sum -= lower[k * p + i] * x[k];
    x[i] = sum / lower[i * p + i];
  }
  for (let i = 0; i < p; i++) if (!Number.isFinite(x[i])) return null;
  return x;
}

/** Nelder–Mead as a plain loop calling the objective (the engine runs it as a generator). */
export function nelderMeadLoop(
  f: (x: Float64Array) => number,
  x0: ArrayLike<number>,
  options: NelderMeadOptions = {},
): NelderMeadResult {
  const dim = x0.length;
  const maxEval = options.maxEvaluations ?? 200 * Math.max(dim, 1);
  const absTol = options.absTol ?? 1e-8;
  const relTol = options.relTol ?? 1e-8;
  let evaluations = 0;
  const evaluate = (x: Float64Array): number => {
    evaluations++;
    const v = f(x);
    return Number.isFinite(v) ? v : Number.POSITIVE_INFINITY;
  };

  if (dim === 0) {
    const x = new Float64Array(0);
    return { x, fx: evaluate(x), evaluations, converged: true };
  }

  const n1 = dim + 1;
  // Simplex stored row-major: vertex i occupies [i*dim, (i+1)*dim).
  const simplex = new Float64Array(n1 * dim);
  const values = new Float64Array(n1);
  const centroid = new Float64Array(dim);
  const trial = new Float64Array(dim);
  const trial2 = new Float64Array(dim);
  const vertex = new Float64Array(dim);

  for (let i = 0; i < n1; i++) {
    for (let j = 0; j < dim; j++) simplex[i * dim + j] = x0[j];
  }
  for (let j = 0; j < dim; j++) {
    const s = options.step;
    let step =
      s === undefined ? 0.1 * Math.max(Math.abs(x0[j]), 1) : typeof s === 'number' ? s : s[j];
    if (!(step !== 0 && Number.isFinite(step))) step = 0.1;
    simplex[(j + 1) * dim + j] += step;
  }
  for (let i = 0; i < n1; i++) {
    values[i] = evaluate(simplex.subarray(i * dim, (i + 1) * dim));
  }

  let converged = false;
  let worst = 0;
  const accept = (point: Float64Array, value: number): void => {
    const off = worst * dim;
    for (let j = 0; j < dim; j++) simplex[off + j] = point[j];
    values[worst] = value;
  };
  while (evaluations < maxEval) {
    // Indices of best, worst and second worst vertex.
    let best = 0;
    worst = 0;
    for (let i = 1; i < n1; i++) {
      if (values[i] < values[best]) best = i;
      if (values[i] > values[worst]) worst = i;
    }
    let second = best;
    for (let i = 0; i < n1; i++) {
      if (i !== worst && values[i] > values[second]) second = i;
    }
    const fBest = values[best];
    const fWorst = values[worst];
    if (Number.isFinite(fWorst) && fWorst - fBest <= absTol + relTol * Math.abs(fBest)) {
      converged = true;
      break;
    }

    centroid.fill(0);
    for (let i = 0; i < n1; i++) {
      if (i === worst) continue;
      const off = i * dim;
      for (let j = 0; j < dim; j++) centroid[j] += simplex[off + j];
    }
    for (let j = 0; j < dim; j++) centroid[j] /= dim;

    const wOff = worst * dim;
    for (let j = 0; j < dim; j++) trial[j] = 2 * centroid[j] - simplex[wOff + j];
    const fr = evaluate(trial);

    if (fr < fBest) {
      for (let j = 0; j < dim; j++) trial2[j] = 3 * centroid[j] - 2 * simplex[wOff + j];
      const fe = evaluate(trial2);
      if (fe < fr) accept(trial2, fe);
      else accept(trial, fr);
      continue;
    }
    if (fr < values[second]) {
      accept(trial, fr);
      continue;
    }
    // Contraction: outside if the reflection improved on the worst, inside otherwise.
    const outside = fr < fWorst;
    for (let j = 0; j < dim; j++) {
      trial2[j] = outside
        ? centroid[j] + 0.5 * (trial[j] - centroid[j])
        : centroid[j] + 0.5 * (simplex[wOff + j] - centroid[j]);
    }
    const fc = evaluate(trial2);
    if (fc < (outside ? fr : fWorst)) {
      accept(trial2, fc);
      continue;
    }
    // Shrink towards the best vertex.
    const bOff = best * dim;
    for (let i = 0; i < n1; i++) {
      if (i === best) continue;
      const off = i * dim;
      for (let j = 0; j < dim; j++) {
        vertex[j] = simplex[bOff + j] + 0.5 * (simplex[off + j] - simplex[bOff + j]);
        simplex[off + j] = vertex[j];
      }
      values[i] = evaluate(simplex.subarray(off, off + dim));
    }
  }

  let best = 0;
  for (let i = 1; i < n1; i++) if (values[i] < values[best]) best = i;
  return {
    x: simplex.slice(best * dim, (best + 1) * dim),
    fx: values[best],
    evaluations,
    converged,
  };
}
