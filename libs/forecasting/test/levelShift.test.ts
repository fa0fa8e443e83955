import { samplePoisson, seededRandom } from '@retail-forecast/util';
import { describe, expect, it } from 'vitest';
import {
  weekdayProfile,
  SHIFT_MIN_RISE_WEEKS,
  SHIFT_MIN_WEEKS,
  calendarHistoryTooShort,
  forecastAuto,
  recentLevelShift,
} from '../src/index';

const PROFILE = [0.7, 0.8, 1, 1, 1.1, 1.5, 0.9];

/** `days` days of a weekly profile at `level`, then at `level · factor` for the last `since` days. */
function stepped(days: number, level: number, factor: number, since: number): Float64Array {
  return Float64Array.from(
    { length: days },
    (_, t) => PROFILE[t % 7] * level * (t >= days - since ? factor : 1),
  );
}

/** Poisson days at `rate`, then at `rate · factor` for the last `since` days. */
function poissonStep(
  rand: () => number,
  days: number,
  rate: number,
  factor: number,
  since: number,
): Float64Array {
  return Float64Array.from({ length: days }, (_, t) =>
    samplePoisson(rand, t >= days - since ? rate * factor : rate),
  );
}

const weekTotal = (f: { mean?: ArrayLike<number>; p50: ArrayLike<number> }) =>
  Array.from(f.mean ?? f.p50).reduce((a, b) => a + b, 0);

