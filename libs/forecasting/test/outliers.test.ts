import { describe, expect, it } from 'vitest';
import { cleanOutliers, outlierUplift, resistantFit } from '../src/outliers';
import { forecastAuto, InvalidOptionError, OUTLIER_RECENT_DAYS } from '../src/index';
import { forecastMany, IN_PROCESS_THRESHOLD } from '../src/runtime';
import { lcg, seasonal } from './series';

const total = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0);

/** Poisson draws by inversion (small means only). */
function poisson(mean: number, r: () => number): number {
  let k = 0;
  let p = Math.exp(-mean);
  let c = p;
  const u = r();
  while (u > c && k < 1000) {
    k++;
    p *= mean / k;
    c += p;
  }
  return k;
}

/** The resistant fit as its definition reads, with a sort per window: the test's oracle. */
function naiveFit(y: Float64Array, period: number): Float64Array {
  const n = y.length;
  const med = (v: number[]) => {
    const a = [...v].sort((x, z) => x - z);
    const m = a.length >> 1;
    return a.length % 2 ? a[m] : (a[m - 1] + a[m]) / 2;
  };
  const running = (v: Float64Array) =>
    Float64Array.from(v, (_, t) => {
      const w = Math.min(n, 2 * period + 1);
      const from = Math.max(0, Math.min(n - w, t - period));
      return med(Array.from(v.subarray(from, from + w)));
    });
  const phase = (v: Float64Array) =>
    Float64Array.from(v, (_, t) => {
      const same: number[] = [];
      for (let j = t % period; j < n; j += period) same.push(v[j]);
      const i = Math.floor(t / period);
      const w = Math.min(same.length, 11);
      const from = Math.max(0, Math.min(same.length - w, i - (w >> 1)));
      return med(same.slice(from, from + w));
    });
  const level0 = running(y);
  const season0 = phase(Float64Array.from(y, (v, t) => v - level0[t]));
  const level = running(Float64Array.from(y, (v, t) => v - season0[t]));
  const season = phase(Float64Array.from(y, (v, t) => v - level[t]));
  return Float64Array.from(level, (l, t) => l + season[t]);
}

describe('resistantFit', () => {
  it('equals the sort-per-window definition, at the ends and in the middle', () => {
    for (const n of [29, 30, 64, 401]) {
      const r = lcg(n);
      const y = Float64Array.from({ length: n }, (_, t) => 100 + 40 * ((t % 7) - 3) + 30 * r());
      const fast = resistantFit(y, 7);
      const slow = naiveFit(y, 7);
      for (let t = 0; t < n; t++) expect(fast[t]).toBeCloseTo(slow[t], 9);
    }
  });

  it('is not moved by one day however far out', () => {
    const y = seasonal(200, 3, 100);
    const spiked = Float64Array.from(y);
    spiked[120] = 1e6;
    const a = resistantFit(y, 7);
    const b = resistantFit(spiked, 7);
    for (let t = 0; t < 200; t++) expect(Math.abs(b[t] - a[t])).toBeLessThan(15);
  });
});

