import { everyDated, weekdayOrigin } from '../weekdayProfile';
import { assertValidContext } from '../auto';
import { assertValidSeries } from '../missing';
import { InvalidOptionError } from '../errors';
import { finalizeQuantiles } from '../intervals';
import { seededRandom } from '@retail-forecast/util';
import type { SeriesValues } from '@retail-forecast/util';
import type { ExternalCandidate, QuantileForecast, SeriesInput } from '../types';
import { negativeBinomialQuantiles } from './negativeBinomial';
import { fitPoissonRidge } from './poissonRidge';

/** Options of {@link fitGlobalModel}; plain data. */
export interface GlobalModelOptions {
  /** Days forecast from each origin; default 7 (as `forecastAuto`'s `horizon`). */
  horizon?: number;
  /** Validation origins of `forecastAuto` (default 3): the model is trained only on targets
   * before each series' earliest one, `y.length − horizon·validationOrigins`. */
  validationOrigins?: number;
  /** Cap on training rows (one row = one series, origin and step); default 50,000. The fit costs
   * O(rows · features² · iterations), so this bounds it whatever the catalogue size. */
  maxRows?: number;
  /** Training origins are drawn from the last this many days before the cut; default 364. */
  lookbackDays?: number;
  /** Ridge penalty on the standardised coefficients; default 1e-3 (a stabiliser for collinear
   * lags, not a tuned constant). */
  lambda?: number;
  /** Seed of the row sampling; default 1. Same inputs and seed, same forecasts. */
  seed?: number;
  /** Candidate name in `forecastAuto`'s race; default `global`. */
  name?: string;
}

/** What one fit cost and found; figures for benchmarks and logs. */
export interface GlobalModelStats {
  series: number;
  /** Training rows sampled (series × origin × step with a known target). */
  rows: number;
  /** Columns of the design, intercept included. */
  features: number;
  /** Names of the design's columns, in order. */
  featureNames: string[];
  iterations: number;
  /** The run's negative binomial size on the training rows (variance mu + mu²/theta); each
   * series' own is shrunk towards it. */
  theta: number;
  /** Wall time of building features, fitting, and forecasting, milliseconds. */
  buildMs: number;
  fitMs: number;
  forecastMs: number;
}

export interface GlobalModelResult {
  /** By series id: forecasts from every validation origin and from the end of the history. */
  candidates: Map<string, ExternalCandidate>;
  stats: GlobalModelStats;
}

const DEFAULTS = {
  horizon: 7,
  validationOrigins: 3,
  maxRows: 50_000,
  lookbackDays: 364,
  lambda: 1e-3,
  seed: 1,
};
/** Scaled lags are capped here so one promotion spike does not lever the fit. */
const CAP = 10;
/** Offset inside log features of scaled means (a zero mean stays finite). */
const LOG_OFFSET = 0.1;
/** Fewest days before an origin (since the first sale) for it to be trained or forecast from. */
const MIN_HISTORY = 14;
/** Weekly origins before the cut a series' own dispersion is read from. */
const DISPERSION_ORIGINS = 8;
/** Weight, in rows, of the run's dispersion in each series' (empirical-Bayes shrinkage). */
const DISPERSION_PRIOR_ROWS = 14;
/** Smallest dispersion (theta at most 10^6: Poisson to any practical purpose). */
const MIN_PHI = 1e-6;
/** Same weekday this many weeks back, one feature each, and the longer mean's weeks. */
const WEEKS = 4;
const LONG_WEEKS = 12;

const BASE_FEATURES = [
  'intercept',
  ...Array.from({ length: 7 }, (_, j) => `lag${j + 1}`),
  ...Array.from({ length: WEEKS }, (_, w) => `same_weekday_${w + 1}w`),
  'log_same_weekday_mean',
  'log_same_weekday_mean12',
  'log_mean7',
  'log_mean91',
  'zero_share28',
  'zero_share28_x_log_same_weekday_mean',
  'log1p_scale',
  ...Array.from({ length: 6 }, (_, d) => `dow${d + 1}`),
];

function count(name: string, v: number | undefined, fallback: number, min: number): number {
  if (v === undefined) return fallback;
  if (!Number.isInteger(v) || v < min) {
    throw new InvalidOptionError(`${name} ${v} is not allowed (expected an integer >= ${min})`);
  }
  return v;
}

