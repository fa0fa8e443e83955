import { samplePoisson, seededRandom } from '@retail-forecast/util';
import { describe, expect, it } from 'vitest';
import {
  forecastAuto,
  noSaleChance,
  onOpenDays,
  weekdayZeroEvidence,
  zeroMedian,
  ZERO_HALF_LIFE_WEEKS,
  ZERO_PRIOR_DAYS,
} from '../src/index';
import type { QuantileForecast, ZeroEvidence } from '../src/index';

/** A forecast of `n` days at `p50` a day, P10 0 and P90 two units above. */
function flat(p50: number, n = 7): QuantileForecast {
  return {
    p10: new Float64Array(n),
    p50: new Float64Array(n).fill(p50),
    p90: new Float64Array(n).fill(p50 + 2),
  };
}

/** Closed on the weekdays of steps 5 and 6 for 20 weeks (`weekdayClosedDays`' reading). */
const WEEKEND = Float64Array.from([0, 0, 0, 0, 0, 20, 20]);

describe('onOpenDays', () => {
  it("moves a flat week off two closed days: the open days × 7/5, the week's total kept", () => {
    const q = onOpenDays(flat(1), WEEKEND, 7);
    for (let k = 0; k < 5; k++) {
      expect(q.p50[k]).toBeCloseTo(1.4, 12);
      // The distance from the mean grows with its square root, as a count's spread does.
      expect(q.p90[k]).toBeCloseTo(1.4 + 2 * Math.sqrt(1.4), 12);
      // A P10 of 0 stays 0: a day without a sale was at least that likely.
      expect(q.p10[k]).toBe(0);
    }
    expect([q.p10[5], q.p50[5], q.p10[6], q.p50[6]]).toEqual([0, 0, 0, 0]);
    // A closed weekday's P90 stays the model's (it may still sell, `closedNoSaleChance`).
    expect([q.p90[5], q.p90[6]]).toEqual([3, 3]);
    expect(q.p50.reduce((a, b) => a + b, 0)).toBeCloseTo(7, 12);
  });

  it('reads the share on the whole week whatever the horizon', () => {
    const short = onOpenDays(flat(1), WEEKEND, 3);
    expect(short.p50.length).toBe(3);
    for (const v of short.p50) expect(v).toBeCloseTo(1.4, 12);
    const long = onOpenDays(flat(1, 14), WEEKEND, 14);
    expect([long.p50[12], long.p50[13], long.p50[7]]).toEqual([0, 0, long.p50[0]]);
  });

  it('scales a mean carried beside a count median', () => {
    const q = { ...flat(0), mean: new Float64Array(7).fill(0.5) };
    const out = onOpenDays(q, WEEKEND, 7);
    expect(out.mean![0]).toBeCloseTo(0.7, 12);
    expect(out.mean![6]).toBe(0);
    expect(out.p50[0]).toBe(0);
  });

  it('leaves a model that learned the closed days, and weekdays read closed on fewer than 12 weeks', () => {
    const learned: QuantileForecast = {
      p10: Float64Array.from([1, 1, 1, 1, 1, 0, 0]),
      p50: Float64Array.from([2, 2, 2, 2, 2, 0, 0]),
      p90: Float64Array.from([4, 4, 4, 4, 4, 1, 1]),
    };
    expect(onOpenDays(learned, WEEKEND, 7)).toEqual(learned);
    const young = Float64Array.from([0, 0, 0, 0, 0, 11, 11]);
    expect(onOpenDays(flat(1), young, 7)).toEqual(flat(1));
  });
});

describe('noSaleChance', () => {
  // Orders of 1–8 units on 37 % of the days: mean 1.665, variance 6.66, so φ = 1.80.
  const mu = 1.665;
  const phi = 1.803;
  const nb0 = Math.pow(1 + phi * mu, -1 / phi);

  it("is the negative binomial's P(0) without evidence of the weekday", () => {
    expect(nb0).toBeCloseTo(0.4634, 3);
    expect(noSaleChance(mu, phi, 0, 0)).toBeCloseTo(nb0, 12);
  });

  it('is that P(0) worth ZERO_PRIOR_DAYS days, updated with the weekday’s days without a sale', () => {
    expect(ZERO_PRIOR_DAYS).toBe(8);
    // 10 of 16 Mondays sold nothing: (10 + 8 × 0.463) / 24 = 0.571, past ½.
    expect(noSaleChance(mu, phi, 10, 16)).toBeCloseTo((10 + 8 * nb0) / 24, 12);
    expect(noSaleChance(mu, phi, 10, 16)).toBeGreaterThan(0.5);
    // Poisson (φ → 0): e^(−μ).
    expect(noSaleChance(1.4, 0, 0, 0)).toBeCloseTo(Math.exp(-1.4), 5);
  });
});