describe('cleanOutliers', () => {
  const base = seasonal(400, 5, 200);

  it('finds a planted holiday dip, a closure and a bulk order, and replaces them near the pattern', () => {
    const y = Float64Array.from(base);
    y[100] = Math.round(base[100] * 0.3); // holiday dip
    y[250] = 0; // closed
    y[300] = base[300] * 5; // one bulk order
    const { y: clean, index } = cleanOutliers(y, 7, true);
    expect(index).toEqual([100, 250, 300]);
    // Within the ±10 % noise of the weekly profile the series is drawn from (seasonal()).
    const profile = [0.7, 0.8, 1, 1, 1.1, 1.5, 0.9];
    for (const t of index)
      expect(Math.abs(clean[t] / (200 * profile[t % 7]) - 1)).toBeLessThan(0.1);
    // Every other day is untouched, and the input is not modified.
    for (let t = 0; t < 400; t++) if (!index.includes(t)) expect(clean[t]).toBe(y[t]);
    expect(y[250]).toBe(0);
  });

  it('leaves an ordinary smooth series alone (no false alarm at the 3 × IQR fence)', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const { y, index } = cleanOutliers(seasonal(400, seed, 200), 7, true);
      expect(index).toEqual([]);
      expect(y).toBeInstanceOf(Float64Array);
    }
  });

  it('reads low counts on the Anscombe scale: Poisson noise at a mean of 1.5 is not an outlier', () => {
    let flagged = 0;
    let days = 0;
    for (let seed = 1; seed <= 30; seed++) {
      const r = lcg(seed);
      const y = Float64Array.from({ length: 120 }, () => poisson(1.5, r));
      flagged += cleanOutliers(y, 7, true).index.length;
      days += y.length;
    }
    // A Poisson(1.5) day beyond the fence (about 11 units) has probability ~1e-6.
    expect(flagged).toBe(0);
    expect(days).toBe(3600);
    // The same days read as plain numbers find "outliers" in the skew: the fence is on the
    // counts' own scale for a reason.
    let raw = 0;
    for (let seed = 1; seed <= 30; seed++) {
      const r = lcg(seed);
      raw += cleanOutliers(
        Float64Array.from({ length: 120 }, () => poisson(1.5, r)),
        7,
        false,
      ).index.length;
    }
    expect(raw).toBeGreaterThan(0);
  });

  it('cleans around missing days and leaves them missing', () => {
    const y = Float64Array.from(base);
    y[300] = base[300] * 5;
    y[299] = NaN; // a rejected row the day before the bulk order
    y[10] = NaN;
    const { y: clean, index } = cleanOutliers(y, 7, true);
    expect(index).toEqual([300]);
    expect(Number.isNaN(clean[299])).toBe(true);
    expect(Number.isNaN(clean[10])).toBe(true);
    expect(Math.abs(clean[300] / base[300] - 1)).toBeLessThan(0.2);
    // Too few known days to judge: nothing replaced.
    const sparse = new Float64Array(100).fill(NaN);
    sparse.set(base.subarray(0, 28), 72);
    sparse[80] = 5000;
    expect(cleanOutliers(sparse).index).toEqual([]);
  });

  it('refuses a period that is not a whole number of days', () => {
    for (const p of [0, -1, 2.5, Number.NaN]) {
      expect(() => cleanOutliers(base, p)).toThrow(InvalidOptionError);
    }
  });

  it('replaces nothing with four seasons or fewer, or without spread', () => {
    const y = Float64Array.from(base);
    y[300] = base[300] * 5;
    const short = y.subarray(0, 28);
    expect(cleanOutliers(short).index).toEqual([]);
    const flat = new Float64Array(100).fill(7);
    flat[50] = 70;
    // Every remainder but one is 0: the IQR is 0, so nothing can be called far out.
    expect(cleanOutliers(flat).index).toEqual([]);
  });

  it('does not read ordinary days between two week-long promotions as dips, and finds the promotions', () => {
    for (const [lift, seed] of [
      [2, 5],
      [3, 6],
      [4, 7],
    ]) {
      const base2 = seasonal(400, seed, 200);
      const y = Float64Array.from(base2);
      // Two 7-day promotions three days apart: 14 of the 17 days around the ordinary days
      // between them, so the 15-day running median sits at promotion level there.
      const promo = (t: number) => (t >= 200 && t < 207) || (t >= 210 && t < 217);
      for (let t = 0; t < 400; t++) if (promo(t)) y[t] = base2[t] * lift;
      const { index } = cleanOutliers(y, 7, true);
      expect(index.filter((t) => !promo(t))).toEqual([]);
      // The second pass, without the promotion days found in the first, finds most of the rest.
      expect(index.length).toBeGreaterThanOrEqual(12);
    }
  });

  it('a level shift older than a week is the new level, not a run of outliers', () => {
    const y = Float64Array.from(base);
    for (let t = 300; t < 400; t++) y[t] = base[t] * 1.6;
    const { index } = cleanOutliers(y, 7, true);
    expect(index.every((t) => t < 300 + 8)).toBe(true);
  });
});

