import { samplePoisson, seededRandom } from '@retail-forecast/util';
import { describe, expect, it } from 'vitest';
import { forecastMany } from '../src/runtime/index';
import {
  backtest,
  blendedProfile,
  catalogueWeekdayPrior,
  forecastAuto,
  PRIOR_MAX_WEEKS,
  PRIOR_MIN_PRODUCTS,
  withWeekdayPriors,
  type SeriesForecast,
  type SeriesInput,
  type WeekdayPrior,
} from '../src/index';

/** A store's week by key 0..6 (averaging 1): Saturday (key 5) high, the start of the week low. */
const WEEK = [0.7, 0.8, 0.85, 0.9, 1.05, 1.6, 1.1];
/** The opposite week (an office supplier's: weekdays high, the weekend low), averaging 1. */
const OFFICE = [1.15, 1.15, 1.15, 1.15, 1.1, 0.65, 0.65];

/** Key of day t of a series of n days that ends with the others (end-aligned, as a run's). */
const endKey = (n: number, t: number) => (((t - n) % 7) + 7) % 7;

/** Gamma(k, 1/k) noise (mean 1, CV 1/√k) from k exponentials: k = 6 gives CV 0.41. */
function gammaNoise(rand: () => number, k = 6): number {
  let s = 0;
  for (let i = 0; i < k; i++) s -= Math.log(1 - rand());
  return s / k;
}

interface Product {
  id: string;
  y: Float64Array;
  /** Expected units of the 7 days after the series' end. */
  truth: number[];
  young: boolean;
  category: string;
}

/**
 * A catalogue whose products end on the same day: each with its own level (1–60 a day, log
 * uniform), its week = `week` with each weekday moved by up to ±10 %, overdispersed Poisson days;
 * `youngShare` of them 14–182 days old, the others 400.
 */
function catalogue(
  count: number,
  seed: number,
  opts: { week?: (i: number, young: boolean) => number[]; youngShare?: number } = {},
): Product[] {
  const rand = seededRandom(seed);
  const out: Product[] = [];
  for (let i = 0; i < count; i++) {
    const young = rand() < (opts.youngShare ?? 0.5);
    const base = opts.week?.(i, young) ?? WEEK;
    const raw = base.map((b) => b * (1 + 0.1 * (2 * rand() - 1)));
    const m = raw.reduce((a, b) => a + b, 0) / 7;
    const week = raw.map((v) => v / m);
    const level = Math.exp(rand() * Math.log(60));
    const n = young ? 14 + Math.floor(rand() * 169) : 400;
    const y = Float64Array.from({ length: n }, (_, t) =>
      samplePoisson(rand, level * week[endKey(n, t)] * gammaNoise(rand)),
    );
    const truth = Array.from({ length: 7 }, (_, k) => level * week[endKey(n, n + k)]);
    out.push({ id: `P${i}`, y, truth, young, category: base === OFFICE ? 'office' : 'store' });
  }
  return out;
}

const meanOf = (f: SeriesForecast) => Array.from(f.mean ?? f.p50);
const sum = (v: number[]) => v.reduce((a, b) => a + b, 0);
/** Each day's absolute error of the mean, over the week's expected units. */
const dayError = (f: SeriesForecast, truth: number[]) =>
  sum(meanOf(f).map((m, k) => Math.abs(m - truth[k]))) / sum(truth);
/** A week whose highest day is within 15 % of its lowest. */
const flat = (f: SeriesForecast) => {
  const m = meanOf(f);
  return Math.max(...m) < 1.15 * Math.min(...m);
};

