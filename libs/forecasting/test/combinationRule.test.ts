import { describe, expect, it } from 'vitest';
import {
  countMedian,
  weekdayDispersion,
  backtest,
  CHOOSABLE_RULES,
  COMBINATION_RULES,
  forecastAuto,
  InvalidOptionError,
  nestedRuleScores,
} from '../src/index';
import type { ExternalCandidate, QuantileForecast, SeriesInput } from '../src/index';
import { applyRule, rankCandidates, type Race, type RaceFit } from '../src/combinationRule';
import { forecastMany } from '../src/runtime/index';
import { seasonal } from './series';

const h = 7;
const y = seasonal(200, 7);

/** `y`'s next h days from `end`, shifted by `shift(k)` on day k (at least 0). */
function shifted(end: number, shift: (k: number) => number, y: Float64Array): QuantileForecast {
  const p50 = Float64Array.from(y.subarray(end, end + h), (v, k) => Math.max(0, v + shift(k)));
  return { p10: p50.map((v) => v * 0.8), p50, p90: p50.map((v) => v * 1.2 + 1) };
}

/**
 * An external candidate forecasting `y` from each of `origins` validation origins and from the
 * end as the truth shifted by `shift(k, o)` (from the end, a flat `last`).
 */
function candidate(
  name: string,
  shift: (k: number, o: number) => number,
  last: number,
  series = y,
): ExternalCandidate {
  const forecasts = [];
  for (let o = 1; o <= 3; o++) {
    const end = series.length - h * o;
    forecasts.push({ end, q: shifted(end, (k) => shift(k, o), series) });
  }
  const p50 = new Float64Array(h).fill(last);
  forecasts.push({ end: series.length, q: { p10: p50, p50, p90: p50 } });
  return { name, forecasts };
}

/** Over and under the truth by 20 on alternate days, in opposite phase: their mean is right. */
const flip = (k: number, o: number) => ((k + o) % 2 === 0 ? 20 : -20);

/** A series whose best combination is the mean of two candidates (`top2`). */
function pairSeries(i: number): SeriesInput {
  const s = seasonal(150, i + 1);
  const external = [
    candidate('over', (k, o) => flip(k, o), 100, s),
    candidate('under', (k, o) => -flip(k, o), 50, s),
    candidate('high', () => 30, 500, s),
  ];
  return { id: `P${i}`, y: s, context: { external } };
}