describe('recentLevelShift', () => {
  it('finds the day a level fell to a fifth, and the means either side', () => {
    // 100 days at 10 a day (weekly profile), then 24 days at 2: the split is the 101st day.
    const y = stepped(124, 10, 0.2, 24);
    const s = recentLevelShift(y)!;
    expect(s.index).toBe(100);
    expect(s.before).toBeCloseTo(10, 1);
    // The 24 days since are 3 whole weeks and 3 days; their profile's mean is not exactly 1.
    const since = Array.from(y.subarray(100)).reduce((a, b) => a + b, 0) / 24;
    expect(s.after).toBeCloseTo(since, 9);
    expect(s.after).toBeGreaterThan(1.8);
    expect(s.after).toBeLessThan(2.2);
  });

  it(`finds a rise to 3× from ${SHIFT_MIN_RISE_WEEKS} to 13 weeks ago, not before (a promotion can look like one)`, () => {
    expect(SHIFT_MIN_RISE_WEEKS).toBe(5);
    for (const since of [29, 35, 55, 91]) {
      const s = recentLevelShift(stepped(300, 5, 3, since));
      expect(s?.index, `since ${since}`).toBe(300 - since);
    }
    for (const since of [15, 21, 28]) {
      expect(recentLevelShift(stepped(300, 5, 3, since)), `since ${since}`).toBeUndefined();
      // A fall is read from 15 days on.
      expect(recentLevelShift(stepped(300, 5, 1 / 4, since))?.index, `since ${since}`).toBe(
        300 - since,
      );
    }
  });

  it(`waits for ${SHIFT_MIN_WEEKS} weekly means at the new level (15 days at least)`, () => {
    expect(SHIFT_MIN_WEEKS).toBe(3);
    // 14 days: only 2 whole weeks are low. 15: 3 weekly means are, the oldest with 6 old days.
    expect(recentLevelShift(stepped(200, 10, 0.2, 14))).toBeUndefined();
    expect(recentLevelShift(stepped(200, 10, 0.2, 15))?.index).toBe(185);
    expect(recentLevelShift(stepped(200, 10, 0.2, 21))?.index).toBe(179);
  });

  it('leaves moves under 2× alone (a trend or a season’s slope)', () => {
    expect(recentLevelShift(stepped(200, 10, 0.55, 28))).toBeUndefined();
    expect(recentLevelShift(stepped(200, 10, 1.9, 28))).toBeUndefined();
  });

  it('does not read a stock-out (weeks without a sale) as a new level', () => {
    const y = stepped(200, 10, 1, 0);
    y.fill(0, 200 - 28, 200);
    expect(recentLevelShift(y)).toBeUndefined();
    y.fill(0, 200 - 28, 200 - 7);
    expect(recentLevelShift(y)).toBeUndefined();
    // Out of stock for 2 weeks, selling at the old level again for the last 2 days: the weeks
    // since read without the gap are not low.
    const x = stepped(200, 10, 1, 0);
    x.fill(0, 200 - 16, 200 - 2);
    expect(recentLevelShift(x)).toBeUndefined();
    // Sold again for 3 weeks after a long gap: the weeks before hold the gap, not the old level.
    const z = stepped(200, 10, 1, 0);
    z.fill(0, 200 - 35, 200 - 21);
    expect(recentLevelShift(z)).toBeUndefined();
  });

  it('does not read promotions (a few days a week at 5×) or a trend as a new level', () => {
    // The last 6 weeks each hold 3 promotion days at 5× (a weekend deal): their means rise 2.7×,
    // their middle days do not.
    const y = stepped(200, 10, 1, 0);
    for (let w = 1; w <= 6; w++) for (let d = 0; d < 3; d++) y[200 - 7 * w + d] *= 5;
    expect(recentLevelShift(y)).toBeUndefined();
    // Every day of those 3 weeks at 4× (a trial's promotion, ending at the as-of): not yet a
    // rise. Every day of the last 5 weeks at 5×: a rise.
    expect(recentLevelShift(stepped(200, 10, 4, 21))).toBeUndefined();
    expect(recentLevelShift(stepped(200, 10, 5, 35))?.index).toBe(165);
    // A steady decline from 40 to 4 a day over 200 days: the last weeks are under half of the
    // weeks before, but a line fits them as well as two levels.
    const trend = Float64Array.from(
      { length: 200 },
      (_, t) => PROFILE[t % 7] * (40 - (36 * t) / 199),
    );
    expect(recentLevelShift(trend)).toBeUndefined();
  });

  it('does not read the season: the same weeks a year before moved the same way', () => {
    // A 3× peak over the last 5 weeks, and over the same 5 weeks of the year before.
    // (The year before must hold the 5 weeks and the 8 before them: 364 + 35 + 56 days.)
    const n = 460;
    const y = stepped(n, 10, 1, 0);
    for (let t = n - 35; t < n; t++) y[t] *= 3;
    expect(recentLevelShift(y)?.index).toBe(n - 35);
    for (let t = n - 35 - 364; t < n - 364; t++) y[t] *= 3;
    expect(recentLevelShift(y)).toBeUndefined();
    // Half of it the year before (1.5×) leaves a 2× move beyond the season: a shift.
    const z = stepped(n, 10, 1, 0);
    for (let t = n - 35; t < n; t++) z[t] *= 3;
    for (let t = n - 35 - 364; t < n - 364; t++) z[t] *= 1.5;
    expect(recentLevelShift(z)?.index).toBe(n - 35);
  });

  it('leaves demand sporadic on both sides to the intermittent-demand models', () => {
    // A sale of 2 every 4th day, then of 6 every 4th day: 3× in weekly means, but runs of orders
    // that far apart are not a level that weekly means can tell.
    const y = Float64Array.from({ length: 200 }, (_, t) => (t % 4 === 0 ? (t >= 172 ? 6 : 2) : 0));
    expect(recentLevelShift(y)).toBeUndefined();
    // Back to daily sales from the same sporadic history: a shift.
    const z = Float64Array.from({ length: 200 }, (_, t) => (t >= 172 ? 50 : t % 4 === 0 ? 2 : 0));
    expect(recentLevelShift(z)?.index).toBe(172);
  });

  it('needs 6 whole weeks before the shift, and skips unknown days', () => {
    expect(recentLevelShift(stepped(62, 10, 0.2, 21))).toBeUndefined();
    expect(recentLevelShift(stepped(63, 10, 0.2, 21))?.index).toBe(42);
    const y = stepped(200, 10, 0.2, 28);
    y[190] = NaN;
    y[100] = NaN;
    expect(recentLevelShift(y)?.index).toBe(172);
  });

  it('finds no shift in stationary demand (400 generated products, 4 as-of dates each)', () => {
    const r = seededRandom(5);
    let found = 0;
    for (let s = 0; s < 400; s++) {
      const rate = 0.5 + 20 * r();
      // Half Poisson days, half cartons of 6–48 on some days (the same mean): noisy weeks.
      const size = 6 * (1 + Math.floor(8 * r()));
      const y = Float64Array.from({ length: 365 }, () =>
        s % 2 ? samplePoisson(r, rate) : r() < Math.min(1, rate / size) ? size : 0,
      );
      for (let o = 0; o < 4; o++) if (recentLevelShift(y.subarray(0, 365 - 7 * o))) found++;
    }
    expect(found).toBe(0);
  });
});

