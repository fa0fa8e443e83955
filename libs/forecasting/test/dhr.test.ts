import { isoDateToDay } from '@retail-forecast/util';
import { describe, expect, it } from 'vitest';
import {
  calendarHistoryTooShort,
  calendarMinHistoryDays,
  calendarRegressors,
  forecastAuto,
  publicHolidays,
  sparseDummies,
} from '../src/index';
import { calendarCandidate } from '../src/calendar/dhr';
import { fitRegAr } from '../src/calendar/regArErrors';

/** Deterministic standard normal noise (LCG + Box–Muller). */
function noise(seed: number): () => number {
  let s = seed;
  const u = () => ((s = (s * 1103515245 + 12345) % 2147483648) + 1) / 2147483649;
  return () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
}

/**
 * Daily demand from `start` for `days` days with a weekly profile, demand at 40 % on US public
 * holidays and 150 % the day before: the planted effect.
 */
function plantedSeries(start: string, days: number, seed: number): Float64Array {
  const first = isoDateToDay(start) as number;
  const holidays = new Set(
    [...publicHolidays({ country: 'US' }, 2022, 2027).keys()].map((d) => isoDateToDay(d)),
  );
  const z = noise(seed);
  const y = new Float64Array(days);
  for (let t = 0; t < days; t++) {
    const day = first + t;
    const weekly = 1 + 0.3 * Math.sin((2 * Math.PI * t) / 7);
    const cal = holidays.has(day) ? 0.4 : holidays.has(day + 1) ? 1.5 : 1;
    y[t] = Math.max(0, Math.round(100 * weekly * cal * (1 + 0.05 * z())));
  }
  return y;
}