describe('outlierUplift', () => {
  it("is the replaced spikes' excess over the cleaned values, per unit of cleaned demand", () => {
    const y = seasonal(200, 3, 100);
    y[150] = 0;
    y[170] = 900;
    y[20] = Number.NaN;
    const cleaned = cleanOutliers(y, 7, true);
    expect(cleaned.index).toEqual([150, 170]);
    let level = 0;
    for (let t = 0; t < 200; t++) if (t !== 20) level += cleaned.y[t];
    // The dip at 150 is left out: it may be a stock-out.
    expect(outlierUplift(y, cleaned)).toBeCloseTo((900 - cleaned.y[170]) / level, 12);
    expect(outlierUplift(y, { y, index: [] })).toBe(0);
    expect(outlierUplift(y, { ...cleaned, index: [150] })).toBe(0);
  });
});

describe('forecastAuto on smooth demand with one-off outliers', () => {
  /** About 100 a day with a weekly pattern (a quiet Sunday at 4), a year long. */
  const weekly = (seed: number, oneOff: (t: number, v: number) => number) => {
    const r = lcg(seed);
    const profile = [0.04, 0.9, 1, 1, 1.1, 1.4, 0.8];
    const y = Float64Array.from({ length: 364 }, (_, t) =>
      Math.round(oneOff(t, 100 * profile[t % 7] * (0.95 + 0.1 * r()))),
    );
    return { y, week: profile.reduce((s, v) => s + 100 * v, 0) };
  };

  it("keeps bulk orders in the expected totals: the mean takes the replaced spikes' share", () => {
    // A ×6 bulk order one day in 20 (never on Sunday): a week's expected demand is
    // (1 + 5/20 · 6/7 …) above the ordinary week's; P50 follows the ordinary days.
    const { y, week } = weekly(5, (t, v) => (t % 20 === 9 && t % 7 !== 0 ? 6 * v : v));
    let bulk = 0;
    for (let t = 0; t < y.length; t++) if (t % 20 === 9 && t % 7 !== 0) bulk += (5 * y[t]) / 6;
    const expected = week * (1 + bulk / (total(y) - bulk));
    const f = forecastAuto(y);
    expect(f.outliers!.count).toBeGreaterThan(10);
    expect(Math.abs(total(f.mean!) / expected - 1)).toBeLessThan(0.04);
    expect(Math.abs(total(f.p50) / week - 1)).toBeLessThan(0.04);
    // Raised in proportion to each day, so the quiet Sunday stays quiet.
    const sunday = f.mean!.findIndex((_, k) => (364 + k) % 7 === 0);
    expect(f.mean![sunday]).toBeLessThan(10);
  });

  it('does not take a stock-out or closure back from the expected demand', () => {
    // 0 sold one day in 15: the cleaned models forecast the ordinary week, and so does the mean
    // (a dip in sales may be demand that was not seen: planning for it would repeat it).
    const { y, week } = weekly(6, (t, v) => (t % 15 === 3 && t % 7 !== 0 ? 0 : v));
    const f = forecastAuto(y);
    expect(f.outliers!.count).toBeGreaterThan(15);
    expect(Math.abs(total(f.mean ?? f.p50) / week - 1)).toBeLessThan(0.04);
  });

  it('is not dragged down by a closure in the last week', () => {
    const y = seasonal(400, 7, 200);
    const truth = forecastAuto(y);
    const closed = Float64Array.from(y);
    closed.fill(0, 395, 398);
    const cleaned = forecastAuto(closed);
    const asIs = forecastAuto(closed, { cleanOutliers: false });
    // The closed days are replaced by the weekly pattern, not by what they would have sold:
    // a few per cent either way.
    expect(Math.abs(total(cleaned.p50) / total(truth.p50) - 1)).toBeLessThan(0.04);
    // Fitted on the closure, the week ahead is forecast lower.
    expect(total(asIs.p50)).toBeLessThan(0.93 * total(truth.p50));
  });

  it('cleans a smooth product made erratic by one bulk order, and keeps its published class', () => {
    const y = seasonal(400, 8, 100);
    const bulk = Float64Array.from(y);
    bulk[200] = 20 * y[200];
    const cleaned = forecastAuto(bulk);
    const asIs = forecastAuto(bulk, { cleanOutliers: false });
    expect(cleaned.demandClass).toBe('erratic');
    expect(cleaned.p50).not.toEqual(asIs.p50);
    // Fitted without the order, the interval is the one of the series without it.
    const plain = forecastAuto(y);
    const width = (f: typeof plain) => total(f.p90) - total(f.p10);
    expect(Math.abs(width(cleaned) / width(plain) - 1)).toBeLessThan(0.15);
    expect(width(asIs)).toBeGreaterThan(1.15 * width(plain));
  });

  it('leaves intermittent demand as it was (the spikes are the demand)', () => {
    const r = lcg(4);
    const y = Float64Array.from({ length: 300 }, () => (r() < 0.2 ? 1 + Math.floor(r() * 5) : 0));
    y[250] = 40;
    expect(forecastAuto(y)).toEqual(forecastAuto(y, { cleanOutliers: false }));
  });

  it('forecastMany passes cleanOutliers and countMedian to its worker threads', async () => {
    const items = Array.from({ length: IN_PROCESS_THRESHOLD + 1 }, (_, i) => {
      const y = seasonal(200, i + 1, 80);
      y[190] = 0;
      return { id: `s${i}`, y };
    });
    const options = { cleanOutliers: false, countMedian: false, conformal: false } as const;
    const many = await forecastMany(items, { ...options, workers: 2 });
    for (const { id, y } of [items[0], items[IN_PROCESS_THRESHOLD]]) {
      expect(many.get(id)?.p50).toEqual(forecastAuto(y, options).p50);
      expect(many.get(id)?.p50).not.toEqual(forecastAuto(y, { conformal: false }).p50);
    }
  }, 120_000);
});