describe('forecastAuto after a level shift', () => {
  it('forecasts the new level, and says where it starts', () => {
    // Poisson(3–8) days that fell to a tenth 3–5 weeks before the as-of, or rose 2.5–5× 5–7
    // weeks before it; each forecast week's total against the week's expected sales (7 × the new
    // rate: a week of a few sales is too noisy to tell forecasts apart).
    const r = seededRandom(11);
    let found = 0;
    const kinds = { fall: [0, 0, 0], rise: [0, 0, 0] }; // units sold, error, error without
    for (let s = 0; s < 40; s++) {
      const rate = 3 + 5 * r();
      const fall = s % 2 === 1;
      const factor = fall ? 0.1 : 2.5 + 2.5 * r();
      const since = (fall ? 21 : 35) + Math.floor(15 * r());
      const history = poissonStep(r, 365, rate, factor, since);
      const next = 7 * rate * factor;
      const f = forecastAuto(history);
      if (f.levelShift) {
        found++;
        // Within 10 days: where the last days of a few sales a day happened to sell little, the
        // split puts them in the new level.
        expect(Math.abs(f.levelShift.index - (365 - since)), `product ${s}`).toBeLessThanOrEqual(
          10,
        );
        // The means either side: the factor within 3× (a few sales a day are noisy, and a split a
        // few days early puts old days in the new level).
        const read = f.levelShift.after / f.levelShift.before;
        expect(Math.abs(Math.log(read / factor)), `product ${s}`).toBeLessThan(Math.log(3));
      }
      const k = kinds[fall ? 'fall' : 'rise'];
      k[0] += next;
      k[1] += Math.abs(weekTotal(f) - next);
      k[2] += Math.abs(weekTotal(forecastAuto(history, { levelShifts: false })) - next);
    }
    // A fall to a tenth can leave a week without a sale, the latest too (then not yet read).
    expect(found).toBeGreaterThanOrEqual(36);
    // Error of the week's total per unit expected. Falls: 0.27 here, 1.18 fitted on the whole
    // history (its level still carries the year before). Rises 5–7 weeks old, which the
    // whole-history models have mostly followed: 0.035 against 0.061.
    const [fallSold, fallError, fallWithout] = kinds.fall;
    const [riseSold, riseError, riseWithout] = kinds.rise;
    expect(fallError / fallSold).toBeLessThan(0.35);
    expect(fallError).toBeLessThan(0.4 * fallWithout);
    expect(riseError / riseSold).toBeLessThan(0.05);
    expect(riseError).toBeLessThan(0.8 * riseWithout);
  });

  it('reads the class and the weekday profile of the new demand: daily again after sporadic months', () => {
    // 1–3 units on a tenth of the days for 300 days, then 100 a day for 4 weeks.
    const r = seededRandom(3);
    const y = Float64Array.from({ length: 328 }, (_, t) =>
      t >= 300 ? samplePoisson(r, 100) : r() < 0.1 ? 1 + Math.floor(3 * r()) : 0,
    );
    const f = forecastAuto(y);
    expect(f.levelShift?.index).toBe(300);
    expect(f.demandClass).toBe('smooth');
    for (let k = 0; k < 7; k++) {
      expect(f.p50[k]).toBeGreaterThan(80);
      expect(f.p50[k]).toBeLessThan(120);
    }
  });

  it('is off with levelShifts: false, and absent where there is none', () => {
    const y = stepped(200, 10, 0.2, 28).map(Math.round);
    expect(forecastAuto(y).levelShift?.index).toBe(172);
    expect(forecastAuto(y, { levelShifts: false }).levelShift).toBeUndefined();
    expect(forecastAuto(stepped(200, 10, 1, 0).map(Math.round)).levelShift).toBeUndefined();
    expect(() => forecastAuto(y, { levelShifts: 'yes' as unknown as boolean })).toThrow(
      /levelShifts/,
    );
  });

  it('has too little history since the shift for the calendar candidate', () => {
    const y = stepped(400, 10, 0.2, 28).map(Math.round);
    expect(calendarHistoryTooShort(y)).toBe(true);
    expect(calendarHistoryTooShort(y, { levelShifts: false })).toBe(false);
  });
});