describe('weekdayZeroEvidence', () => {
  it('counts the last 16 weeks alike, and weighted ½ per 4 weeks back', () => {
    expect(ZERO_HALF_LIFE_WEEKS).toBe(4);
    // 20 weeks: the last day's weekday (phase 6; phase k is forecast step k's) sells only on
    // the last day.
    const days = 140;
    const y = Float64Array.from({ length: days }, (_, t) => (t === days - 1 ? 5 : 0));
    const { even, recent } = weekdayZeroEvidence(y);
    expect([even.known[6], even.zeros[6], even.known[0], even.zeros[0]]).toEqual([16, 15, 16, 16]);
    const weights = Array.from({ length: 16 }, (_, w) => Math.pow(0.5, w / 4));
    const all = weights.reduce((a, b) => a + b, 0);
    expect(recent.known[6]).toBeCloseTo(all, 12);
    expect(recent.zeros[6]).toBeCloseTo(all - 1, 12);
    // Phase 0 (step 0's weekday): its last day is 6 days older.
    expect(recent.known[0]).toBeCloseTo(all * Math.pow(0.5, 6 / 28), 12);
    // Unknown days count nothing.
    y[days - 8] = Number.NaN;
    const e = weekdayZeroEvidence(y);
    expect(e.even.known[6]).toBe(15);
    expect(e.recent.known[6]).toBeCloseTo(all - weights[1], 12);
  });
});

describe('zeroMedian', () => {
  const evidence = (zeros: number, recentZeros: number): ZeroEvidence => ({
    even: { zeros: new Float64Array(7).fill(zeros), known: new Float64Array(7).fill(16) },
    recent: { zeros: new Float64Array(7).fill(recentZeros), known: new Float64Array(7).fill(5) },
  });
  // Orders of 1–8 units on 37 % of the days: the negative binomial's P(0) is 0.46.
  it('is 0 where both readings put no sale at ½ or more', () => {
    expect(zeroMedian(1.665, 1.803, evidence(10, 3.5), 0)).toBe(true);
  });
  it('is not where the recent weeks sold (a turn to daily sales), or the 16 weeks did', () => {
    expect(zeroMedian(1.665, 1.803, evidence(10, 1), 0)).toBe(false);
    expect(zeroMedian(1.665, 1.803, evidence(6, 3.5), 0)).toBe(false);
  });
});

/** Known daily demand of `days` days, `open(t)` false on closed days (0 then). */
function series(days: number, sale: (t: number) => number, open = (_t: number) => true) {
  return Float64Array.from({ length: days }, (_, t) => (open(t) ? sale(t) : 0));
}

/** Day t's phase, the forecast step k mod 7 it shares a weekday with. */
const phase = (t: number, days: number) => (((t - days) % 7) + 7) % 7;

describe('forecastAuto on a sparse product closed two days a week', () => {
  it("forecasts the open days at their rate and the closed days' mean at 0", () => {
    const rand = seededRandom(41);
    const days = 364;
    const rate = 0.8;
    let openMean = 0;
    for (let s = 0; s < 20; s++) {
      const y = series(
        days,
        () => samplePoisson(rand, rate),
        (t) => phase(t, days) < 5,
      );
      const f = forecastAuto(y);
      const mean = f.mean ?? f.p50;
      expect([mean[5], mean[6], f.p50[5], f.p50[6]]).toEqual([0, 0, 0, 0]);
      for (let k = 0; k < 5; k++) openMean += mean[k] / 100;
    }
    // Models without a weekly pattern had spread each week over all seven days: 5/7 of the
    // rate (0.57) on the open days and the rest on the closed ones.
    expect(openMean).toBeGreaterThan(0.9 * rate);
    expect(openMean).toBeLessThan(1.1 * rate);
  });
});

describe('forecastAuto on demand that comes as orders', () => {
  it('publishes P50 0 on days that mostly sell nothing, the mean kept', () => {
    const rand = seededRandom(43);
    let zeroMedians = 0;
    let weekMean = 0;
    for (let s = 0; s < 20; s++) {
      // 1–8 units on 37 % of the days: 63 % of the days sell nothing.
      const y = series(364, () => (rand() < 0.37 ? 1 + Math.floor(8 * rand()) : 0));
      const f = forecastAuto(y);
      zeroMedians += f.p50.filter((v) => v === 0).length;
      weekMean += (f.mean ?? f.p50).reduce((a, b) => a + b, 0) / 20;
    }
    // 73 % of the days; 46 % from the negative binomial of the same mean alone, which puts
    // P(0) at 0.46 and the median at 1. The rest are weekdays that sold on many of their last
    // weeks (the evidence weighs the recent weeks most, `weekdayZeroEvidence`).
    expect(zeroMedians / 140).toBeGreaterThan(0.65);
    expect(weekMean / (7 * 0.37 * 4.5)).toBeGreaterThan(0.8);
    expect(weekMean / (7 * 0.37 * 4.5)).toBeLessThan(1.2);
  });

  it('reads a product turned to daily sales 3 weeks ago from those weeks, not from the year before', () => {
    const rand = seededRandom(53);
    for (const rate of [10, 30, 100]) {
      // A year of sales on 5 % of the days, then Poisson(rate) every day for 3 weeks.
      const y = series(364, (t) =>
        t >= 343 ? samplePoisson(rand, rate) : rand() < 0.05 ? 1 + Math.floor(3 * rand()) : 0,
      );
      const f = forecastAuto(y);
      // With the 16 weeks counted alike only, 13 without a sale outweighed the 3 daily ones:
      // P50 0 on every day at a mean of 10–100 (trial 16).
      for (const v of f.p50) expect(v).toBeGreaterThan(0);
    }
  });

  it('keeps P50 at 1 for Poisson demand of 1.4 a day (P(0) = 0.25)', () => {
    const rand = seededRandom(47);
    let ones = 0;
    for (let s = 0; s < 20; s++) {
      const f = forecastAuto(series(364, () => samplePoisson(rand, 1.4)));
      ones += f.p50.filter((v) => v >= 1).length;
    }
    expect(ones / 140).toBeGreaterThan(0.9);
  });
});