describe('catalogueWeekdayPrior', () => {
  /** `n` days of exactly `week` × `level`, end-aligned. */
  const exact = (n: number, level: number, week = WEEK) =>
    Float64Array.from({ length: n }, (_, t) => level * week[endKey(n, t)]);

  it(`reads the shared week of ${PRIOR_MIN_PRODUCTS} products, by key, whatever their lengths`, () => {
    const ys = [56, 57, 60, 63, 100].map((n, i) => exact(n, 10 * (i + 1)));
    const p = catalogueWeekdayPrior(ys, (i, t) => endKey(ys[i].length, t))!;
    for (let d = 0; d < 7; d++) expect(p.share[d]).toBeCloseTo(WEEK[d], 12);
    // Every product has the same week: nothing between them beyond noise.
    expect(p.between).toBeCloseTo(0, 12);
    // One product fewer reads nothing.
    expect(catalogueWeekdayPrior(ys.slice(1), (i, t) => endKey(ys[i + 1].length, t))).toBe(
      undefined,
    );
  });

  it('reads no week from products that have none (Poisson days at 3–30 a day)', () => {
    let read = 0;
    for (let seed = 1; seed <= 10; seed++) {
      const rand = seededRandom(seed);
      const ys = Array.from({ length: 40 }, () => {
        const rate = 3 + 27 * rand();
        return Float64Array.from({ length: 120 }, () => samplePoisson(rand, rate));
      });
      if (catalogueWeekdayPrior(ys, (_, t) => t % 7)) read++;
    }
    expect(read).toBe(0);
  });

  it('reads no week from sporadic products, nor from fewer than 4 whole weeks', () => {
    const rand = seededRandom(3);
    const sporadic = Array.from({ length: 20 }, () =>
      Float64Array.from({ length: 200 }, (_, t) => samplePoisson(rand, 0.3 * WEEK[t % 7])),
    );
    expect(catalogueWeekdayPrior(sporadic, (_, t) => t % 7)).toBeUndefined();
    const short = Array.from({ length: 20 }, (_, i) => exact(27, 5 + i));
    expect(catalogueWeekdayPrior(short, (i, t) => endKey(27, t))).toBeUndefined();
  });
});

describe('blendedProfile', () => {
  const prior: WeekdayPrior = { share: WEEK, between: 0.01 };

  it("is the catalogue's week where the product has no whole week", () => {
    const b = blendedProfile(Float64Array.from([3, 4, 2, 5, 6]), 0, 5, prior)!;
    expect(Array.from(b.share)).toEqual(WEEK);
    expect(b.ownWeight).toBe(0);
  });

  it('weighs its own weeks by their noise: Poisson under 4 weeks, their own variance from 4', () => {
    const own = [0.8, 0.8, 0.9, 0.9, 1.1, 1.5, 1.0];
    // Three exact weeks at 200 a day: the noise is Poisson's, π/2 × (1/200) / 3.
    const three = Float64Array.from({ length: 21 }, (_, t) => 200 * own[t % 7]);
    const b3 = blendedProfile(three, 0, 21, prior)!;
    expect(b3.ownWeight).toBeCloseTo(0.01 / (0.01 + (Math.PI / 2) * (1 / 200 / 3)), 9);
    for (let d = 0; d < 7; d++)
      expect(b3.share[d]).toBeCloseTo(WEEK[d] + b3.ownWeight * (own[d] - WEEK[d]), 9);
    // Twenty exact weeks: no variance at all, its own week.
    const twenty = Float64Array.from({ length: 140 }, (_, t) => 200 * own[t % 7]);
    const b20 = blendedProfile(twenty, 0, 140, prior)!;
    expect(b20.ownWeight).toBe(1);
    for (let d = 0; d < 7; d++) expect(b20.share[d]).toBeCloseTo(own[d], 12);
  });

  it('is undefined where its own weeks disagree with the catalogue beyond noise and τ²', () => {
    const y = Float64Array.from({ length: 56 }, (_, t) => 100 * OFFICE[t % 7]);
    expect(blendedProfile(y, 0, 56, prior)).toBeUndefined();
    // Two weeks of the catalogue's own week agree.
    const same = Float64Array.from({ length: 14 }, (_, t) => 100 * WEEK[t % 7]);
    expect(blendedProfile(same, 0, 14, prior)).toBeDefined();
  });
});

