import { seededRandom } from '@retail-forecast/util';
import { describe, expect, it } from 'vitest';
import {
  forecastAuto,
  levelKey,
  lumpyCountQuantiles,
  normalizeLevels,
  weekdayDispersion,
  recentSizes,
  MIN_LUMPY_SIZES,
} from '../src/index';
import { calibrateSeries } from '../src/conformal';
import { negBinomialQuantiles } from '../src/models/countModels';

/** Lumpy demand: an order on a day with probability `p` (×1.6 on one weekday), of 1, 1, 2, 6 or 12
 * units (a case of 6, a carton of 12: CV² of the sizes 0.92). */
function casePacks(rand: () => number, p: number, days: number): Float64Array {
  const sizes = [1, 1, 2, 6, 12];
  return Float64Array.from({ length: days }, (_, t) =>
    rand() < p * (t % 7 === 2 ? 1.6 : 1) ? sizes[Math.floor(rand() * sizes.length)] : 0,
  );
}

describe('lumpyCountQuantiles', () => {
  it('reads an order with probability mean / mean size, then a size sold before', () => {
    // Mean size 6; a mean of 1.5 is an order on a quarter of the days: P(0) = 0.75, and each
    // size takes 1/16 of the probability above it.
    const sizes = [2, 4, 6, 12];
    const levels = [0.1, 0.5, 0.75, 0.8, 0.9, 0.95, 0.99];
    expect([...lumpyCountQuantiles(1.5, sizes, levels)!]).toEqual([0, 0, 0, 2, 6, 12, 12]);
    expect([...lumpyCountQuantiles(0, sizes, levels)!]).toEqual([0, 0, 0, 0, 0, 0, 0]);
    // Orders every day (p ≥ 1) is not lumpy; nor is a mean that is not a number.
    expect(lumpyCountQuantiles(6, sizes, levels)).toBeUndefined();
    expect(lumpyCountQuantiles(Number.NaN, sizes, levels)).toBeUndefined();
  });

  it('keeps the mean: the probability above 0 times the mean size', () => {
    const sizes = [1, 1, 2, 6, 12];
    const levels = Array.from({ length: 999 }, (_, i) => (i + 1) / 1000);
    const q = lumpyCountQuantiles(1.1, sizes, levels)!;
    const mean = q.reduce((s, v) => s + v, 0) / q.length;
    expect(mean).toBeCloseTo(1.1, 1);
  });
});

