import { samplePoisson, seededRandom } from '@retail-forecast/util';
import { describe, expect, it } from 'vitest';
import {
  countMedian,
  forecastAuto,
  isCountSeries,
  recountMedian,
  toProductForecast,
  weekdayDispersion,
  withCountMedian,
  lumpyCountQuantiles,
  recentSizes,
} from '../src/index';
import { weekdayMeanDispersion } from '../src/countMedian';
import { negBinomialQuantile } from '../src/models/countModels';

/** A day of negative-binomial demand: Poisson with a Gamma(1/φ, φ) multiplier of the mean. */
function sampleNegBinomial(rand: () => number, mean: number, phi: number): number {
  // Gamma(shape k = 1/φ, scale φ) by summing exponentials is exact for whole k; φ is 0.5 here.
  const k = Math.round(1 / phi);
  let g = 0;
  for (let i = 0; i < k; i++) g -= Math.log(1 - rand());
  return samplePoisson(rand, mean * g * phi);
}

describe('isCountSeries', () => {
  it('is true for whole units (unknown days aside) and false with any fraction', () => {
    expect(isCountSeries(Float64Array.of(0, 3, Number.NaN, 12))).toBe(true);
    expect(isCountSeries(Float64Array.of(0, 3, 2.5))).toBe(false);
  });
});

describe('weekdayDispersion', () => {
  it('reads Poisson noise as φ ≈ 0 and a negative binomial with φ = 0.5 near 0.5', () => {
    const rand = seededRandom(7);
    const poisson = Float64Array.from({ length: 7000 }, () => samplePoisson(rand, 3));
    const nb = Float64Array.from({ length: 7000 }, () => sampleNegBinomial(rand, 3, 0.5));
    expect(weekdayDispersion(poisson, 7000)).toBeLessThan(0.02);
    expect(weekdayDispersion(nb, 7000)).toBeGreaterThan(0.4);
    expect(weekdayDispersion(nb, 7000)).toBeLessThan(0.6);
  });

  it('keeps a weekly pattern out of the noise it measures', () => {
    // Exactly 10 on two days of each week and 0 on the others: no noise at all.
    const weekly = Float64Array.from({ length: 56 }, (_, i) => (i % 7 >= 5 ? 10 : 0));
    expect(weekdayDispersion(weekly)).toBe(1e-6);
  });

  it('reads pairs of days a week apart: Σ((a − b)²/2 − (a + b)/2) / Σ ab', () => {
    // A week of 1s then a week of 5s: each pair gives (16 − 6)/2 = 5 over 1 · 5 = 5.
    const x = Float64Array.from({ length: 14 }, (_, i) => (i < 7 ? 1 : 5));
    expect(weekdayDispersion(x)).toBeCloseTo(1, 12);
    // Each weekday around its mean of 3 (variance 8): 2 · (8 − 3) / (2 · 9).
    expect(weekdayMeanDispersion(x)).toBeCloseTo(10 / 18, 12);
    // An unknown day drops its pairs; no pair that sold on both days: the weekday means' estimate.
    x[13] = Number.NaN;
    expect(weekdayDispersion(x)).toBeCloseTo(1, 12);
    const scattered = Float64Array.from({ length: 56 }, (_, i) => (i % 9 === 0 ? 6 : 0));
    expect(weekdayMeanDispersion(scattered)).toBeGreaterThan(1);
    expect(weekdayDispersion(scattered)).toBe(weekdayMeanDispersion(scattered));
  });

  it('reads a level that moved inside the window from the pairs across the move only', () => {
    // Months of a few sales, then 100 a day for the last 2 or 3 weeks. Around each weekday's
    // 8-week mean the move itself is noise (φ ≈ 3.4 and 1.9), and the count median was a
    // quarter to a half of the mean (24 at 99).
    for (const turn of [14, 21]) {
      const r = seededRandom(5);
      const y = Float64Array.from({ length: 300 }, (_, t) =>
        t < 300 - turn ? (r() < 0.1 ? 1 + Math.floor(3 * r()) : 0) : samplePoisson(r, 100),
      );
      expect(weekdayMeanDispersion(y)).toBeGreaterThan(1.5);
      expect(weekdayDispersion(y)).toBeLessThan(0.5);
      const f = forecastAuto(y, { horizon: 7 });
      for (let k = 0; k < 7; k++) expect(f.p50[k]).toBeGreaterThan(0.7 * f.mean![k]);
    }
  });

  it('reads only the last `window` days, skipping unknown ones', () => {
    const old = Float64Array.from({ length: 56 }, (_, i) => (i % 2 === 0 ? 0 : 40));
    const recent = Float64Array.from({ length: 56 }, () => 5);
    const y = new Float64Array(112);
    y.set(old);
    y.set(recent, 56);
    y[100] = Number.NaN;
    expect(weekdayDispersion(y)).toBe(1e-6);
    expect(weekdayDispersion(y, 112)).toBeGreaterThan(1);
  });
});