describe('SeriesForecast.outliers: what the models did not see as it was', () => {
  it('lists a planted closure by position, with the units sold and those fitted instead', () => {
    const closed = seasonal(400, 7, 200);
    closed.fill(0, 395, 398);
    const f = forecastAuto(closed);
    const { index, y: fitted } = cleanOutliers(closed.subarray(0), 7, true);
    expect(f.outliers?.count).toBe(index.length);
    expect(index).toEqual(expect.arrayContaining([395, 396, 397]));
    const recent = f.outliers?.recent ?? [];
    expect(recent.map((d) => d.index)).toEqual(index.slice(-OUTLIER_RECENT_DAYS));
    for (const d of recent) {
      expect(d.value).toBe(closed[d.index]);
      expect(d.replacement).toBe(fitted[d.index]);
    }
    // The closed days were sold as 0 and fitted as their weekday's usual level (about 200 × 0.7–1.5).
    const closure = recent.filter((d) => d.index >= 395 && d.index < 398);
    expect(closure.map((d) => d.value)).toEqual([0, 0, 0]);
    for (const d of closure) expect(d.replacement).toBeGreaterThan(100);
  });

  it('counts positions in the series as given, before the first sale included', () => {
    const y = seasonal(400, 7, 200);
    y.fill(0, 395, 398);
    const late = new Float64Array(30 + y.length);
    late.set(y, 30);
    const a = forecastAuto(y).outliers;
    const b = forecastAuto(late).outliers;
    expect(b?.count).toBe(a?.count);
    expect(b?.recent.map((d) => d.index)).toEqual(a?.recent.map((d) => d.index + 30));
  });

  it('keeps only the most recent days however many were replaced', () => {
    const y = seasonal(400, 9, 100);
    const closures = [60, 100, 140, 180, 220, 260, 300, 340];
    for (const t of closures) y[t] = 0;
    const f = forecastAuto(y);
    expect(f.outliers?.count).toBeGreaterThanOrEqual(closures.length);
    expect(f.outliers?.recent).toHaveLength(OUTLIER_RECENT_DAYS);
    const shown = f.outliers?.recent.map((d) => d.index) ?? [];
    expect(shown).toEqual([...shown].sort((p, q) => p - q));
    expect(shown.at(-1)).toBe(340);
  });

  it('is count 0 for smooth demand the cleaning found nothing in', () => {
    const f = forecastAuto(seasonal(400, 3, 100));
    expect(f.demandClass).toBe('smooth');
    expect(f.outliers).toEqual({ count: 0, recent: [] });
  });

  it('is absent with cleanOutliers false, for sporadic (lumpy) demand and for a short history', () => {
    const closed = seasonal(400, 7, 200);
    closed.fill(0, 395, 398);
    expect(forecastAuto(closed, { cleanOutliers: false })).not.toHaveProperty('outliers');
    const r = lcg(4);
    const sporadic = Float64Array.from({ length: 300 }, () =>
      r() < 0.2 ? 1 + Math.floor(r() * 5) : 0,
    );
    sporadic[250] = 40;
    expect(forecastAuto(sporadic).demandClass).toBe('lumpy');
    expect(forecastAuto(sporadic)).not.toHaveProperty('outliers');
    // Four weeks since the first sale: too short to judge a day (cleanOutliers replaces nothing).
    const short = seasonal(28, 5, 100);
    short[20] = 0;
    expect(forecastAuto(short).demandClass).toBe('smooth');
    expect(forecastAuto(short)).not.toHaveProperty('outliers');
    const longer = seasonal(29, 5, 100);
    expect(forecastAuto(longer)).toHaveProperty('outliers');
  });

  it('reports the bulk order that made smooth demand erratic; absent for erratic demand it cannot make smooth', () => {
    const y = seasonal(400, 8, 100);
    y[200] = 20 * y[200];
    const f = forecastAuto(y);
    expect(f.demandClass).toBe('erratic');
    expect(f.outliers?.recent.map((d) => [d.index, d.value])).toContainEqual([200, y[200]]);
    // Erratic throughout: every day between 10 and 400, nothing one-off about any of them.
    const r = lcg(11);
    const wild = Float64Array.from({ length: 400 }, () => Math.round(10 + 390 * r() ** 3));
    expect(forecastAuto(wild).demandClass).toBe('erratic');
    expect(forecastAuto(wild)).not.toHaveProperty('outliers');
  });

  it("stays with the answer the catalogue step picks for combination 'class'", async () => {
    const items = [1, 2, 3].map((seed) => {
      const y = seasonal(300, seed, 60);
      y[280] = 0;
      return { id: `s${seed}`, y };
    });
    const many = await forecastMany(items, { combination: 'class', conformal: false });
    for (const { id, y } of items) {
      const f = many.get(id);
      expect(f?.combination?.pooled).toBeDefined();
      expect(f?.outliers).toEqual(forecastAuto(y, { combination: 'class' }).outliers);
      expect(f?.outliers?.recent.map((d) => d.index)).toContain(280);
    }
  });

  it('survives the worker threads of forecastMany', async () => {
    const items = Array.from({ length: IN_PROCESS_THRESHOLD + 1 }, (_, i) => {
      const y = seasonal(200, i + 1, 80);
      y[190] = 0;
      return { id: `s${i}`, y };
    });
    const many = await forecastMany(items, { conformal: false, workers: 2 });
    for (const { id, y } of [items[0], items[IN_PROCESS_THRESHOLD]]) {
      const own = forecastAuto(y, { conformal: false }).outliers;
      expect(own?.recent.map((d) => d.index)).toContain(190);
      expect(many.get(id)?.outliers).toEqual(own);
    }
  }, 120_000);
});
