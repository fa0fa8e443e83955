import { samplePoisson, seededRandom } from '@retail-forecast/util';
import { describe, expect, it } from 'vitest';
import { INTERMITTENT_CANDIDATES, forecastAuto } from '../src/index';

/** A product selling `rate` units a day on average (Poisson days, or orders of 1–`size` units),
 * `days` days, its rate moving linearly from `rate` to `rate · end`. */
function sparse(
  rand: () => number,
  days: number,
  rate: number,
  orders: boolean,
  size: number,
  end: number,
): Float64Array {
  return Float64Array.from({ length: days }, (_, t) => {
    const mean = rate * (1 + ((end - 1) * t) / days);
    if (!orders) return samplePoisson(rand, mean);
    return rand() < (2 * mean) / (size + 1) ? 1 + Math.floor(size * rand()) : 0;
  });
}

describe('the mean of very sparse demand (every model’s count median 0)', () => {
  it('lists the intermittent-demand methods first, the order ties keep', () => {
    expect(INTERMITTENT_CANDIDATES.slice(0, 2)).toEqual(['tsb', 'sba']);
  });

  it('reads a young product (no race yet) at the rate it has sold, and after its silence', () => {
    // One order of 12 on the first of 14, 21 or 27 days: cut at its first sale, SBA counted the
    // interval before it as 1 day and read 11.4 a day (79.8 for the week; a new-user trial).
    for (const days of [14, 21, 27]) {
      const y = new Float64Array(days);
      y[0] = 12;
      const f = forecastAuto(y, { horizon: 7 });
      expect(f.model).toBe('statistical:tsb');
      const week = f.mean!.reduce((a, b) => a + b, 0);
      expect(week).toBeGreaterThan(0.5 * ((7 * 12) / days));
      expect(week).toBeLessThan(1.5 * ((7 * 12) / days));
    }
    // Orders of 12 on days 1 and 3, then 25 days without a sale (6 a week in all): SBA alone,
    // which smooths the intervals between orders only, read an order every 2 days (39.9).
    const burst = new Float64Array(28);
    burst[0] = 12;
    burst[2] = 12;
    const f = forecastAuto(burst, { horizon: 7 });
    expect(f.mean!.reduce((a, b) => a + b, 0)).toBeLessThan(7);
  });

  it('keeps the 7-day total of means unbiased over 80 products at 0.03–0.43 a day', () => {
    // When the validation weeks' P50 errors tie (all 0), the race keeps the candidate order; with
    // combo, ETS and Theta first, Theta's drift and the seasonal naive's empty last week took the
    // means towards 0: −13.7 % of the demand here, and 57 of the 320 weeks forecast under a fifth
    // of the product's rate. Now −3.1 % and 2 such weeks.
    const rand = seededRandom(9);
    let error = 0;
    let actual = 0;
    let nearZero = 0;
    for (let s = 0; s < 80; s++) {
      const rate = 0.03 + 0.4 * rand();
      const y = sparse(
        rand,
        365,
        rate,
        rand() < 0.5,
        1 + Math.floor(4 * rand()),
        rand() < 0.3 ? 0.5 + rand() : 1,
      );
      for (let o = 1; o <= 4; o++) {
        const cut = y.length - 7 * o;
        const f = forecastAuto(y.subarray(0, cut), { horizon: 7 });
        expect(f.demandClass === 'intermittent' || f.demandClass === 'lumpy').toBe(true);
        let total = 0;
        for (let k = 0; k < 7; k++) {
          total += f.mean![k];
          error += f.mean![k] - y[cut + k];
          actual += y[cut + k];
        }
        // A week's expected total under a fifth of the product's rate × 7 is a forecast of
        // nothing for a product that still sells.
        if (total < 0.2 * 7 * rate) nearZero++;
      }
    }
    expect(Math.abs(error / actual)).toBeLessThan(0.06);
    expect(nearZero).toBeLessThan(6);
  });
});