describe('countMedian', () => {
  it('gives the smallest count whose CDF reaches 0.5', () => {
    expect(countMedian(0.5, 0)).toBe(0); // Poisson: P(0) = 0.607
    expect(countMedian(0.7, 0)).toBe(1); // P(0) = 0.497
    expect(countMedian(4, 0)).toBe(4);
    // Geometric (φ = 1) with mean 2: CDF(k) = 1 − (2/3)^(k+1), so CDF(0) = 1/3, CDF(1) = 5/9.
    expect(countMedian(2, 1)).toBe(1);
    // Over-dispersion moves the median further below the mean.
    expect(countMedian(3, 2)).toBeLessThan(countMedian(3, 0));
    expect(countMedian(0, 0.3)).toBe(0);
  });

  it('agrees with the count models’ negative-binomial quantile walk (in logs) where it is exact', () => {
    for (const phi of [1e-6, 0.05, 0.5, 1, 3]) {
      for (const mu of [0.05, 0.3, 0.69, 0.7, 1, 2.5, 7.3, 19.9, 64, 150.5, 333, 499]) {
        expect(countMedian(mu, phi)).toBe(
          negBinomialQuantile(mu, mu + Math.max(phi, 1e-6) * mu * mu, 0.5),
        );
      }
    }
  });

  it('joins the exact walk and the large-mean expansion within a unit', () => {
    for (const phi of [0, 0.01, 0.1]) {
      expect(Math.abs(countMedian(500.5, phi) - countMedian(499.5, phi))).toBeLessThanOrEqual(2);
    }
    expect(countMedian(1e6, 0)).toBe(1e6);
  });

  it('stays within 1 % of the exact median above a mean of 500, however skewed', () => {
    // The exact walk of the probability function is the reference; the one-term Cornish–Fisher
    // median alone gave 0 from φ ≈ 3 (mean 5000, φ = 3: 0 for 1433) and 4 % low at φ = 1.
    for (const phi of [0, 0.01, 0.1, 0.2, 0.3, 0.5, 1, 3, 6]) {
      for (const mu of [501, 1200, 2001, 5000, 20000]) {
        const exact = negBinomialQuantile(mu, mu + Math.max(phi, 1e-6) * mu * mu, 0.5);
        expect(Math.abs(countMedian(mu, phi) - exact)).toBeLessThanOrEqual(0.01 * exact);
      }
    }
    // Geometric (φ = 1) with mean 5000: CDF(k) = 1 − (5000/5001)^(k+1) first reaches 0.5 at 3466.
    // (Scaled from the exact median at a mean of 500, 346, so within 10 units: 0.3 %.)
    expect(Math.abs(countMedian(5000, 1) - 3466)).toBeLessThanOrEqual(10);
    // No jump where the approximation takes over.
    for (const phi of [0.5, 3]) {
      expect(Math.abs(countMedian(500.5, phi) - countMedian(499.5, phi))).toBeLessThanOrEqual(2);
    }
  });
});

describe('withCountMedian', () => {
  it('sets P50 to the median, keeps the mean and the order, and leaves a median forecast alone', () => {
    const q = {
      p10: Float64Array.of(0, 0),
      p50: Float64Array.of(0.4, 6.2),
      p90: Float64Array.of(1.2, 9),
    };
    const c = withCountMedian(q, 0.2);
    expect(Array.from(c.mean ?? [])).toEqual([0.4, 6.2]);
    expect(c.p50[0]).toBe(0);
    expect(c.p50[1]).toBe(countMedian(6.2, 0.2));
    for (let k = 0; k < 2; k++) {
      expect(c.p10[k]).toBeLessThanOrEqual(c.p50[k]);
      expect(c.p50[k]).toBeLessThanOrEqual(c.p90[k]);
    }
    expect(withCountMedian(c, 5)).toBe(c);
  });
});

describe('absurd magnitudes', () => {
  it('reads an overflowing dispersion as Poisson and still answers a finite median', () => {
    const x = Float64Array.from({ length: 60 }, (_, i) => (i % 2 ? 1e300 : 1e299));
    expect(weekdayDispersion(x)).toBe(1e-6);
    expect(Number.isFinite(countMedian(5.5e299, weekdayDispersion(x)))).toBe(true);
    expect(Number.isFinite(forecastAuto(x).p50[0])).toBe(true);
  });
});