describe('the dhr calendar candidate', () => {
  // History through Sunday 2025-11-23; the week forecast holds Thanksgiving (Thursday 27th).
  const start = '2023-11-01';
  const end = '2025-11-23';
  const n = (isoDateToDay(end) as number) - (isoDateToDay(start) as number) + 1;
  const full = plantedSeries(start, n + 7, 3);
  const y = full.subarray(0, n);
  const thanksgiving = (isoDateToDay('2025-11-27') as number) - (isoDateToDay(start) as number) - n;
  const regressors = calendarRegressors({
    startDate: start,
    length: n,
    horizon: 7,
    holidays: 'US',
  });

  it('recovers a planted holiday effect that the models without a calendar miss', () => {
    const plain = forecastAuto(y);
    const dhr = forecastAuto(y, { candidates: ['dhr'] }, { startDate: start, regressors });
    expect(dhr.model).toMatch(/^statistical:dhr\(/);
    const actual = full[n + thanksgiving];
    const eve = full[n + thanksgiving - 1];
    // Within a quarter: the effect is estimated as one additive shift over holidays falling on
    // different weekdays, while it was planted as a factor.
    expect(Math.abs(dhr.p50[thanksgiving] - actual) / actual).toBeLessThan(0.25);
    expect(Math.abs(dhr.p50[thanksgiving - 1] - eve) / eve).toBeLessThan(0.25);
    // Without the calendar the holiday looks like any Thursday: more than double the demand.
    expect(plain.p50[thanksgiving] / actual).toBeGreaterThan(2);
    const ae = (p: Float64Array) => p.reduce((s, v, k) => s + Math.abs(v - full[n + k]), 0);
    expect(ae(dhr.p50)).toBeLessThan(ae(plain.p50) / 2);
  });

  it('joins the automatic race when the context has regressors and wins it on a planted effect', () => {
    const f = forecastAuto(y, { combineTop: 1 }, { startDate: start, regressors });
    expect(f.model).toMatch(/^statistical:dhr\(/);
  });

  it('gives the holiday days of a combination holding dhr and blind members to dhr', () => {
    // The default top3 pools dhr with two members blind to Thanksgiving: their median would put
    // the holiday back near an ordinary Thursday (122 against 50 sold).
    const auto = forecastAuto(y, {}, { startDate: start, regressors });
    expect(auto.model).toMatch(/^statistical:top3\(dhr\(/);
    const dhr = forecastAuto(y, { candidates: ['dhr'] }, { startDate: start, regressors });
    const actual = full[n + thanksgiving];
    expect(Math.abs(auto.p50[thanksgiving] - dhr.p50[thanksgiving])).toBeLessThanOrEqual(1);
    expect(Math.abs(auto.p50[thanksgiving] - actual) / actual).toBeLessThan(0.25);
    // The other days keep the median of the three, the eve and the day after too: their pooled
    // dummies hold one effect for every holiday's eve and morrow.
    // The eve is left to the median, far from dhr there.
    expect(Math.abs(auto.p50[thanksgiving - 1] - dhr.p50[thanksgiving - 1])).toBeGreaterThan(10);
  });

  it('stays out of the race without regressors, and when the candidates leave it out', () => {
    expect(forecastAuto(y, { combineTop: 1 }).model).not.toMatch(/dhr/);
    const f = forecastAuto(y, { combineTop: 1, candidates: ['ets', 'theta'] }, { regressors });
    expect(f.model).not.toMatch(/dhr/);
  });

  it('has no holiday columns to fit before a holiday was ever seen, and falls back to the pool', () => {
    // 2025-03-01 to 2025-04-09: no US public holiday in the history or the week after.
    const short = plantedSeries('2025-03-01', 40, 4);
    const regs = calendarRegressors({
      startDate: '2025-03-01',
      length: 40,
      horizon: 7,
      holidays: 'US',
    });
    expect(regs).toBeDefined();
    const f = forecastAuto(short, { candidates: ['dhr', 'ets'] }, { regressors: regs });
    expect(f.model).not.toMatch(/dhr/);
    expect(f.model).toMatch(/ets/);
  });
});

describe('calendarHistoryTooShort', () => {
  // A promotion every fifth day that doubles demand, from 2025-01-01.
  function promoted(days: number) {
    const start = '2025-01-01';
    const events = Array.from({ length: Math.ceil((days + 7) / 5) }, (_, i) => ({
      date: new Date(Date.UTC(2025, 0, 1 + 5 * i)).toISOString().slice(0, 10),
      scope: { kind: 'all' as const },
      event: 'promo',
      value: 1,
    }));
    const z = noise(days);
    const y = Float64Array.from({ length: days }, (_, t) =>
      Math.round((t % 5 === 0 ? 200 : 100) * (1 + 0.05 * z())),
    );
    const regressors = calendarRegressors({
      startDate: start,
      length: days,
      horizon: 7,
      events,
      product: { id: 'P1' },
    });
    return { y, regressors };
  }

  it('says when dhr cannot join the race: under 42 known days before the earliest origin (63 days at h = 7)', () => {
    for (const [days, short] of [
      [61, true],
      [62, true],
      [63, false],
      [90, false],
    ] as const) {
      const { y, regressors } = promoted(days);
      expect(calendarHistoryTooShort(y), `${days} days`).toBe(short);
      // The candidate itself at forecastAuto's cuts (h = 7, 3 validation origins).
      const cuts = [days, days - 7, days - 14, days - 21];
      const dhr = calendarCandidate(y, regressors!, 0, 7, cuts);
      expect(dhr === undefined, `${days} days: ${dhr?.name}`).toBe(short);
    }
    // Unknown days do not count, days before the first sale are not history, and a longer
    // horizon moves the earliest origin back.
    const { y } = promoted(63);
    y[40] = Number.NaN;
    expect(calendarHistoryTooShort(y)).toBe(true);
    const late = new Float64Array(70);
    late.set(promoted(63).y, 7);
    expect(calendarHistoryTooShort(late)).toBe(false);
    expect(calendarHistoryTooShort(promoted(63).y, { horizon: 14 })).toBe(true);
    expect(calendarHistoryTooShort(promoted(84).y, { horizon: 14 })).toBe(false);
    expect(calendarMinHistoryDays()).toBe(63);
    expect(calendarMinHistoryDays({ horizon: 14 })).toBe(84);
  });
});

describe('fitRegAr', () => {
  it('recovers the regression coefficient and AR(1) of a simulated regression with AR errors', () => {
    const z = noise(11);
    const n = 2000;
    const x = Float64Array.from({ length: n + 7 }, (_, t) => (t % 10 === 0 ? 1 : 0));
    const y = new Float64Array(n);
    let u = 0;
    for (let t = 0; t < n; t++) {
      u = 0.6 * u + z();
      y[t] = 50 + 8 * x[t] + u;
    }
    const fit = fitRegAr(y, [x], { d: 0, D: 0, lags: [1], constant: true }, 14)!;
    expect(fit.beta[0]).toBeCloseTo(50, 0);
    expect(fit.beta[1]).toBeCloseTo(8, 0);
    expect(fit.phi[0]).toBeCloseTo(0.6, 1);
    expect(fit.sigma2).toBeCloseTo(1, 0);
    const { mean, se } = fit.forecast(7, [x]);
    // Day n is a multiple of 10: the regressor's effect is in the forecast.
    expect(mean[0] - mean[1]).toBeGreaterThan(6);
    expect(se[6]).toBeGreaterThan(se[0]);
  });
});

describe('sparseDummies', () => {
  const col = (n: number, on: number[]) => {
    const c = new Float64Array(n + 7);
    for (const t of on) c[t] = 1;
    return c;
  };

  it('lists the dummies seen on fewer than two known days of the history, never Fourier terms', () => {
    const y = new Float64Array(60).fill(5);
    y[40] = Number.NaN;
    const regressors = {
      names: ['holiday:Once', 'holiday:Twice', 'event:missing_day', 'event:future', 'fourier:sin1'],
      columns: [
        col(60, [10]),
        col(60, [10, 30]),
        col(60, [20, 40]),
        col(60, [62]),
        Float64Array.from({ length: 67 }, (_, t) => Math.sin(t)),
      ],
    };
    expect(sparseDummies(regressors, y)).toEqual([
      'holiday:Once',
      'event:missing_day',
      'event:future',
    ]);
  });
});
