import { describe, expect, it } from 'vitest';
import {
  calibrateQuantiles,
  conformalQuantile,
  conformalScores,
  forecastAuto,
  InvalidOptionError,
  MIN_OWN_SCORES,
  normalizeLevels,
  poolCalibration,
} from '../src/index';
import { forecastMany } from '../src/runtime/index';
import type { QuantileForecast, SeriesForecast } from '../src/index';
import { intermittent, lcg, seasonal } from './series';

function gaussian(r: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
}

/**
 * Level 100, weekly profile, Student-t noise with 3 degrees of freedom (scale 6, sd 10.4): heavy
 * tails, so a Gaussian interval from the residuals' sd covers about 89 %, not 80 %.
 */
function heavyTailed(n: number, seed: number): Float64Array {
  const r = lcg(seed);
  const profile = [0.8, 0.9, 1, 1, 1.1, 1.3, 0.9];
  const y = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    const z = gaussian(r);
    const chi2 = gaussian(r) ** 2 + gaussian(r) ** 2 + gaussian(r) ** 2;
    y[t] = Math.max(0, 100 * profile[t % 7] + (6 * z) / Math.sqrt(chi2 / 3));
  }
  return y;
}

function flatForecast(p10: number, p50: number, p90: number, h = 7): QuantileForecast {
  return {
    p10: new Float64Array(h).fill(p10),
    p50: new Float64Array(h).fill(p50),
    p90: new Float64Array(h).fill(p90),
  };
}

describe('conformalQuantile', () => {
  it('takes the ceil((n+1)tau)-th smallest score, Infinity when that rank exceeds n', () => {
    const s = Float64Array.from({ length: 21 }, (_, i) => i + 1);
    expect(conformalQuantile(s, 0.9)).toBe(20); // ceil(22 * 0.9) = 20
    expect(conformalQuantile(s, 0.5)).toBe(11);
    expect(conformalQuantile(s, 0.96)).toBe(Infinity); // ceil(22 * 0.96) = 22 > 21
    expect(conformalQuantile(new Float64Array(0), 0.9)).toBe(Infinity);
  });
});

describe('normalizeLevels', () => {
  it('adds 0.1, 0.5 and 0.9, sorts and removes duplicates', () => {
    expect(normalizeLevels([0.95, 0.05, 0.5])).toEqual([0.05, 0.1, 0.5, 0.9, 0.95]);
    expect(normalizeLevels()).toEqual([0.1, 0.5, 0.9]);
  });

  it('accepts every level of up to 4 decimals, also those binary floating point cannot hold exactly', () => {
    // 0.07 × 10⁴ = 700.0000000000001, 0.57 × 10⁴ = 5699.999999999999 in JavaScript.
    const grid = Array.from({ length: 99 }, (_, i) => Number(((i + 1) / 100).toFixed(2)));
    expect(normalizeLevels(grid)).toEqual(grid);
    expect(normalizeLevels([0.0007, 0.9993, 0.1234])).toEqual([
      0.0007, 0.1, 0.1234, 0.5, 0.9, 0.9993,
    ]);
  });

  it.each([0, 1, -0.1, 1.5, NaN, 0.12345, 0.00001])('rejects the level %s and names it', (v) => {
    expect(() => normalizeLevels([v])).toThrow(InvalidOptionError);
    expect(() => normalizeLevels([v])).toThrow(`quantile level ${v} is not allowed`);
  });
});