describe('recountMedian', () => {
  it('re-reads P50 as the count median of the combined mean and keeps the order', () => {
    // Two members' medians 25 and 26 average to 25.5; their means 25.2 and 26.8 to 26.
    const q = {
      p10: Float64Array.of(15, 26.5),
      p50: Float64Array.of(25.5, 26.5),
      p90: Float64Array.of(36, 26.5),
      mean: Float64Array.of(26, 27.4),
    };
    const c = recountMedian(q, 0.05);
    expect(Array.from(c.p50)).toEqual([countMedian(26, 0.05), countMedian(27.4, 0.05)]);
    expect(Number.isInteger(c.p50[0]) && Number.isInteger(c.p50[1])).toBe(true);
    expect(c.mean).toBe(q.mean);
    for (let k = 0; k < 2; k++) {
      expect(c.p10[k]).toBeLessThanOrEqual(c.p50[k]);
      expect(c.p50[k]).toBeLessThanOrEqual(c.p90[k]);
    }
    const plain = { p10: q.p10, p50: q.p50, p90: q.p90 };
    expect(recountMedian(plain, 0.05)).toBe(plain);
  });

  it('gives a two-member combination whole-unit medians in forecastAuto', () => {
    const rand = seededRandom(11);
    const y = Float64Array.from({ length: 200 }, (_, t) =>
      samplePoisson(rand, [20, 18, 19, 22, 30, 34, 26][t % 7]),
    );
    for (const candidates of [['combo(ets,theta)'], ['combo(ets,theta,snaive)']]) {
      const f = forecastAuto(y, { candidates, conformal: false });
      expect(f.model).toMatch(/combo/);
      for (const v of f.p50) expect(Number.isInteger(v)).toBe(true);
      const phi = weekdayDispersion(y);
      expect(Array.from(f.p50)).toEqual(Array.from(f.mean ?? [], (m) => countMedian(m, phi)));
    }
  });
});

describe('forecastAuto on count series', () => {
  it('publishes whole-unit medians with the mean beside them; fractions and countMedian: false keep the mean', () => {
    const rand = seededRandom(3);
    const y = Float64Array.from({ length: 200 }, (_, t) =>
      samplePoisson(rand, t % 7 === 5 ? 3 : 0.8),
    );
    const f = forecastAuto(y);
    expect(f.mean).toBeInstanceOf(Float64Array);
    // Sporadic, and sizes varying with the weekday: lumpy, so a day whose order probability is
    // below 1 may take its lumpy count's lower median (lumpyCount.ts), the others keep the
    // negative binomial's.
    expect(f.demandClass).toBe('lumpy');
    const sizes = recentSizes(y)!;
    let lumpyDays = 0;
    for (let k = 0; k < 7; k++) {
      expect(Number.isInteger(f.p50[k])).toBe(true);
      const median = countMedian(f.mean![k], weekdayDispersion(y));
      const lumpy = lumpyCountQuantiles(f.mean![k], sizes, [0.5]);
      if (lumpy) lumpyDays++;
      expect(f.p50[k]).toBe(lumpy ? Math.min(lumpy[0], median) : median);
    }
    expect(lumpyDays).toBe(6);
    const plain = forecastAuto(y, { countMedian: false });
    expect(plain.mean).toBeUndefined();
    expect(Array.from(plain.p50)).toEqual(Array.from(f.mean!));
    const kilos = forecastAuto(y.map((v) => v * 0.5 + 0.25));
    expect(kilos.mean).toBeUndefined();
    expect(() => forecastAuto(y, { countMedian: 'yes' as unknown as boolean })).toThrow(
      /countMedian "yes" is not allowed \(expected true or false\)/,
    );
  });

  it('lowers the absolute error of sparse demand while the means still sum to the demand', () => {
    const rand = seededRandom(11);
    let aeMedian = 0;
    let aeMean = 0;
    let meanTotal = 0;
    let actualTotal = 0;
    for (let s = 0; s < 60; s++) {
      const rate = 0.2 + (s % 6) * 0.15;
      const y = Float64Array.from({ length: 207 }, () => sampleNegBinomial(rand, rate, 0.5));
      const f = forecastAuto(y.subarray(0, 200));
      for (let k = 0; k < 7; k++) {
        const actual = y[200 + k];
        aeMedian += Math.abs(f.p50[k] - actual);
        aeMean += Math.abs(f.mean![k] - actual);
        meanTotal += f.mean![k];
        actualTotal += actual;
      }
    }
    // The median is the absolute-error optimum: clearly lower on demand this sparse.
    expect(aeMedian).toBeLessThan(0.9 * aeMean);
    // The means carry the volume the medians leave out.
    expect(Math.abs(meanTotal - actualTotal) / actualTotal).toBeLessThan(0.15);
  });

  it('keeps a short history’s strict interval around its mean (field case FC-14)', () => {
    const f = forecastAuto(Float64Array.of(0, 1, 0, 0, 2));
    expect(f.mean).toBeUndefined();
    for (let k = 0; k < 7; k++) expect(f.p10[k]).toBeLessThan(f.p50[k]);
  });
});

describe('toProductForecast', () => {
  it('sums the daily means into forecastedDemand and publishes each day’s mean', () => {
    const p = toProductForecast({ productId: 'P1' }, '2025-03-01', 3, 'statistical:x', {
      p10: [0, 0, 0],
      p50: [0, 0, 1],
      p90: [2, 2, 3],
      mean: [0.444, 0.6, 1.2],
    });
    expect(p.daily.map((d) => d.mean)).toEqual([0.44, 0.6, 1.2]);
    expect(p.forecastedDemand).toBe(2.24);
    expect(() =>
      toProductForecast({ productId: 'P1' }, '2025-03-01', 3, 'statistical:x', {
        p10: [0, 0, 0],
        p50: [0, 0, 1],
        p90: [2, 2, 3],
        mean: [0.4, Number.NaN, 1],
      }),
    ).toThrow(/mean at step 2 is NaN/);
  });
});
