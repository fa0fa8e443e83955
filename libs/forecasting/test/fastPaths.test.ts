/**
 * The engine's fast paths compute the same numbers, to the last bit, as the plain code they
 * replaced (kept in ./reference): checked on random series, complete and with missing days.
 */
import { describe, expect, it } from 'vitest';
import { autoEts } from '../src/models/ets';
import {
  criterionOf,
  criterionPair,
  etsRecursion,
  pairFamily,
  SEASON_A,
  SEASON_M,
  SEASON_N,
  TREND_A,
  TREND_AD,
  TREND_N,
  type CriterionCall,
} from '../src/models/etsCore';
import { leastSquaresInitialStates } from '../src/models/etsInit';
import { nelderMead } from '../src/optim/nelderMead';
import { cleanOutliers, resistantFit } from '../src/outliers';
import * as slow from './reference/slowPaths';
import { cleanOutliersBefore, resistantFitBefore } from './reference/slowOutliers';
import { mulberry32 } from './series';

/** The bits of every number, so +0/-0 and NaN payloads count as differences. */
function bits(values: ArrayLike<number>): string {
  return Buffer.from(Float64Array.from(values).buffer).toString('hex');
}

/** A random daily series: smooth with a weekly pattern, or sporadic counts; some days missing. */
function randomSeries(rnd: () => number, n: number, missing: boolean): Float64Array {
  const y = new Float64Array(n);
  const sporadic = rnd() < 0.4;
  const level = 1 + 100 * rnd();
  for (let t = 0; t < n; t++) {
    const weekly = 1 + 0.3 * Math.sin((2 * Math.PI * t) / 7 + rnd() * 0.2);
    y[t] = sporadic
      ? rnd() < 0.7
        ? 0
        : 1 + Math.floor(5 * rnd())
      : Math.round(level * weekly * (0.8 + 0.4 * rnd()));
  }
  if (missing) for (let k = 0; k < 1 + 5 * rnd(); k++) y[Math.floor(rnd() * n)] = NaN;
  return y;
}

describe('leastSquaresInitialStates (columns in pairs, dot products four at a time, shared bases)', () => {
  it('returns the bits of the plain column-by-column solve on random series and parameters', () => {
    const rnd = mulberry32(2026);
    let compared = 0;
    for (let trial = 0; trial < 240; trial++) {
      const m = [7, 7, 4, 12][trial % 4];
      const n = 3 * m + Math.floor(rnd() * 400);
      const start = Math.floor(rnd() * 20);
      const y = randomSeries(rnd, start + n, trial % 3 === 2);
      const trendKind = [TREND_N, TREND_A, TREND_AD][trial % 3];
      const seasonKind = [SEASON_N, SEASON_A, SEASON_A, SEASON_M][Math.floor(trial / 3) % 4];
      const alpha = 1e-4 + 0.9 * rnd();
      const args = [
        y,
        start,
        n,
        m,
        trendKind,
        seasonKind,
        alpha,
        1e-4 + alpha * rnd(),
        1e-4 + (1 - alpha) * rnd(),
        0.8 + 0.18 * rnd(),
      ] as const;
      const fast = leastSquaresInitialStates(...args);
      const plain = slow.leastSquaresInitialStates(...args);
      // Shared basis: the first call computes and keeps it, the second (other data) reuses it.
      const first = leastSquaresInitialStates(...args, true);
      const other = Float64Array.from(y, (v, t) => (t % 5 === 0 ? v + 1 : v));
      const [, ...rest] = args;
      const second = leastSquaresInitialStates(other, ...rest, true);
      const secondPlain = slow.leastSquaresInitialStates(other, ...rest);
      expect(first === null ? null : bits([first.level, first.trend, ...first.season])).toBe(
        plain === null ? null : bits([plain.level, plain.trend, ...plain.season]),
      );
      expect(second === null ? null : bits([second.level, second.trend, ...second.season])).toBe(
        secondPlain === null
          ? null
          : bits([secondPlain.level, secondPlain.trend, ...secondPlain.season]),
      );
      if (plain === null) {
        expect(fast).toBeNull();
        continue;
      }
      expect(fast).not.toBeNull();
      expect(bits([fast!.level, fast!.trend, ...fast!.season])).toBe(
        bits([plain.level, plain.trend, ...plain.season]),
      );
      compared++;
    }
    // Most draws must have been real solves, not two nulls.
    expect(compared).toBeGreaterThan(150);
  });
});