describe('calibrateQuantiles', () => {
  const levels = normalizeLevels([0.01, 0.05, 0.25, 0.75, 0.95, 0.99]);

  it('keeps P50 and gives every level >= 0 and monotone in the level, whatever the scores', () => {
    const r = lcg(7);
    for (let trial = 0; trial < 200; trial++) {
      const p50 = 20 * r();
      const q = flatForecast(Math.max(0, p50 - 10 * r()), p50, p50 + 10 * r());
      const n = Math.floor(60 * r());
      const scores = {
        up: Float64Array.from({ length: n }, () => 4 * gaussian(r)),
        down: Float64Array.from({ length: n }, () => 4 * gaussian(r)),
        floor: 0.01,
      };
      const c = calibrateQuantiles(q, scores, levels);
      expect([...c.q.p50]).toEqual([...q.p50]);
      const byLevel = levels.map((l) =>
        l === 0.1 ? c.q.p10 : l === 0.5 ? c.q.p50 : l === 0.9 ? c.q.p90 : c.quantiles[String(l)],
      );
      for (let k = 0; k < 7; k++) {
        for (let j = 0; j < byLevel.length; j++) {
          expect(byLevel[j][k]).toBeGreaterThanOrEqual(0);
          expect(Number.isFinite(byLevel[j][k])).toBe(true);
          if (j > 0) expect(byLevel[j][k]).toBeGreaterThanOrEqual(byLevel[j - 1][k]);
        }
      }
    }
  });

  it('keeps a P10 of 0 when intermittent demand was mostly 0 (discrete scores)', () => {
    // P50 1, P10 0: a day of 0 demand scores down = 1, the most a day can score.
    const q = flatForecast(0, 1, 3);
    const actual = Float64Array.from([0, 0, 2, 0, 1, 0, 5]);
    const blocks = Array.from({ length: 20 }, () => ({ q, actual }));
    const c = calibrateQuantiles(q, conformalScores(blocks, 1), [0.1, 0.5, 0.9]);
    expect([...c.q.p10]).toEqual(new Array(7).fill(0));
  });

  it('falls back to the model interval (and a Gaussian stretch of it) without scores', () => {
    const q = flatForecast(8, 10, 12.5631031311);
    const none = { up: new Float64Array(0), down: new Float64Array(0), floor: 0.1 };
    const c = calibrateQuantiles(q, none, normalizeLevels([0.95]));
    expect([...c.q.p90]).toEqual([...q.p90]);
    expect([...c.q.p10]).toEqual([...q.p10]);
    // z(0.95) / z(0.9) = 1.6449 / 1.2816 of the upper half-width 2.5631.
    expect(c.quantiles['0.95'][0]).toBeCloseTo(10 + 2.5631031311 * (1.6448536 / 1.2815516), 4);
  });

  it('reaches nominal coverage on known Gaussian noise when the model interval is wrong', () => {
    // A "model" that knows the mean but gives an interval 1.6× too wide (the engine's fault on
    // held-out sets): calibrated on 2,000 scores, judged on 20,000 new days.
    const r = lcg(11);
    const z90 = 1.2815515655446004;
    const q = flatForecast(100 - 1.6 * z90 * 10, 100, 100 + 1.6 * z90 * 10, 1);
    const draw = (n: number) => Float64Array.from({ length: n }, () => 100 + 10 * gaussian(r));
    const cal = draw(2000);
    const blocks = [...cal].map((y) => ({ q, actual: [y] }));
    const levels = normalizeLevels([0.05, 0.95]);
    const c = calibrateQuantiles(q, conformalScores(blocks, 100), levels);
    const test = draw(20000);
    const share = (f: (y: number) => boolean) => test.filter(f).length / test.length;
    const inside = share((y) => y >= c.q.p10[0] && y <= c.q.p90[0]);
    const rawInside = share((y) => y >= q.p10[0] && y <= q.p90[0]);
    // Binomial SE of the test share is sqrt(.8·.2/20000) = 0.003; the calibration quantile's own
    // sampling moves each tail by sqrt(.9·.1/2000) = 0.007: 4 SE of both is about 0.03.
    expect(Math.abs(inside - 0.8)).toBeLessThan(0.03);
    expect(rawInside).toBeGreaterThan(0.9); // the uncalibrated interval was too wide
    expect(Math.abs(share((y) => y > c.q.p90[0]) - 0.1)).toBeLessThan(0.02);
    expect(Math.abs(share((y) => y > c.quantiles['0.95'][0]) - 0.05)).toBeLessThan(0.015);
    expect(Math.abs(share((y) => y < c.quantiles['0.05'][0]) - 0.05)).toBeLessThan(0.015);
  });
});