describe('withWeekdayPriors', () => {
  it("gives each product its category's week where the category reads one, else the catalogue's", () => {
    const products = catalogue(40, 5, {
      week: (i) => (i < 16 ? OFFICE : WEEK),
      youngShare: 0,
    });
    // Three products of a third category: too few for a week of their own.
    const inputs: SeriesInput[] = products.map((p, i) => ({
      id: p.id,
      y: p.y,
      context: { category: i < 16 ? 'office' : i < 37 ? 'store' : 'garden' },
    }));
    const out = withWeekdayPriors(inputs);
    const office = out[0].context?.weekdayPrior;
    const store = out[20].context?.weekdayPrior;
    const garden = out[38].context?.weekdayPrior;
    expect(office?.category).toBe('office');
    expect(store?.category).toBe('store');
    expect(garden?.category).toBeUndefined();
    // Phase d of a 400-day series is key endKey(400, d); each product's week is its category's
    // moved by up to ±10 % a day.
    for (let d = 0; d < 7; d++) {
      expect(Math.abs((office?.share[d] ?? 0) - OFFICE[endKey(400, d)])).toBeLessThan(0.1);
      expect(Math.abs((store?.share[d] ?? 0) - WEEK[endKey(400, d)])).toBeLessThan(0.1);
    }
    // The catalogue's mixes both: Saturday between the two.
    const saturday = (400 + 5) % 7;
    expect(garden?.share[saturday]).toBeGreaterThan(OFFICE[5] + 0.1);
    expect(garden?.share[saturday]).toBeLessThan(WEEK[5] - 0.1);
    expect(out.map((s) => s.context?.category)).toEqual(inputs.map((s) => s.context?.category));
  });

  it("gives a category too small for its own week none where its products disagree with the catalogue's", () => {
    // 30 store products, 3 of a garden category with the store's week and 3 of an office
    // category with the opposite week: both too few for a week of their own.
    const products = catalogue(36, 19, {
      week: (i) => (i >= 33 ? OFFICE : WEEK),
      youngShare: 0,
    });
    const inputs: SeriesInput[] = products.map((p, i) => ({
      id: p.id,
      y: p.y,
      context: { category: i < 30 ? 'store' : i < 33 ? 'garden' : 'office' },
    }));
    const out = withWeekdayPriors(inputs);
    expect(out[0].context?.weekdayPrior?.category).toBe('store');
    expect(out[31].context?.weekdayPrior).toBeDefined();
    expect(out[31].context?.weekdayPrior?.category).toBeUndefined();
    for (const i of [33, 34, 35]) expect(out[i].context?.weekdayPrior).toBeUndefined();
  });

  it('places weekdays by the calendar where every series has a start date', () => {
    // Series starting on different days and ending on different days: only the calendar aligns
    // them. 2026-01-05 is a Monday, day number 20458; key = day number mod 7.
    const rand = seededRandom(8);
    const inputs: SeriesInput[] = Array.from({ length: 12 }, (_, i) => {
      const first = 20458 + i;
      const n = 150 + 3 * i;
      return {
        id: `C${i}`,
        y: Float64Array.from({ length: n }, (_, t) =>
          samplePoisson(rand, 40 * WEEK[(first + t) % 7]),
        ),
        context: { startDate: new Date(first * 86_400_000).toISOString().slice(0, 10) },
      };
    });
    const out = withWeekdayPriors(inputs);
    for (const [i, s] of out.entries()) {
      const share = s.context?.weekdayPrior?.share ?? [];
      for (let d = 0; d < 7; d++) expect(share[d]).toBeCloseTo(WEEK[(20458 + i + d) % 7], 1);
    }
    // Without the dates they are read as ending on one day, which misplaces them: no shared week.
    const undated: SeriesInput[] = out.map((s) => ({ id: s.id, y: s.y }));
    expect(withWeekdayPriors(undated)[0].context).toBeUndefined();
  });

  it('skips series with invalid values and returns the inputs as they were where nothing is read', () => {
    const products = catalogue(12, 9, { youngShare: 0 });
    const inputs: SeriesInput[] = products.map((p) => ({ id: p.id, y: p.y }));
    inputs.push({ id: 'bad', y: Float64Array.from([1, -2, 3, Infinity, ...products[0].y]) });
    const out = withWeekdayPriors(inputs);
    expect(out[0].context?.weekdayPrior).toBeDefined();
    expect(out[12].context?.weekdayPrior).toBeDefined();
    // An Infinity alone (no negative beside it) must not reach the profile either.
    const infinite = Float64Array.from(products[0].y);
    infinite[100] = Infinity;
    const clean = withWeekdayPriors(inputs.slice(0, 12));
    const withInfinite = withWeekdayPriors([
      ...inputs.slice(0, 12),
      { id: 'infinite', y: infinite },
    ]);
    expect(withInfinite[0].context?.weekdayPrior).toEqual(clean[0].context?.weekdayPrior);
    const none = inputs.slice(0, PRIOR_MIN_PRODUCTS - 1);
    expect(withWeekdayPriors(none)).toBe(none);
  });
});

