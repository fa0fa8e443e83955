import { samplePoisson, seededRandom } from '@retail-forecast/util';
import { describe, expect, it } from 'vitest';
import { classifyDemand, currentDemandClass, forecastAuto } from '../src/index';

/** `days` days of Poisson(5) daily sales, then `turned` days of cartons: an order on 30 % of the
 * days, of 6, 24 or 48 units (a mean of 7.8 a day, 54.6 a week). */
function turnedToCartons(rand: () => number, days: number, turned: number): Float64Array {
  const sizes = [6, 24, 48];
  return Float64Array.from({ length: days }, (_, t) =>
    t < days - turned
      ? samplePoisson(rand, 5)
      : rand() < 0.3
        ? sizes[Math.floor(rand() * sizes.length)]
        : 0,
  );
}

describe('currentDemandClass', () => {
  it('reads a product that turned from daily sales to cartons 4–12 weeks ago as sporadic', () => {
    const rand = seededRandom(11);
    for (const turned of [28, 42, 56, 84]) {
      for (let k = 0; k < 5; k++) {
        const y = turnedToCartons(rand, 365, turned);
        // The whole year still classes it regular.
        expect(['smooth', 'erratic']).toContain(classifyDemand(y));
        expect(['intermittent', 'lumpy']).toContain(currentDemandClass(y));
      }
    }
  });

  it('keeps reading cartons sporadic when 11 of the last 14 days sold one', () => {
    // A new-user trial: asking the last 14 days to class sporadic (at most 10 days with a sale)
    // read such products erratic again, their cartons cleaned as outliers, a third of the week
    // forecast. Days without a sale on 3 of 14 are still far more than the year's 1 in 150.
    const rand = seededRandom(19);
    for (let k = 0; k < 10; k++) {
      const y = turnedToCartons(rand, 365, 42);
      for (let t = 351; t < 365; t++) y[t] = [353, 358, 362].includes(t) ? 0 : 24;
      expect(['intermittent', 'lumpy']).toContain(currentDemandClass(y));
    }
  });

  it('keeps the class through one gap: a stock-out or a closure of up to 3 weeks', () => {
    const rand = seededRandom(12);
    for (const gap of [10, 14, 20]) {
      for (const ago of [0, 7]) {
        const y = Float64Array.from({ length: 365 }, () => samplePoisson(rand, 5));
        y.fill(0, 365 - ago - gap, 365 - ago);
        expect(currentDemandClass(y)).toBe(classifyDemand(y));
      }
    }
  });

  it('reads a product back to daily sales for 2–3 weeks as regular again', () => {
    // A new-user trial: 42 days of cartons, then daily sales again; the 56 days still held the
    // cartons, and P50 was 0 on every day of a product selling about 5 a day.
    const rand = seededRandom(17);
    for (const back of [14, 21]) {
      for (let k = 0; k < 20; k++) {
        const y = turnedToCartons(rand, 365 - back, 42);
        const z = Float64Array.from([
          ...y,
          ...Array.from({ length: back }, () => samplePoisson(rand, 5)),
        ]);
        expect(currentDemandClass(z)).toBe(classifyDemand(z));
      }
    }
  });

  it('keeps the class of a product closed twice for 2 weeks in its last 8 weeks', () => {
    const rand = seededRandom(18);
    for (let k = 0; k < 20; k++) {
      const y = Float64Array.from({ length: 365 }, () => samplePoisson(rand, 5));
      y.fill(0, 365 - 50, 365 - 36);
      y.fill(0, 365 - 20, 365 - 6);
      expect(currentDemandClass(y)).toBe(classifyDemand(y));
    }
  });

  it('does not turn sporadic demand regular: orders that turned daily keep their class', () => {
    const rand = seededRandom(13);
    const y = Float64Array.from({ length: 365 }, (_, t) =>
      t < 309 ? (rand() < 0.2 ? 12 : 0) : samplePoisson(rand, 3),
    );
    expect(classifyDemand(y)).toBe(currentDemandClass(y));
  });

  it('leaves stationary demand near the ADI cut-off alone', () => {
    // Poisson(1.6): no sale on 20 % of the days, ADI 1.25 against the cut-off 1.32, so a month
    // classes sporadic by chance about one time in three.
    const rand = seededRandom(14);
    let flipped = 0;
    let recentSporadic = 0;
    for (let k = 0; k < 300; k++) {
      const y = Float64Array.from({ length: 365 }, () => samplePoisson(rand, 1.6));
      if (['intermittent', 'lumpy'].includes(classifyDemand(y.subarray(337)))) recentSporadic++;
      if (currentDemandClass(y) !== classifyDemand(y)) flipped++;
    }
    expect(recentSporadic).toBeGreaterThan(30);
    expect(flipped).toBe(0);
  });

  it('counts missing days as neither', () => {
    const rand = seededRandom(15);
    const y = turnedToCartons(rand, 365, 56);
    const z = Float64Array.from(y);
    for (let t = 320; t < 330; t++) z[t] = Number.NaN;
    expect(currentDemandClass(z)).toBe(currentDemandClass(y));
  });
});

describe('forecastAuto on a product that turned to cartons', () => {
  it('forecasts the cartons, not the old daily sales with the cartons cleaned as outliers', () => {
    const rand = seededRandom(16);
    const answers = [28, 42, 56, 84].map((turned) =>
      forecastAuto(turnedToCartons(rand, 365, turned)),
    );
    for (const f of answers) {
      // A week of cartons is 54.6 units on average; cleaned as outliers it read 0.7–20.
      expect((f.mean ?? f.p50).reduce((s, v) => s + v, 0)).toBeGreaterThan(25);
      expect(['intermittent', 'lumpy']).toContain(f.demandClass);
      expect(f.outliers).toBeUndefined();
    }
  });
});