describe('combination rules of forecastAuto', () => {
  it('keeps the median of the top 3 by default, the same as combination top3 and combineTop 3', () => {
    const byDefault = forecastAuto(y);
    expect(byDefault.model).toMatch(/^statistical:top3\(/);
    expect(forecastAuto(y, { combination: 'top3' })).toEqual(byDefault);
    expect(forecastAuto(y, { combineTop: 3 })).toEqual(byDefault);
    expect(byDefault.combination).toBeUndefined();
  });

  it('names each rule in the model field', () => {
    expect(forecastAuto(y, { combination: 'top1' }).model).not.toMatch(/^statistical:top/);
    expect(forecastAuto(y, { combination: 'mean3' }).model).toMatch(/^statistical:mean3\(/);
    expect(forecastAuto(y, { combination: 'all' }).model).toMatch(/^statistical:all6\(/);
    expect(forecastAuto(y, { combination: 'weighted' }).model).toMatch(/^statistical:weighted\(/);
  });

  it('rejects an unknown rule, and combineTop given with combination, naming the values', () => {
    expect(() => forecastAuto(y, { combination: 'best' })).toThrow(InvalidOptionError);
    expect(() => forecastAuto(y, { combination: 'best' })).toThrow(/combination "best"/);
    expect(() => forecastAuto(y, { combination: 'top0' })).toThrow(
      'combination "top0" is not allowed (expected top<N> or mean<N> with N = 1, 2, 3, …,',
    );
    expect(() => forecastAuto(y, { combineTop: 2, combination: 'top1' })).toThrow(
      /combineTop 2 and combination "top1"/,
    );
  });

  it('select picks plain selection when one candidate is right at every origin', () => {
    const exact = candidate('global', () => 0, 123);
    const f = forecastAuto(y, { combination: 'select' }, { external: [exact] });
    expect(f.combination?.nested.top1).toBe(0);
    expect(f.combination?.rule).toBe('top1');
    expect(f.model).toBe('statistical:global');
    expect(Array.from(f.p50)).toEqual(new Array(h).fill(123));
    // Every rule that pools it with worse candidates scores worse (`weighted` gives it all the
    // weight, so it ties).
    expect(f.combination?.nested.weighted).toBe(0);
    for (const rule of COMBINATION_RULES.filter((r) => r !== 'top1' && r !== 'weighted')) {
      expect(f.combination?.nested[rule]).toBeGreaterThan(0);
    }
  });

  it('select combines when two candidates err in opposite directions', () => {
    // Over and under by 20 units on alternate days, in opposite phase: each alone is off by 20
    // every day, their mean is right; a third errs one way by 30. No registry model runs.
    const over = candidate('over', (k, o) => flip(k, o), 100);
    const under = candidate('under', (k, o) => -flip(k, o), 50);
    const high = candidate('high', () => 30, 500);
    const f = forecastAuto(
      y,
      { combination: 'select', candidates: [] },
      { external: [over, under, high] },
    );
    expect(f.combination?.rule).toBe('top2');
    expect(f.combination?.nested.top2).toBeCloseTo(0, 9);
    expect(f.combination?.nested.top1).toBeGreaterThan(100);
    expect(Array.from(f.p50)).toEqual(new Array(h).fill(75));
    expect(f.model).toMatch(/^statistical:top2\((over,under|under,over)\)$/);
  });

  it('weighted gives all the weight to a candidate without validation error', () => {
    const exact = candidate('global', () => 0, 42);
    const f = forecastAuto(y, { combination: 'weighted' }, { external: [exact] });
    expect(Array.from(f.p50)).toEqual(new Array(h).fill(42));
  });

  it('select falls back to top3 without two validation origins to nest', () => {
    const f = forecastAuto(y, { combination: 'select', validationOrigins: 1 });
    expect(f.model).toMatch(/^statistical:top3\(/);
    expect(f.combination).toBeUndefined();
  });
});

describe('rankCandidates', () => {
  /** Two candidates whose P50 is 0 every day, one with a P90 of 0 and one with a P90 of 1, over
   * validation weeks [14, 21) and [21, 28) of `x`. */
  function zeroMedians(x: Float64Array) {
    const zeros = new Float64Array(h);
    const fits: Record<string, QuantileForecast> = {
      low: { p10: zeros, p50: zeros, p90: zeros },
      wide: { p10: zeros, p50: zeros, p90: new Float64Array(h).fill(1) },
    };
    return {
      get: (c: string) => ({ q: fits[c], name: c }),
      candidates: ['low', 'wide'],
      x,
      cuts: [28, 21, 14],
      h,
      tailTieBreak: true,
    };
  }

  it('ranks equal P50 errors by the pinball loss of P10 and P90', () => {
    // Sales of 2 and 1 units: both P50 errors are 3; P90's loss 0.9 · 3 = 2.7 against
    // 12 · 0.1 + 0.9 · 1 = 2.1, so the wider candidate ranks first though listed second.
    const x = new Float64Array(28);
    x[15] = 2;
    x[24] = 1;
    const ranked = rankCandidates(zeroMedians(x), 1, 2);
    expect(ranked.map((r) => r.candidate)).toEqual(['wide', 'low']);
    expect(ranked.map((r) => r.ae)).toEqual([3, 3]);
    expect(ranked[0].tail).toBeCloseTo(0.1 * 3 + 2.1, 12);
    // Smooth demand (no `tailTieBreak`) keeps the candidate order on a tie.
    const smooth = { ...zeroMedians(x), tailTieBreak: false };
    expect(rankCandidates(smooth, 1, 2).map((r) => r.candidate)).toEqual(['low', 'wide']);
  });

  it('keeps the candidate order where the validation days sold nothing', () => {
    // The P90 of 0 has the lower loss (0 against 1.4), which says nothing of the mean.
    const ranked = rankCandidates(zeroMedians(new Float64Array(28)), 1, 2);
    expect(ranked.map((r) => r.candidate)).toEqual(['low', 'wide']);
    const reversed = { ...zeroMedians(new Float64Array(28)), candidates: ['wide', 'low'] };
    expect(rankCandidates(reversed, 1, 2).map((r) => r.candidate)).toEqual(['wide', 'low']);
  });
});

describe('nestedRuleScores', () => {
  it('is undefined with fewer than two validation origins', () => {
    const race = {
      get: () => undefined,
      candidates: ['a'],
      x: new Float64Array(30),
      cuts: [30, 23],
      h,
    };
    expect(nestedRuleScores(race)).toBeUndefined();
  });
});

describe('the class rule (catalogue step of forecastMany)', () => {
  it('answers every series of a demand class by the rule of lowest pooled nested error', async () => {
    // Eleven series whose best combination is the pair's mean, and one whose exact candidate
    // alone would win on its own validation: the class (all smooth) goes with the pair's rule.
    const inputs = Array.from({ length: 11 }, (_, i) => pairSeries(i));
    const own = seasonal(150, 99);
    const exact = candidate('exact', () => 0, 7, own);
    const high = candidate('high', () => 30, 500, own);
    inputs.push({ id: 'own', y: own, context: { external: [exact, high] } });
    // These 21-week seasonal series would read a catalogue weekday profile, which spreads the
    // flat candidates' weeks; the rule is what is tested here.
    const options = { combination: 'class', candidates: [], catalogueProfile: false };
    expect(forecastAuto(own, { ...options, combination: 'select' }, inputs[11].context).model).toBe(
      'statistical:exact',
    );

    const out = await forecastMany(inputs, options);
    for (const [id, f] of out) {
      expect(f.combination?.rule, id).toBe('top2');
      expect(f.combination?.pooled?.top2).toBeLessThan(f.combination?.pooled?.top1 as number);
      expect(f.combination?.alternatives).toBeUndefined();
    }
    expect(Array.from(out.get('P0')?.p50 ?? [])).toEqual(new Array(h).fill(75));
    expect(out.get('own')?.model).toMatch(/^statistical:top2\((exact,high|high,exact)\)$/);
    // The pair's mean of means, 253.5, read as a whole-unit count median (the series is counts).
    expect(Array.from(out.get('own')?.mean ?? [])).toEqual(new Array(h).fill(253.5));
    expect(Array.from(out.get('own')?.p50 ?? [])).toEqual(
      new Array(h).fill(countMedian(253.5, weekdayDispersion(own))),
    );
  });

  it('without the catalogue step answers top3 and carries every rule pending', () => {
    const s = pairSeries(0);
    const f = forecastAuto(
      s.y as Float64Array,
      { combination: 'class', candidates: [] },
      s.context,
    );
    expect(f.model).toMatch(/^statistical:top3\(/);
    expect(f.combination?.scale).toBeGreaterThan(0);
    expect(Object.keys(f.combination?.alternatives ?? {})).toEqual([...CHOOSABLE_RULES]);
  });

  it('is the same in worker threads as in one thread', async () => {
    const inputs = Array.from({ length: 210 }, (_, i) => pairSeries(i));
    const options = { combination: 'class', candidates: [] };
    const threaded = await forecastMany(inputs, { ...options, workers: 2 });
    const inline = await forecastMany(inputs, { ...options, workers: 1 });
    expect(threaded.get('P5')?.combination?.rule).toBe('top2');
    expect(threaded).toEqual(inline);
  }, 60_000);

  it('runs in backtest as in the daily job', () => {
    const series = Array.from({ length: 6 }, (_, i) => ({ id: `S${i}`, y: seasonal(160, i + 1) }));
    const report = backtest(series, {
      horizon: h,
      origins: 2,
      models: ['auto'],
      auto: { combination: 'class' },
    });
    const auto = report.byModel[0];
    expect(auto.fits).toBe(12);
    expect(auto.meanMase).toBeLessThan(1);
  });
});

describe('a combination on days with a known event (holidays, promotions)', () => {
  const level = (v: number): QuantileForecast => ({
    p10: new Float64Array(h).fill(v - 1),
    p50: new Float64Array(h).fill(v),
    p90: new Float64Array(h).fill(v + 1),
  });
  const fits: Record<string, RaceFit> = {
    'dhr(ar[1,7],d=0)': { name: 'dhr(ar[1,7],d=0)', q: level(10) },
    global: { name: 'global', q: level(20) },
    ets: { name: 'ets(A,N,A)', q: level(50) },
    theta: { name: 'theta', q: level(60) },
    snaive: { name: 'snaive', q: level(70) },
  };
  // Day 3 of the week holds the event.
  const race = (events: Uint8Array | undefined): Race => ({
    get: (c) => fits[c],
    candidates: Object.keys(fits),
    x: new Float64Array(40),
    cuts: [40],
    h,
    eventDays: () => events,
    eventReaders: new Set(['dhr', 'global']),
  });
  const event = Uint8Array.from([0, 0, 0, 1, 0, 0, 0]);
  const p50 = (r: Race, members: string[]) =>
    Array.from(applyRule(r, [], 'top3', 0, { members })!.q.p50);

  it("takes the members that read the event on its days, by the calendar candidate's family", () => {
    expect(p50(race(event), ['dhr(ar[1,7],d=0)', 'ets', 'theta'])).toEqual([
      50, 50, 50, 10, 50, 50, 50,
    ]);
    const q = applyRule(race(event), [], 'top3', 0, {
      members: ['dhr(ar[1,7],d=0)', 'ets', 'theta'],
    })!.q;
    expect([q.p10[3], q.p90[3]]).toEqual([9, 11]);
    // Two readers: their own median (of two, the mean) on the event day.
    expect(p50(race(event), ['dhr(ar[1,7],d=0)', 'global', 'snaive'])).toEqual([
      20, 20, 20, 15, 20, 20, 20,
    ]);
  });

  it('takes the best-ranked reader where no member reads the event', () => {
    const ranked = ['ets', 'theta', 'global', 'dhr(ar[1,7],d=0)', 'snaive'].map((candidate) => ({
      candidate,
      ae: 1,
      se: 1,
      days: 7,
      tail: 0,
    }));
    const q = applyRule(race(event), ranked, 'top3', 0, { members: ['ets', 'theta', 'snaive'] })!;
    expect(Array.from(q.q.p50)).toEqual([60, 60, 60, 20, 60, 60, 60]);
    expect(q.name).toBe('top3(ets(A,N,A),theta,snaive)');
    // Plain selection of a blind model too.
    const top1 = applyRule(race(event), ranked, 'top1', 0)!;
    expect(Array.from(top1.q.p50)).toEqual([50, 50, 50, 20, 50, 50, 50]);
  });

  it('leaves blind members where no reader forecasts, readers only, or a week without events', () => {
    expect(p50(race(event), ['ets', 'theta', 'snaive'])).toEqual(Array(h).fill(60));
    expect(p50(race(event), ['dhr(ar[1,7],d=0)', 'global'])).toEqual(Array(h).fill(15));
    expect(p50(race(undefined), ['dhr(ar[1,7],d=0)', 'ets', 'theta'])).toEqual(Array(h).fill(50));
  });
});