describe('nelderMead (a generator driven by the objective)', () => {
  it('takes the steps of the plain loop: same points, values and result', () => {
    const rnd = mulberry32(7);
    for (let trial = 0; trial < 60; trial++) {
      const dim = 1 + (trial % 6);
      const centre = Array.from({ length: dim }, () => 4 * rnd() - 2);
      const wall = rnd() < 0.5 ? 1.5 * rnd() : Infinity;
      const seen: string[][] = [[], []];
      const objective = (k: number) => (x: Float64Array) => {
        seen[k].push(bits(x));
        if (x[0] > wall) return Infinity;
        let s = 0;
        for (let j = 0; j < dim; j++) s += (j + 1) * (x[j] - centre[j]) ** 2 + Math.sin(3 * x[j]);
        return s;
      };
      const x0 = Array.from({ length: dim }, () => rnd() - 0.5);
      const options = { step: 0.3 + rnd(), maxEvaluations: 40 * dim, absTol: 1e-6, relTol: 0 };
      const fast = nelderMead(objective(0), x0, options);
      const plain = slow.nelderMeadLoop(objective(1), x0, options);
      expect(seen[0]).toEqual(seen[1]);
      expect(bits([...fast.x, fast.fx, fast.evaluations])).toBe(
        bits([...plain.x, plain.fx, plain.evaluations]),
      );
      expect(fast.converged).toBe(plain.converged);
    }
  });
});

function randomCall(rnd: () => number, m: number, y: Float64Array): CriterionCall {
  const trendKind = [TREND_N, TREND_A, TREND_AD][Math.floor(3 * rnd())];
  const seasonKind = [SEASON_N, SEASON_A, SEASON_M][Math.floor(3 * rnd())];
  const multError = seasonKind === SEASON_M || rnd() < 0.5;
  const alpha = 1e-4 + 0.9 * rnd();
  const season = new Float64Array(m);
  for (let p = 0; p < m; p++) {
    season[p] =
      seasonKind === SEASON_M ? 0.6 + 0.8 * rnd() : seasonKind === SEASON_A ? 10 * rnd() - 5 : 0;
  }
  // Now and then a start that leaves a multiplicative model's valid region.
  const level = rnd() < 0.1 ? -5 : y[0] * (0.5 + rnd());
  return {
    trendKind,
    seasonKind,
    multError,
    alpha,
    beta: 1e-4 + alpha * rnd(),
    gamma: 1e-4 + (1 - alpha) * rnd(),
    phi: 0.8 + 0.18 * rnd(),
    level,
    trend: rnd() - 0.5,
    season,
  };
}

describe('criterionPair (two criteria in one pass)', () => {
  it('gives each call the bits criterionOf gives it, for every pair of kinds', () => {
    const rnd = mulberry32(99);
    const m = 7;
    let pairs = 0;
    for (let trial = 0; trial < 600; trial++) {
      const n = 30 + Math.floor(rnd() * 300);
      const y = randomSeries(rnd, n, false).map((v) => v + (trial % 2 === 0 ? 1 : 0));
      const a = randomCall(rnd, m, y);
      const b = randomCall(rnd, m, y);
      if (pairFamily(a, false) === 0 || pairFamily(b, false) === 0) continue;
      const alone = [a, b].map((c) =>
        criterionOf(y, 2, n - 2, m, { ...c, season: Float64Array.from(c.season) }, false),
      );
      const out = new Float64Array(2);
      criterionPair(y, 2, n - 2, m, a, b, new Float64Array(m), new Float64Array(m), out);
      expect(bits(out)).toBe(bits(alone));
      pairs++;
    }
    expect(pairs).toBeGreaterThan(400);
  });
});