describe('recentSizes', () => {
  it('reads the known days above 0 of the last 8 weeks, sorted; too few give none', () => {
    const y = new Float64Array(200);
    y[140] = 99; // older than 56 days: not read
    [4, 1, Number.NaN, 2, 8, 3, 5, 6, 7, 9, 10].forEach((v, i) => (y[150 + i] = v));
    expect([...recentSizes(y)!]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    y[150] = 0;
    expect(recentSizes(y)).toBeUndefined();
    expect(MIN_LUMPY_SIZES).toBe(10);
  });
});

describe('forecastAuto on lumpy count demand', () => {
  it('moves the levels up to P50 towards 0, never away; above P50 it averages, monotone', () => {
    const y = casePacks(seededRandom(4), 0.25, 300);
    const levels = normalizeLevels([0.05, 0.25, 0.75, 0.95]);
    const f = forecastAuto(y, { quantiles: levels });
    expect(f.demandClass).toBe('lumpy');
    for (let k = 0; k < 7; k++) {
      const lumpy = lumpyCountQuantiles(f.mean![k], recentSizes(y)!, levels)!;
      const published = [
        f.quantiles!['0.05'][k],
        f.p10[k],
        f.quantiles!['0.25'][k],
        f.p50[k],
        f.quantiles!['0.75'][k],
        f.p90[k],
        f.quantiles!['0.95'][k],
      ];
      for (let i = 0; i <= 3; i++) expect(published[i]).toBeLessThanOrEqual(lumpy[i]);
      for (let i = 1; i < published.length; i++)
        expect(published[i]).toBeGreaterThanOrEqual(published[i - 1]);
      // An order on about a third of the days at most: no sale is the median.
      expect(f.p50[k]).toBe(0);
    }
    // The mean is the models': about 0.3 orders a day of 4.4 units.
    const week = f.mean!.reduce((s, v) => s + v, 0);
    expect(week).toBeGreaterThan(4);
    expect(week).toBeLessThan(14);
    // Nothing for the pool to recalibrate: the levels are read from the counts.
    expect(forecastAuto(y, { conformal: true }).conformal).toBeUndefined();
  });

  it('reads the recent orders: a product whose cartons turned into daily sales keeps a P50 above 0 (a new-user trial)', () => {
    // 327 days of cartons of 6, 12 or 48 on a fifth of the days, then 35 days selling 6–10 every
    // day. Over 26 weeks the old cartons kept the mean size near 14, so p read about 0.5 and P50
    // fell to 0 on days that all sold; the last 8 weeks' sizes say an order every day.
    const rand = seededRandom(8);
    const cartons = [6, 12, 48];
    const y = Float64Array.from({ length: 362 }, (_, t) =>
      t < 327
        ? rand() < 0.2
          ? cartons[Math.floor(rand() * cartons.length)]
          : 0
        : 6 + Math.floor(rand() * 5),
    );
    const f = forecastAuto(y);
    expect(f.demandClass).toBe('lumpy');
    for (let k = 0; k < 7; k++) expect(f.p50[k]).toBeGreaterThanOrEqual(5);
  });

  it('keeps P10 at 0 on a day whose mean nears the mean size (a new-user trial: a carton as P10)', () => {
    // Cartons of 6, 6, 12, 24 and 48 (mean 19.2); a mean of 18.6 is an order with p = 0.97, so
    // the count alone says P10 = 6, on a weekday that mostly sells nothing.
    const sizes = Float64Array.from([6, 6, 6, 6, 12, 12, 24, 24, 48, 48]);
    const q = {
      p10: Float64Array.of(0),
      p50: Float64Array.of(9),
      p90: Float64Array.of(40),
      mean: Float64Array.of(18.6),
    };
    const levels = normalizeLevels([0.25, 0.75]);
    expect([...lumpyCountQuantiles(18.6, sizes, levels)!].slice(0, 3)).toEqual([6, 6, 12]);
    const evidence = { phi: 2, zeroShare: new Float64Array(7).fill(0.7), sizes };
    const c = calibrateSeries(q, [], 18.6, levels, 'off', evidence);
    expect(c.p10[0]).toBe(0);
    expect(c.p50[0]).toBe(9);
    expect(c.quantiles!['0.25'][0]).toBeLessThanOrEqual(6);
    // Above P50: the average of the count's (12 at 0.75, 48 at 0.9) and the model's.
    expect(c.p90[0]).toBe((40 + 48) / 2);
  });

  it('scores its deciles better than the negative binomial of the same mean on held-out days', () => {
    // 150 products × 4 origins × 7 days; pinball loss at 0.1 … 0.9 of the published levels and of
    // the negative binomial with the forecast's mean and the series' dispersion (what was
    // published before, up to the model's own P10/P90), which puts too little probability on 0
    // for orders of 1 to 12 units: 0.989 of it here, 1.015 for what was published before.
    const rand = seededRandom(21);
    const levels = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];
    const pinball = (y: number, q: number, tau: number) =>
      y >= q ? tau * (y - q) : (1 - tau) * (q - y);
    let published = 0;
    let negBinomial = 0;
    let days = 0;
    for (let s = 0; s < 150; s++) {
      const y = casePacks(rand, 0.15 + 0.3 * rand(), 300);
      for (let o = 1; o <= 4; o++) {
        const cut = y.length - 7 * o;
        const train = y.subarray(0, cut);
        const f = forecastAuto(train, { quantiles: levels });
        if (f.demandClass !== 'lumpy') continue;
        const phi = weekdayDispersion(train);
        for (let k = 0; k < 7; k++) {
          const mu = f.mean![k];
          const nb = negBinomialQuantiles(mu, mu + phi * mu * mu, levels);
          levels.forEach((tau, i) => {
            const own =
              tau === 0.1
                ? f.p10[k]
                : tau === 0.5
                  ? f.p50[k]
                  : tau === 0.9
                    ? f.p90[k]
                    : f.quantiles![levelKey(tau)][k];
            published += pinball(y[cut + k], own, tau);
            negBinomial += pinball(y[cut + k], nb[i], tau);
          });
          days++;
        }
      }
    }
    expect(days).toBeGreaterThan(3000);
    expect(published).toBeLessThan(0.995 * negBinomial);
  });
});