/** One series made ready: prefix sums for window means, its weekday clock and regressors. */
class Prepared {
  readonly n: number;
  readonly first: number;
  /** Training targets lie before this day: the earliest validation origin. */
  cut = 0;
  private readonly sum: Float64Array;
  private readonly known: Int32Array;
  private readonly zeros: Int32Array;
  constructor(
    readonly input: SeriesInput<SeriesValues>,
    /** Weekday (0..6) of day index 0, in a clock shared by every series of the run. */
    private readonly dow0: number,
    /** Column per run-wide regressor name, or undefined when this series lacks it. */
    readonly regs: (Float64Array | undefined)[],
  ) {
    const y = input.y;
    this.n = y.length;
    this.sum = new Float64Array(this.n + 1);
    this.known = new Int32Array(this.n + 1);
    this.zeros = new Int32Array(this.n + 1);
    let first = -1;
    for (let i = 0; i < this.n; i++) {
      const v = y[i];
      const isKnown = v === v;
      this.sum[i + 1] = this.sum[i] + (isKnown ? v : 0);
      this.known[i + 1] = this.known[i] + (isKnown ? 1 : 0);
      this.zeros[i + 1] = this.zeros[i] + (v === 0 ? 1 : 0);
      if (first < 0 && v > 0) first = i;
    }
    this.first = first < 0 ? this.n : first;
  }

  /** Mean of the known days in [from, to) (from clamped at 0), NaN when none is known. */
  mean(from: number, to: number): number {
    const a = Math.max(0, from);
    const c = this.known[to] - this.known[a];
    return c > 0 ? (this.sum[to] - this.sum[a]) / c : NaN;
  }

  zeroShare(from: number, to: number): number {
    const a = Math.max(0, from);
    const c = this.known[to] - this.known[a];
    return c > 0 ? (this.zeros[to] - this.zeros[a]) / c : 0;
  }

  /** The series' scale at origin `t` (days [0, t) known): mean of the last 28 known days, else
   * of the last 91, else of all; undefined when that is 0 (nothing to scale by). */
  scale(t: number): number | undefined {
    for (const from of [t - 28, t - 91, 0]) {
      const m = this.mean(from, t);
      if (m > 0) return m;
    }
    return undefined;
  }

  dow(i: number): number {
    return (((this.dow0 + i) % 7) + 7) % 7;
  }
}

/**
 * Writes the features of origin `t` (days [0, t) known), step `k` (target day t + k − 1) at
 * `out[off..]`; `s` is the series' scale at t. See {@link fitGlobalModel} for the list.
 */
function writeRow(
  p: Prepared,
  t: number,
  k: number,
  s: number,
  h: number,
  out: Float64Array,
  off: number,
): void {
  const y = p.input.y;
  const scaled = (i: number) => {
    const v = y[i];
    return v === v ? Math.min(v / s, CAP) : 1;
  };
  let c = off;
  out[c++] = 1;
  for (let j = 1; j <= 7; j++) out[c++] = t - j >= 0 ? scaled(t - j) : 1;
  const target = t + k - 1;
  // Same weekday as the target, 1–4 weeks before the latest such day that is known at t.
  const back = 7 * Math.ceil(k / 7);
  let swSum = 0;
  let swN = 0;
  for (let w = 0; w < WEEKS; w++) {
    const i = target - back - 7 * w;
    const v = i >= 0 ? scaled(i) : 1;
    out[c++] = v;
    if (i >= 0 && y[i] === y[i]) {
      swSum += v;
      swN++;
    }
  }
  const sw = swN > 0 ? swSum / swN : 1;
  const logSw = Math.log(LOG_OFFSET + sw);
  out[c++] = logSw;
  // The same weekday over 12 weeks: a steadier weekly profile than 4 weeks give.
  let longSum = swSum;
  let longN = swN;
  for (let w = WEEKS; w < LONG_WEEKS; w++) {
    const i = target - back - 7 * w;
    if (i < 0) break;
    const v = y[i];
    if (v === v) {
      longSum += Math.min(v / s, CAP);
      longN++;
    }
  }
  out[c++] = Math.log(LOG_OFFSET + (longN > 0 ? longSum / longN : 1));
  const m7 = p.mean(t - 7, t);
  out[c++] = Math.log(LOG_OFFSET + (m7 === m7 ? m7 / s : 1));
  const m91 = p.mean(t - 91, t);
  out[c++] = Math.log(LOG_OFFSET + (m91 === m91 ? m91 / s : 1));
  const zs = p.zeroShare(t - 28, t);
  out[c++] = zs;
  out[c++] = zs * logSw;
  out[c++] = Math.log1p(s);
  const d = p.dow(target);
  for (let j = 1; j < 7; j++) out[c++] = d === j ? 1 : 0;
  for (let j = 2; j <= h; j++) out[c++] = k === j ? 1 : 0;
  for (const col of p.regs) out[c++] = col ? col[target] : 0;
}