describe('autoEts (searches side by side)', () => {
  it('picks the model, parameters and forecast of the one-by-one search on random series', () => {
    const rnd = mulberry32(4242);
    for (let trial = 0; trial < 24; trial++) {
      const n = [40, 120, 400][trial % 3];
      const y = randomSeries(rnd, n, trial % 4 === 3);
      const fast = autoEts(y);
      const plain = slow.autoEtsOneByOne(y);
      expect(fast.name).toBe(plain.name);
      expect(bits([fast.aicc, fast.sigma2, ...Object.values(fast.params)])).toBe(
        bits([plain.aicc, plain.sigma2, ...Object.values(plain.params)]),
      );
      const [qf, qp] = [fast.forecast(7), plain.forecast(7)];
      expect(bits([...qf.p10, ...qf.p50, ...qf.p90])).toBe(bits([...qp.p10, ...qp.p50, ...qp.p90]));
    }
  });
});

describe('criterion kernels (invalid states flagged, not returned from the loop)', () => {
  it('give the bits of the traced general loop, +Infinity included', () => {
    const rnd = mulberry32(31);
    const m = 7;
    let invalid = 0;
    for (let trial = 0; trial < 400; trial++) {
      const n = 30 + Math.floor(rnd() * 300);
      const y = randomSeries(rnd, n, false).map((v) => v + (trial % 2 === 0 ? 1 : 0));
      const c = randomCall(rnd, m, y);
      if (c.seasonKind === SEASON_M && !c.multError) continue;
      const fast = criterionOf(y, 0, n, m, { ...c, season: Float64Array.from(c.season) }, false);
      const trace = {
        fitted: new Float64Array(n),
        residuals: new Float64Array(n),
        level: 0,
        trend: 0,
      };
      const general = etsRecursion(
        y,
        0,
        n,
        m,
        c.trendKind,
        c.seasonKind,
        c.multError,
        c.alpha,
        c.beta,
        c.gamma,
        c.phi,
        c.level,
        c.trend,
        Float64Array.from(c.season),
        trace,
      );
      expect(bits([fast])).toBe(bits([general]));
      if (fast === Infinity) invalid++;
    }
    expect(invalid).toBeGreaterThan(10);
  });
});

describe('resistantFit and cleanOutliers (scratch arrays, three-phase sliding median)', () => {
  it('return the bits of the code before, whatever the length, period, scale and missing days', () => {
    const rnd = mulberry32(11);
    // Long after short and short after long, so scratch arrays left by a longer series are read
    // only where this one wrote; 5,000 days is past the scratch limit.
    const lengths = [730, 29, 400, 5, 1095, 30, 64, 5000, 200, 730, 1, 0, 365];
    let cleaned = 0;
    let secondPasses = 0;
    for (let k = 0; k < 260; k++) {
      const n = lengths[k % lengths.length];
      const period = [7, 7, 7, 1, 3, 12][k % 6];
      const y = randomSeries(rnd, n, k % 3 === 0);
      const fractional = k % 4 === 1;
      if (fractional) for (let t = 0; t < n; t++) y[t] *= 0.37;
      // Planted one-offs and a week-long promotion, so both passes have work to do.
      for (let j = 0; j < 4 * rnd(); j++) y[Math.floor(rnd() * n)] = Math.round(200 * rnd());
      const run = Math.floor(rnd() * n);
      if (k % 5 === 0) for (let t = run; t < Math.min(n, run + 7); t++) y[t] *= 3;
      if (k % 13 === 7) y.fill(4); // IQR 0: nothing judged
      const counts = !fractional && k % 7 !== 3;
      if (!y.some((v) => v !== v))
        expect(bits(resistantFit(y, period))).toBe(bits(resistantFitBefore(y, period)));
      const now = cleanOutliers(y, period, counts);
      const before = cleanOutliersBefore(y, period, counts);
      expect(now.index).toEqual(before.index);
      expect(bits(now.y)).toBe(bits(before.y));
      expect(now.y === y).toBe(before.y === y);
      if (now.index.length > 0) cleaned++;
      if (now.index.length > 1) secondPasses++;
    }
    expect(cleaned).toBeGreaterThan(40);
    expect(secondPasses).toBeGreaterThan(10);
  });
});