describe('the weekday profile across a level shift', () => {
  it('reads each weekday’s share of its week, whatever the weeks’ level', () => {
    // 30 weeks at 10, then 10 weeks at 2: the shares are the profile's (it averages 1).
    const p = weekdayProfile(stepped(280, 10, 0.2, 70), 280)!;
    for (let d = 0; d < 7; d++) expect(p.share[d]).toBeCloseTo(PROFILE[d], 9);
    // Too few weeks, sporadic days, or no weekly pattern beyond the noise: none.
    expect(weekdayProfile(stepped(27, 10, 1, 0), 27)).toBeUndefined();
    const sporadic = Float64Array.from({ length: 280 }, (_, t) => (t % 5 === 0 ? 3 : 0));
    expect(weekdayProfile(sporadic, 280)).toBeUndefined();
    const r = seededRandom(2);
    const flat = Float64Array.from({ length: 280 }, () => samplePoisson(r, 5));
    expect(weekdayProfile(flat, 280)).toBeUndefined();
  });

  it('leaves a pattern that changed with the level to the models, and keeps a closed weekday closed', () => {
    // Noisy days as below; a Saturday peak for 300 days, then a quarter of the level with no
    // weekday pattern (or a Monday peak) for 5–12 weeks: the weeks since disagree with the profile.
    const r = seededRandom(23);
    const normal = () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
    const saturday = [0.85, 0.85, 0.9, 0.95, 1.0, 1.35, 1.1];
    const monday = [1.35, 1.1, 1.0, 0.95, 0.9, 0.85, 0.85];
    const closed = [1, 1, 1, 1, 1.2, 1.5, 0];
    const day = (m: number) => samplePoisson(r, m * Math.exp(0.4 * normal() - 0.08));
    let read = 0;
    let changed = 0;
    let saturdays = 0;
    for (let s = 0; s < 30; s++) {
      const level = 30 + 50 * r();
      const since = 35 + Math.floor(49 * r());
      const n = 400;
      const kind = s % 3;
      const y = Float64Array.from({ length: n }, (_, t) => {
        const after = t >= n - since;
        if (kind === 2) return day(level * (after ? 0.25 : 1) * closed[t % 7]);
        return day(
          after ? level * 0.25 * (kind === 0 ? 1 : monday[t % 7]) : level * saturday[t % 7],
        );
      });
      const f = forecastAuto(y);
      if (!f.levelShift) continue;
      read++;
      const mean = Array.from(f.mean!);
      const sat = [...Array(7).keys()].find((k) => (n + k) % 7 === 5)!;
      const week = mean.reduce((a, b) => a + b, 0) / 7;
      if (kind < 2) {
        changed++;
        saturdays += mean[sat] / week;
      } else {
        const sunday = [...Array(7).keys()].find((k) => (n + k) % 7 === 6)!;
        expect([f.mean![sunday], f.p50[sunday], f.p90[sunday]], `product ${s}`).toEqual([0, 0, 0]);
      }
    }
    expect(read).toBeGreaterThanOrEqual(25);
    // Not the old Saturday peak (1.35× the week's mean) where the product sells 1× or 0.85× now.
    // 1.02 over 20 such products here; 1.16 without the check that the weeks since agree.
    expect(saturdays / changed).toBeLessThan(1.1);
  });

  it('keeps the weekly pattern of a product read after a shift, and its week’s total', () => {
    // Noisy days (Poisson with a lognormal multiplier, CV about 0.4) with a weekly profile
    // (Saturday 1.35× the week's mean), a fall to a quarter or a rise to 3× 3–12 weeks before the
    // as-of. A few noisy weeks since the shift show no weekly season the models accept: without
    // the profile of the weeks before, 17 of a similar 56 products published a flat week.
    const r = seededRandom(17);
    const normal = () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
    const profile = [0.85, 0.85, 0.9, 0.95, 1.0, 1.35, 1.1];
    let read = 0;
    let flat = 0;
    let saturday = 0;
    let dailyError = 0;
    let expected = 0;
    for (let s = 0; s < 40; s++) {
      const level = 20 + 60 * r();
      const factor = s % 2 ? 0.25 : 3;
      const since = 35 + Math.floor(49 * r());
      const n = 400;
      const y = Float64Array.from({ length: n }, (_, t) =>
        samplePoisson(
          r,
          (t >= n - since ? level * factor : level) *
            profile[t % 7] *
            Math.exp(0.4 * normal() - 0.08),
        ),
      );
      const f = forecastAuto(y);
      if (!f.levelShift) continue;
      read++;
      const mean = Array.from(f.mean!);
      if (Math.max(...mean) / Math.min(...mean) < 1.1) flat++;
      const sat = [...Array(7).keys()].find((k) => (n + k) % 7 === 5)!;
      saturday += mean[sat] / (mean.reduce((a, b) => a + b, 0) / 7);
      for (let k = 0; k < 7; k++) {
        const truth = level * factor * profile[(n + k) % 7];
        dailyError += Math.abs(mean[k] - truth);
        expected += truth;
      }
    }
    expect(read).toBeGreaterThanOrEqual(30);
    expect(flat).toBe(0);
    expect(saturday / read).toBeGreaterThan(1.25);
    expect(saturday / read).toBeLessThan(1.45);
    // Each day's mean against the day's expected sales: 0.153 here.
    expect(dailyError / expected).toBeLessThan(0.17);
  });
});