/**
 * A global model across products: one regularised Poisson regression (log link, ridge penalty,
 * fitted by IRLS) on all series of a run, forecasting each series directly at steps 1..h (the
 * step is a feature, so it never recurses on its own forecasts), with a negative binomial
 * interval. The M5 competition's strongest entries were global models of this kind (there
 * gradient-boosted trees); no gradient-boosting library on npm is both well used and clearly
 * maintained, so the model is a GLM whose interactions are written as features.
 *
 * Every series is scaled by its mean of the last 28 known days at each origin (else of 91, else
 * of all), so products of any volume share the coefficients; the target is the scaled demand of
 * day t + k − 1. Features (`stats.featureNames`): the last 7 days; the same weekday as the target
 * 1–4 weeks back and the log of their mean; the logs of the 7- and 91-day means; the share of zero
 * days in the last 28 and its product with the weekday signal (a weekly pattern means less in
 * sparse demand); log(1 + scale) (count noise weighs more at low volume); the target's day of
 * week; the step k; and every regressor of `context.regressors` by name (0 where a series lacks
 * it). Missing days (NaN) are never targets and read as the scaled mean (1) in features. Day of
 * week comes from `context.startDate` when every series has one, else from the position counted
 * back from each series' last day (a run's series all end on its as-of day). Price features are
 * not possible yet: sales-data keeps only a product's latest price, not a daily history.
 *
 * Honest validation: the model is trained only on targets before each series' earliest validation
 * origin (`y.length − h·validationOrigins`, the same for every series, also one too short to be
 * validated), then forecasts from that origin, the later ones and
 * the end of the history without refitting (features read only days before each origin). A
 * series whose values are invalid, or with no demand before an origin, gets no forecast there;
 * it never stops the others.
 *
 * Cost: O(products · (validationOrigins + 1) · h · features) to build features and forecast, plus
 * O(maxRows · features² · iterations) to fit, bounded by `maxRows` (rows are sampled evenly
 * across series, seeded), so from a few thousand products on the fit's cost stops growing and
 * the total grows linearly with the catalogue.
 */
