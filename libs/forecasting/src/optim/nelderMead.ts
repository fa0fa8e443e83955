/**
 * A small deterministic Nelder–Mead minimiser (Nelder & Mead 1965, with the standard
 * reflection 1 / expansion 2 / contraction 0.5 / shrink 0.5 coefficients, as in R's `optim`).
 *
 * Bounds are the caller's business: either transform the parameters so the space is unbounded
 * or return `Infinity` from the objective outside the feasible region (the simplex then
 * contracts away from it). All work buffers are allocated once per call, never per evaluation.
 */

export interface NelderMeadOptions {
  /** Initial step per coordinate (or one step for all); default 0.1·max(|x0_i|, 1). */
  step?: number | ArrayLike<number>;
  /** Maximum number of objective evaluations; default 200·dim. */
  maxEvaluations?: number;
  /** Stop when f(worst) - f(best) <= absTol + relTol·|f(best)|. Defaults 1e-8 and 1e-8. */
  absTol?: number;
  relTol?: number;
}

export interface NelderMeadResult {
  /** Best point found. */
  x: Float64Array;
  /** Objective at `x`. */
  fx: number;
  evaluations: number;
  /** True when the tolerance was met before the evaluation budget ran out. */
  converged: boolean;
}

/**
 * Minimise `f` starting at `x0`. `f` receives a buffer it must not keep (it is reused).
 * Non-finite objective values are treated as +Infinity.
 */
export function nelderMead(
  f: (x: Float64Array) => number,
  x0: ArrayLike<number>,
  options: NelderMeadOptions = {},
): NelderMeadResult {
  const search = nelderMeadSteps(x0, options);
  let step = search.next();
  while (!step.done) step = search.next(f(step.value));
  return step.value;
}

/**
 * `nelderMead` as a generator: it yields each point to evaluate (a buffer the caller must not
 * keep) and takes the objective's value back through `next(value)`, so a caller can evaluate
 * the points of several searches together (see `autoEts`); the result is the return value.
 * Same steps, points and result as `nelderMead` with the same objective.
 */
export function* nelderMeadSteps(
  x0: ArrayLike<number>,
  options: NelderMeadOptions = {},
): Generator<Float64Array, NelderMeadResult, number> {
  const dim = x0.length;
  const maxEval = options.maxEvaluations ?? 200 * Math.max(dim, 1);
  const absTol = options.absTol ?? 1e-8;
  const relTol = options.relTol ?? 1e-8;
  let evaluations = 0;

  if (dim === 0) {
    const x = new Float64Array(0);
    evaluations++;
    return { x, fx: finite(yield x), evaluations, converged: true };
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
    evaluations++;
    values[i] = finite(yield simplex.subarray(i * dim, (i + 1) * dim));
  }

  let converged = false;
  let worst = 0;
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
    evaluations++;
    const fr = finite(yield trial);

    if (fr < fBest) {
      for (let j = 0; j < dim; j++) trial2[j] = 3 * centroid[j] - 2 * simplex[wOff + j];
      evaluations++;
      const fe = finite(yield trial2);
      if (fe < fr) accept(simplex, values, worst, dim, trial2, fe);
      else accept(simplex, values, worst, dim, trial, fr);
      continue;
    }
    if (fr < values[second]) {
      accept(simplex, values, worst, dim, trial, fr);
      continue;
    }
    // Contraction: outside if the reflection improved on the worst, inside otherwise.
    const outside = fr < fWorst;
    for (let j = 0; j < dim; j++) {
      trial2[j] = outside
        ? centroid[j] + 0.5 * (trial[j] - centroid[j])
        : centroid[j] + 0.5 * (simplex[wOff + j] - centroid[j]);
    }
    evaluations++;
    const fc = finite(yield trial2);
    if (fc < (outside ? fr : fWorst)) {
      accept(simplex, values, worst, dim, trial2, fc);
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
      evaluations++;
      values[i] = finite(yield simplex.subarray(off, off + dim));
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

/** Non-finite objective values count as +Infinity. */
function finite(v: number): number {
  return Number.isFinite(v) ? v : Number.POSITIVE_INFINITY;
}

/** Replaces the worst vertex by `point` with objective `value`. */
function accept(
  simplex: Float64Array,
  values: Float64Array,
  worst: number,
  dim: number,
  point: Float64Array,
  value: number,
): void {
  const off = worst * dim;
  for (let j = 0; j < dim; j++) simplex[off + j] = point[j];
  values[worst] = value;
}