describe('conformal calibration of a catalogue (forecastMany → poolCalibration)', () => {
  // A simulation, not a timing: generous time-out for a loaded machine.
  it(
    'brings P10–P90 of forecastAuto from about 88 % to about 80 % on heavy-tailed noise',
    { timeout: 60_000 },
    async () => {
      // 300 series, one week held out each: 2,100 days judged. Binomial SE sqrt(.16/2100) = 0.0087;
      // the pooled calibration (300 × 21 scores) adds about 0.005: tolerance 0.04 is 4 SE.
      const n = 300;
      const full = Array.from({ length: n }, (_, i) => ({
        id: `s${i}`,
        y: heavyTailed(140, i + 1),
      }));
      const trains = full.map((s) => ({ id: s.id, y: s.y.subarray(0, 133) }));
      // Cheap candidates: the calibration, not the models, is under test.
      const candidates = ['theta', 'snaive', 'combo(theta,snaive)'];
      // Fitted on every day as it was: the outlier cleaning (outliers.ts) alone already brings
      // the own intervals to 0.81 on this noise, and the calibration is what is under test.
      const cleanOutliers = false;
      const out = await forecastMany(trains, { candidates, cleanOutliers });
      const raw = await forecastMany(trains, { candidates, conformal: false, cleanOutliers });
      const coverage = (m: Map<string, SeriesForecast>) => {
        let inside = 0;
        for (const s of full) {
          const f = m.get(s.id) as SeriesForecast;
          for (let k = 0; k < 7; k++) {
            const y = s.y[133 + k];
            if (y >= f.p10[k] && y <= f.p90[k]) inside++;
          }
        }
        return inside / (n * 7);
      };
      expect(Math.abs(coverage(out) - 0.8)).toBeLessThan(0.04);
      // The models' own (Gaussian) intervals were too wide on this noise: 0.88 measured.
      expect(coverage(raw)).toBeGreaterThan(0.85);
      // The medians are the models' own; only the interval moved.
      for (const s of trains) expect(out.get(s.id)?.p50).toEqual(raw.get(s.id)?.p50);
      for (const f of out.values()) expect(f.conformal).toBeUndefined();
    },
  );

  it('pools the scores of the class for a series with too few of its own', () => {
    const long = Array.from({ length: 30 }, (_, i) => seasonal(200, i + 1, 40));
    const forecasts = new Map<string, SeriesForecast>(
      long.map((y, i) => [`long${i}`, forecastAuto(y)]),
    );
    // 40 days: one validation origin, 7 scores.
    const short = forecastAuto(seasonal(40, 99, 40));
    expect(short.conformal?.scores.up.length).toBe(7);
    expect(short.conformal?.pending).toBeDefined();
    forecasts.set('short', short);
    const pooled = poolCalibration(forecasts).get('short') as SeriesForecast;
    expect(pooled.conformal).toBeUndefined();
    const all = [...forecasts.values()].filter((f) => f.demandClass === short.demandClass);
    const up = Float64Array.from(all.flatMap((f) => [...(f.conformal?.scores.up ?? [])])).sort();
    const s = conformalQuantile(up, 0.9);
    const raw: QuantileForecast = short; // pending: its own P10/P50/P90 are the model's
    const floor = short.conformal?.scores.floor as number;
    for (let k = 0; k < 7; k++) {
      const want = raw.p50[k] + Math.max(0, s) * Math.max(raw.p90[k] - raw.p50[k], floor);
      expect(pooled.p90[k]).toBeCloseTo(want, 9);
    }
    expect([...pooled.p50]).toEqual([...short.p50]);
  });

  it('calibrates a series with enough scores of its own without the pool', () => {
    const y = seasonal(400, 5, 30);
    const f = forecastAuto(y, { validationOrigins: Math.ceil(MIN_OWN_SCORES / 7) });
    expect(f.conformal?.scores.up.length).toBeGreaterThanOrEqual(MIN_OWN_SCORES);
    expect(f.conformal?.pending).toBeUndefined();
    const pooled = poolCalibration(new Map([['a', f]])).get('a') as SeriesForecast;
    expect([...pooled.p90]).toEqual([...f.p90]);
  });

  it('leaves short-history count models and sporadic series valid and uncalibrated by scores', () => {
    const f = forecastAuto(intermittent(10, 3));
    expect(f.conformal).toBeUndefined();
    const g = forecastAuto(intermittent(200, 3), { quantiles: [0.05, 0.95] });
    expect(Object.keys(g.quantiles ?? {})).toEqual(['0.05', '0.95']);
  });
});