describe('forecastAuto with a catalogue weekday profile', () => {
  const prior: WeekdayPrior = { share: WEEK, between: 0.005 };
  /** 28 days of Poisson sales at 5 a day, no weekly pattern (seed 21): its models leave the week
   * flat (4.34–4.71 a day), `closed`: none on phase 6. */
  const young = (closed = false) => {
    const rand = seededRandom(21);
    return Float64Array.from({ length: 28 }, (_, t) =>
      closed && t % 7 === 6 ? 0 : samplePoisson(rand, 5),
    );
  };

  it('spreads a young flat week by the profile, its expected total kept', () => {
    const y = young();
    const own = forecastAuto(y, { catalogueProfile: false }, { weekdayPrior: prior });
    expect(flat(own)).toBe(true);
    const f = forecastAuto(y, {}, { weekdayPrior: prior });
    expect(f.weekdayProfile?.category).toBeUndefined();
    expect(f.weekdayProfile?.ownWeight).toBeGreaterThanOrEqual(0);
    expect(f.weekdayProfile?.ownWeight).toBeLessThan(0.5);
    expect(sum(meanOf(f))).toBeCloseTo(sum(meanOf(own)), 9);
    // Horizon day k is phase (28 + k) mod 7; Saturday (phase 5) is day k = 5.
    const m = meanOf(f);
    expect(m[5] / m[0]).toBeGreaterThan(1.6);
    for (let k = 0; k < 7; k++) {
      expect(f.p10[k]).toBeLessThanOrEqual(f.p50[k]);
      expect(f.p50[k]).toBeLessThanOrEqual(f.p90[k]);
    }
    expect(f.p90[5]).toBeGreaterThan(own.p90[5]);
    expect(own.weekdayProfile).toBeUndefined();
  });

  it(`leaves alone a product of ${PRIOR_MAX_WEEKS} weeks or more, a week the models found, a constant product and a horizon with a known event; closes a closed day`, () => {
    const rand = seededRandom(4);
    const old = Float64Array.from({ length: 7 * PRIOR_MAX_WEEKS }, () => samplePoisson(rand, 5));
    const f = forecastAuto(old, {}, { weekdayPrior: prior });
    expect(f.weekdayProfile).toBeUndefined();
    expect(f).toEqual(forecastAuto(old, { catalogueProfile: false }));

    // A young product whose models already show its week keeps their shape.
    const rand2 = seededRandom(6);
    const patterned = Float64Array.from({ length: 70 }, (_, t) =>
      samplePoisson(rand2, 50 * WEEK[t % 7]),
    );
    const shaped = forecastAuto(patterned, { catalogueProfile: false });
    expect(flat(shaped)).toBe(false);
    expect(forecastAuto(patterned, {}, { weekdayPrior: prior })).toEqual(shaped);

    // Five weeks of exactly 5 units every day: a flat week that is the product's, not noise.
    const constant = new Float64Array(35).fill(5);
    expect(forecastAuto(constant, {}, { weekdayPrior: prior })).toEqual(
      forecastAuto(constant, { catalogueProfile: false }),
    );

    // An event in the horizon that the answer's calendar candidate reads keeps the models' week.
    const rand3 = seededRandom(1);
    const dated = Float64Array.from({ length: 120 }, () => samplePoisson(rand3, 5));
    const column = new Float64Array(127);
    for (const t of [20, 50, 80, 110, 123]) column[t] = 1;
    const regressors = { names: ['event:sale'], columns: [column] };
    const options = { candidates: ['dhr'] };
    const dhr = forecastAuto(dated, options, { weekdayPrior: prior, regressors });
    expect(dhr.model).toMatch(/^statistical:dhr\(/);
    expect(dhr.weekdayProfile).toBeUndefined();
    expect(dhr).toEqual(
      forecastAuto(dated, { ...options, catalogueProfile: false }, { regressors }),
    );
    // Too young for the calendar candidate: no model of the answer reads the event, and the week
    // is spread as without it.
    const y = young();
    const event = new Float64Array(35);
    event[31] = 1;
    const withEvent = forecastAuto(
      y,
      {},
      { weekdayPrior: prior, regressors: { names: ['event:sale'], columns: [event] } },
    );
    expect(withEvent.weekdayProfile).toBeDefined();
    expect(meanOf(withEvent)).toEqual(meanOf(forecastAuto(y, {}, { weekdayPrior: prior })));

    // A catalogue closed on Sundays (phase 6) and a product that never sold on one: its models
    // spread the week over 7 days, the profile moves Sunday's demand to the open days.
    const closed = { share: [...WEEK.slice(0, 6).map((v) => (v * 7) / 5.9), 0], between: 0 };
    const modelsWeek = forecastAuto(young(true), { catalogueProfile: false });
    expect(meanOf(modelsWeek)[6]).toBeGreaterThan(0);
    const f2 = forecastAuto(young(true), {}, { weekdayPrior: closed });
    expect(f2.weekdayProfile).toBeDefined();
    expect([meanOf(f2)[6], f2.p50[6], f2.p90[6]]).toEqual([0, 0, 0]);
    expect(sum(meanOf(f2))).toBeCloseTo(sum(meanOf(modelsWeek)), 9);
  });
});

describe("the catalogue weekday profile's guards (trial 24)", () => {
  it('leaves a young product that sells on a weekday its catalogue never sells on its own week', () => {
    // The catalogue is closed on phase 6; this product sells about 30 a day on every day.
    const closed: WeekdayPrior = {
      share: [...WEEK.slice(0, 6).map((v) => (v * 7) / 5.9), 0],
      between: 0,
    };
    // Thirteen days: one whole week, too few for the test of disagreement.
    const rand = seededRandom(27);
    const y = Float64Array.from({ length: 13 }, () => samplePoisson(rand, 30));
    expect(blendedProfile(y, 0, 13, closed)).toBeUndefined();
    const f = forecastAuto(y, {}, { weekdayPrior: closed });
    expect(f).toEqual(forecastAuto(y, { catalogueProfile: false }));
    // Horizon day 0 is phase 13 mod 7 = 6.
    expect(meanOf(f)[0]).toBeGreaterThan(20);
  });

  it("weighs a few weeks of an overdispersed product by the catalogue's dispersion, not Poisson's", () => {
    // One week at about 50 a day whose days swing 10–86: Poisson noise would call it its week.
    const week = [45, 10, 39, 79, 14, 71, 86];
    const y = Float64Array.from(week);
    const poisson = blendedProfile(y, 0, 7, { share: WEEK, between: 0.05 })!;
    // Gamma(6) noise on Poisson days: a day's variance μ + μ²/6.
    const noisy = blendedProfile(y, 0, 7, { share: WEEK, between: 0.05, dispersion: 1 / 6 })!;
    expect(poisson.ownWeight).toBeGreaterThan(0.6);
    expect(noisy.ownWeight).toBeLessThan(0.2);
    // The dispersion read from products whose days carry that noise.
    const products = catalogue(40, 3, { youngShare: 0 });
    const read = catalogueWeekdayPrior(
      products.map((p) => p.y),
      (_, t) => endKey(400, t),
    )!;
    expect(read.dispersion).toBeGreaterThan(0.1);
    expect(read.dispersion).toBeLessThan(0.25);
  });

  it('leaves a product that sells on a weekday far more, or far less, than the blend allows its week', () => {
    // The catalogue's Sundays (phase 6) sell little: a few of its products sell on them, which
    // makes τ² large, so the test of the whole week lets through two weeks of a product that
    // sells every Sunday; the weekday's own test does not.
    const quiet: WeekdayPrior = {
      share: [...WEEK.slice(0, 6).map((v) => (v * 6.95) / 5.9), 0.05],
      between: 0.05,
      dispersion: 1 / 6,
    };
    const rand = seededRandom(35);
    const sundays = Float64Array.from({ length: 14 }, () => samplePoisson(rand, 20));
    expect(blendedProfile(sundays, 0, 14, quiet)).toBeUndefined();
    // The reverse: a product that never sold on its Saturdays (phase 5), the catalogue's peak.
    const noSaturday = Float64Array.from({ length: 21 }, (_, t) =>
      t % 7 === 5 ? 0 : samplePoisson(rand, 10),
    );
    expect(blendedProfile(noSaturday, 0, 21, { share: WEEK, between: 0.01 })).toBeUndefined();
    // A product with the catalogue's week is blended.
    const alike = Float64Array.from({ length: 35 }, (_, t) =>
      samplePoisson(rand, 10 * WEEK[t % 7]),
    );
    expect(blendedProfile(alike, 0, 35, { share: WEEK, between: 0.01 })).toBeDefined();
  });

  it('keeps each week of a longer horizon at its own total (a trend the models forecast stays)', () => {
    const rand = seededRandom(5);
    const y = Float64Array.from({ length: 35 }, (_, t) => samplePoisson(rand, 4 + 0.4 * t));
    const own = forecastAuto(y, { horizon: 14, catalogueProfile: false });
    const f = forecastAuto(y, { horizon: 14 }, { weekdayPrior: { share: WEEK, between: 0.005 } });
    expect(f.weekdayProfile).toBeDefined();
    const week = (g: SeriesForecast, w: number) => sum(meanOf(g).slice(7 * w, 7 * w + 7));
    expect(week(own, 1)).toBeGreaterThan(week(own, 0));
    for (const w of [0, 1]) expect(week(f, w)).toBeCloseTo(week(own, w), 9);
  });
});

describe('a catalogue of young and established products (forecastMany)', () => {
  it("cuts young products' daily error and leaves no flat week, week totals kept", async () => {
    const products = catalogue(160, 7);
    const inputs = products.map((p) => ({ id: p.id, y: p.y }));
    const own = await forecastMany(inputs, { catalogueProfile: false });
    const shared = await forecastMany(inputs);
    let errOwn = 0;
    let errShared = 0;
    let flatOwn = 0;
    let flatShared = 0;
    let reshaped = 0;
    const young = products.filter((p) => p.young);
    for (const p of products) {
      const a = own.get(p.id) as SeriesForecast;
      const b = shared.get(p.id) as SeriesForecast;
      expect(sum(meanOf(b)), p.id).toBeCloseTo(sum(meanOf(a)), 6);
      if (!p.young) {
        expect(b, p.id).toEqual(a);
        continue;
      }
      errOwn += dayError(a, p.truth) / young.length;
      errShared += dayError(b, p.truth) / young.length;
      if (flat(a)) flatOwn++;
      if (flat(b)) flatShared++;
      if (b.weekdayProfile) reshaped++;
    }
    // Measured: 76 young products, 12 flat weeks → 0, 22 reshaped, error 0.169 → 0.138.
    expect(young.length).toBeGreaterThan(60);
    expect(flatOwn).toBeGreaterThanOrEqual(10);
    expect(flatShared).toBe(0);
    expect(reshaped).toBeGreaterThanOrEqual(flatOwn);
    expect(errShared).toBeLessThan(0.85 * errOwn);
  });

  it("does not harm young products of a category whose week is unlike the others'", async () => {
    // A fifth of the catalogue, all young, sells on weekdays; with their category they take
    // their own category's week, not the store's.
    const products = catalogue(300, 11, {
      youngShare: 0.2,
      week: (_, young) => (young ? OFFICE : WEEK),
    });
    const inputs = products.map((p) => ({ id: p.id, y: p.y, context: { category: p.category } }));
    const own = await forecastMany(inputs, { catalogueProfile: false });
    const shared = await forecastMany(inputs);
    const young = products.filter((p) => p.young);
    const err = (m: Map<string, SeriesForecast>) =>
      sum(young.map((p) => dayError(m.get(p.id) as SeriesForecast, p.truth))) / young.length;
    expect(err(shared)).toBeLessThan(err(own));
    const categories = young.flatMap((p) => shared.get(p.id)?.weekdayProfile?.category ?? []);
    expect(categories.length).toBeGreaterThan(0);
    expect(new Set(categories)).toEqual(new Set(['office']));
  });

  it('gives the same answers on worker threads, and keeps the reshape under the class rule', async () => {
    const products = catalogue(210, 13);
    const inputs = products.map((p) => ({ id: p.id, y: p.y }));
    const inProcess = await forecastMany(inputs);
    const threaded = await forecastMany(inputs, { workers: 2 });
    expect([...threaded.keys()]).toEqual([...inProcess.keys()]);
    for (const [id, f] of inProcess) expect(threaded.get(id), id).toEqual(f);
    expect([...inProcess.values()].filter((f) => f.weekdayProfile).length).toBeGreaterThan(10);

    // `class` answers each series with one of its rules' alternatives: those are reshaped too.
    const byClass = await forecastMany(inputs.slice(0, 120), { combination: 'class' });
    const reshaped = [...byClass.values()].filter((f) => f.weekdayProfile);
    expect(reshaped.length).toBeGreaterThan(5);
    for (const f of reshaped) expect(flat(f)).toBe(false);
  }, 60_000);

  it("backtests auto with each origin's catalogue profile", () => {
    const products = catalogue(60, 17);
    const series = products.map((p) => ({ id: p.id, y: p.y }));
    const run = (catalogueProfile: boolean) =>
      backtest(series, {
        horizon: 7,
        origins: 4,
        models: ['auto'],
        auto: { catalogueProfile },
      }).byModel[0].meanMase;
    expect(run(true)).toBeLessThan(run(false));
  });
});