export function fitGlobalModel(
  inputs: SeriesInput<SeriesValues>[],
  options: GlobalModelOptions = {},
): GlobalModelResult {
  const h = count('horizon', options.horizon, DEFAULTS.horizon, 1);
  const V = count('validationOrigins', options.validationOrigins, DEFAULTS.validationOrigins, 0);
  const maxRows = count('maxRows', options.maxRows, DEFAULTS.maxRows, 1);
  const lookback = count('lookbackDays', options.lookbackDays, DEFAULTS.lookbackDays, 1);
  const lambda = options.lambda ?? DEFAULTS.lambda;
  if (!(lambda > 0)) {
    throw new InvalidOptionError(`lambda ${lambda} is not allowed (expected a number > 0)`);
  }
  const name = options.name ?? 'global';
  const random = seededRandom(options.seed ?? DEFAULTS.seed);
  const t0 = performance.now();

  const valid = inputs.filter((s) => {
    try {
      assertValidSeries(s.y);
      if (s.context?.regressors)
        assertValidContext({ regressors: s.context.regressors }, s.y.length, h);
      return s.y.length > 0;
    } catch {
      // forecastAuto reports this series' error itself; the others are still modelled.
      return false;
    }
  });
  const regNames = [...new Set(valid.flatMap((s) => s.context?.regressors?.names ?? []))].sort();
  const dated = everyDated(valid);
  // Prepared twice (sampling, then forecasting) rather than kept: its prefix sums would double a
  // large catalogue's memory while the model is fitted.
  const prepare = (s: SeriesInput<SeriesValues>): Prepared => {
    const dow0 = weekdayOrigin(s, dated);
    const r = s.context?.regressors;
    const regs = regNames.map((nm) => {
      const j = r ? r.names.indexOf(nm) : -1;
      return j >= 0 ? r?.columns[j] : undefined;
    });
    const p = new Prepared(s, dow0, regs);
    // The same cut for every series, also those too short to be validated: a run's series end on
    // the same day, so no target on or after the earliest validation origin of any series is
    // trained on (a holiday after it, seen in one product, would flatter every other's score).
    p.cut = p.n - h * V;
    return p;
  };
  const featureNames = [
    ...BASE_FEATURES,
    ...Array.from({ length: h - 1 }, (_, j) => `step${j + 2}`),
    ...regNames.map((nm) => `reg_${nm}`),
  ];
  const P = featureNames.length;

  // Training rows: origins drawn evenly across series so every product weighs alike.
  const perSeries = maxRows / Math.max(1, valid.length * h);
  let X = new Float64Array((Math.min(maxRows, valid.length * h * 64) + h) * P);
  let Z = new Float64Array(X.length / P);
  const S: number[] = [];
  const Y: number[] = [];
  let rows = 0;
  for (const series of valid) {
    const p = prepare(series);
    const cut = p.cut;
    const lo = Math.max(p.first + MIN_HISTORY, cut - lookback);
    const hi = cut - 1;
    if (hi < lo) continue;
    const span = hi - lo + 1;
    const draws = Math.min(span, Math.floor(perSeries) + (random() < perSeries % 1 ? 1 : 0));
    for (let d = 0; d < draws; d++) {
      const t = lo + Math.floor(random() * span);
      const s = p.scale(t);
      if (s === undefined) continue;
      for (let k = 1; k <= h && t + k - 1 < cut; k++) {
        const v = p.input.y[t + k - 1];
        if (v !== v) continue;
        if ((rows + 1) * P > X.length) {
          const grown = new Float64Array(X.length * 2);
          grown.set(X);
          X = grown;
          const gz = new Float64Array(Z.length * 2);
          gz.set(Z);
          Z = gz;
        }
        writeRow(p, t, k, s, h, X, rows * P);
        Z[rows] = v / s;
        S.push(s);
        Y.push(v);
        rows++;
      }
    }
  }
  X = X.subarray(0, rows * P);
  Z = Z.subarray(0, rows);

  // Standardise every column but the intercept, so one ridge penalty suits all.
  const centre = new Float64Array(P);
  const spread = new Float64Array(P).fill(1);
  for (let j = 1; j < P; j++) {
    let m = 0;
    for (let i = 0; i < rows; i++) m += X[i * P + j];
    m /= Math.max(rows, 1);
    let v = 0;
    for (let i = 0; i < rows; i++) v += (X[i * P + j] - m) ** 2;
    const sd = Math.sqrt(v / Math.max(rows, 1));
    centre[j] = m;
    spread[j] = sd > 1e-12 ? sd : Infinity;
  }
  const standardise = (buf: Float64Array, r: number) => {
    for (let i = 0; i < r; i++)
      for (let j = 1; j < P; j++) buf[i * P + j] = (buf[i * P + j] - centre[j]) / spread[j];
  };
  standardise(X, rows);
  const t1 = performance.now();

  const candidates = new Map<string, ExternalCandidate>();
  const stats: GlobalModelStats = {
    series: valid.length,
    rows,
    features: P,
    featureNames,
    iterations: 0,
    theta: Infinity,
    buildMs: t1 - t0,
    fitMs: 0,
    forecastMs: 0,
  };
  if (rows < 2 * P) return { candidates, stats };
  const fit = fitPoissonRidge(X, Z, P, { lambda });
  const beta = fit.beta;
  const predict = (buf: Float64Array, off: number) => {
    let e = 0;
    for (let j = 0; j < P; j++) e += buf[off + j] * beta[j];
    return Math.exp(Math.min(e, 20));
  };
  // Negative binomial dispersion (variance mu + phi·mu², in units sold) by moments: the run's on
  // the training rows, then each series' on its own last weeks before the cut, shrunk towards
  // the run's (DISPERSION_PRIOR_ROWS pseudo-rows), so a smooth seller and a sparse one each get
  // an interval of their own noise.
  let excess = 0;
  let squares = 0;
  for (let i = 0; i < rows; i++) {
    const mu = S[i] * predict(X, i * P);
    excess += (Y[i] - mu) ** 2 - mu;
    squares += mu * mu;
  }
  const phi = Math.max(excess / Math.max(squares, 1e-12), MIN_PHI);
  const row = new Float64Array(P);
  const phiOf = (p: Prepared): number => {
    let ex = 0;
    let sq = 0;
    let used = 0;
    for (let j = 0; j < DISPERSION_ORIGINS; j++) {
      const t = p.cut - h - 7 * j;
      if (t < p.first + MIN_HISTORY) break;
      const s = p.scale(t);
      if (s === undefined) continue;
      for (let k = 1; k <= h; k++) {
        const v = p.input.y[t + k - 1];
        if (v !== v) continue;
        writeRow(p, t, k, s, h, row, 0);
        standardise(row, 1);
        const mu = s * predict(row, 0);
        ex += (v - mu) ** 2 - mu;
        sq += mu * mu;
        used++;
      }
    }
    if (used === 0) return phi;
    const prior = (DISPERSION_PRIOR_ROWS * sq) / used;
    return Math.max((ex + phi * prior) / (sq + prior), MIN_PHI);
  };
  const t2 = performance.now();

  for (const series of valid) {
    const p = prepare(series);
    const forecasts: ExternalCandidate['forecasts'] = [];
    const theta = 1 / phiOf(p);
    for (let o = V; o >= 0; o--) {
      const end = p.n - h * o;
      if (end < p.first + MIN_HISTORY || end < 1) continue;
      const s = p.scale(end);
      if (s === undefined) continue;
      const q: QuantileForecast = {
        p10: new Float64Array(h),
        p50: new Float64Array(h),
        p90: new Float64Array(h),
        // Its P50 is the negative binomial's median: the mean goes beside it (`Quantiles.mean`).
        mean: new Float64Array(h),
      };
      for (let k = 1; k <= h; k++) {
        writeRow(p, end, k, s, h, row, 0);
        standardise(row, 1);
        const mu = s * predict(row, 0);
        const nb = negativeBinomialQuantiles(mu, theta);
        q.p10[k - 1] = nb.p10;
        q.p50[k - 1] = nb.p50;
        q.p90[k - 1] = nb.p90;
        (q.mean as Float64Array)[k - 1] = mu;
      }
      forecasts.push({ end, q: finalizeQuantiles(q) });
    }
    if (forecasts.length > 0) candidates.set(p.input.id, { name, forecasts });
  }
  stats.iterations = fit.iterations;
  stats.theta = 1 / phi;
  stats.fitMs = t2 - t1;
  stats.forecastMs = performance.now() - t2;
  return { candidates, stats };
}

/** The candidates of {@link fitGlobalModel} alone. */
export function fitGlobalCandidates(
  inputs: SeriesInput<SeriesValues>[],
  options: GlobalModelOptions = {},
): Map<string, ExternalCandidate> {
  return fitGlobalModel(inputs, options).candidates;
}

/**
 * `inputs` with the global model's candidate (fitted on all of them) added to each series'
 * context, when it has one: how `forecastMany` and `backtest`'s `auto` enter the global model
 * into every series' race.
 */
export function withGlobalCandidates<Y extends SeriesValues>(
  inputs: SeriesInput<Y>[],
  options: GlobalModelOptions = {},
): SeriesInput<Y>[] {
  const global = fitGlobalCandidates(inputs, options);
  return inputs.map((s) => {
    const candidate = global.get(s.id);
    if (!candidate) return s;
    const external = [...(s.context?.external ?? []), candidate];
    return { ...s, context: { ...s.context, external } };
  });
}
