import { isoDateToDay } from '@retail-forecast/util';
import { describe, expect, it } from 'vitest';
import {
  calendarRegressors,
  eventColumns,
  fourierColumns,
  HOLIDAY_AFTER,
  HOLIDAY_BEFORE,
  InvalidOptionError,
  parseHolidayRegion,
  publicHolidays,
  YEAR_DAYS,
} from '../src/index';

const day = (iso: string) => isoDateToDay(iso) as number;
const column = (r: { names: string[]; columns: Float64Array[] }, name: string) => {
  const j = r.names.indexOf(name);
  if (j < 0) throw new Error(`no column ${name} in ${r.names.join(', ')}`);
  return r.columns[j];
};

describe('publicHolidays', () => {
  it('lists US Independence Day and Thanksgiving 2025 on their dates', () => {
    const us = publicHolidays(parseHolidayRegion('US'), 2025, 2025);
    expect(us.get('2025-07-04')).toEqual(['Independence Day']);
    expect(us.get('2025-11-27')).toEqual(['Thanksgiving Day']);
    expect(us.has('2025-11-28')).toBe(false);
  });

  it('adds the public holidays of a region to its country', () => {
    const ca = publicHolidays(parseHolidayRegion('us-ca'), 2025, 2025);
    expect(ca.get('2025-03-31')).toEqual(['César Chávez Day']);
    expect(ca.has('2025-11-28')).toBe(true);
    const by = publicHolidays(parseHolidayRegion('DE-BY'), 2025, 2025);
    expect(by.has('2025-01-06')).toBe(true); // Heilige Drei Könige, Bavaria only
    expect(publicHolidays(parseHolidayRegion('DE-BE'), 2025, 2025).has('2025-01-06')).toBe(false);
  });

  it('keeps only public holidays (no observances such as Valentine’s Day)', () => {
    const us = publicHolidays(parseHolidayRegion('US'), 2025, 2025);
    expect(us.has('2025-02-14')).toBe(false);
  });
});

describe('parseHolidayRegion', () => {
  it('rejects an unknown country and says where the codes are listed', () => {
    expect(() => parseHolidayRegion('XX')).toThrow(InvalidOptionError);
    expect(() => parseHolidayRegion('XX')).toThrow(
      /country "XX" is not known.*supported-countries/,
    );
  });

  it('rejects an unknown region and lists the country’s regions', () => {
    expect(() => parseHolidayRegion('US-ZZ')).toThrow(/"ZZ" is not a region of US \(known: .*CA/);
  });

  it('rejects a code that is not country[-region]', () => {
    expect(() => parseHolidayRegion('United States')).toThrow(/expected e\.g\. US, US-CA/);
  });
});

describe('calendarRegressors', () => {
  it('puts a dummy on each holiday and the pooled days before and after it', () => {
    const r = calendarRegressors({
      startDate: '2025-06-01',
      length: 60,
      horizon: 7,
      holidays: 'US',
    })!;
    const july4 = day('2025-07-04') - day('2025-06-01');
    const independence = column(r, 'holiday:Independence Day');
    expect(independence.length).toBe(67);
    expect(independence[july4]).toBe(1);
    expect(independence.reduce((a, b) => a + b, 0)).toBe(1);
    expect(column(r, HOLIDAY_BEFORE)[july4 - 1]).toBe(1);
    expect(column(r, HOLIDAY_AFTER)[july4 + 1]).toBe(1);
    expect(column(r, HOLIDAY_BEFORE)[july4]).toBe(0);
    // Juneteenth (June 19) is in the span too; Thanksgiving is not.
    expect(r.names).toContain('holiday:Juneteenth');
    expect(r.names).not.toContain('holiday:Thanksgiving Day');
  });

  it('reaches the horizon: a holiday after the history gets its dummy in the future part', () => {
    const r = calendarRegressors({
      startDate: '2025-10-01',
      length: 57,
      horizon: 7,
      holidays: 'US',
    })!;
    const thanksgiving = column(r, 'holiday:Thanksgiving Day');
    expect(thanksgiving.length).toBe(64);
    expect(thanksgiving.indexOf(1)).toBe(day('2025-11-27') - day('2025-10-01'));
    expect(thanksgiving.indexOf(1)).toBeGreaterThanOrEqual(57);
  });

  it('offers yearly Fourier pairs only from two years of history', () => {
    const short = calendarRegressors({ startDate: '2023-01-01', length: 729, horizon: 7 });
    expect(short).toBeUndefined();
    const long = calendarRegressors({
      startDate: '2023-01-01',
      length: 730,
      horizon: 7,
      fourierK: 2,
    })!;
    expect(long.names).toEqual(['fourier:sin1', 'fourier:cos1', 'fourier:sin2', 'fourier:cos2']);
  });

  it('rejects a bad start date or holiday window', () => {
    expect(() => calendarRegressors({ startDate: '2025-13-01', length: 10, horizon: 7 })).toThrow(
      /start date "2025-13-01" is not a date/,
    );
    expect(() =>
      calendarRegressors({
        startDate: '2025-01-01',
        length: 10,
        horizon: 7,
        holidays: 'US',
        window: { before: -1, after: 0 },
      }),
    ).toThrow(/window before -1/);
  });
});

describe('fourierColumns', () => {
  it('has period 365.25 days, K pairs, and the same phase on the same date whatever the start', () => {
    const { names, columns } = fourierColumns(day('2024-01-01'), 1200, 3);
    expect(names).toHaveLength(6);
    const [sin1, cos1, sin2, , , cos3] = columns;
    // k = 1 repeats after four years (1461 days = 4 × 365.25), not after one 365-day year.
    const full = fourierColumns(day('2024-01-01'), 1461 + 1, 1).columns[0];
    expect(full[1461]).toBeCloseTo(full[0], 10);
    expect(Math.abs(sin1[365] - sin1[0])).toBeGreaterThan(1e-3);
    expect(sin1[0] ** 2 + cos1[0] ** 2).toBeCloseTo(1, 12);
    expect(sin2[100]).toBeCloseTo(
      Math.sin((4 * Math.PI * (day('2024-01-01') + 100)) / YEAR_DAYS),
      12,
    );
    expect(cos3[7]).toBeCloseTo(Math.cos((6 * Math.PI * (day('2024-01-01') + 7)) / YEAR_DAYS), 12);
    const later = fourierColumns(day('2024-01-01') + 50, 10, 1).columns[0];
    expect(later[0]).toBe(sin1[50]);
  });
});

describe('eventColumns', () => {
  const events = [
    { date: '2025-03-02', scope: { kind: 'all' as const }, event: 'promo', value: 1 },
    { date: '2025-03-02', scope: { kind: 'product' as const, id: 'p1' }, event: 'promo', value: 0 },
    {
      date: '2025-03-03',
      scope: { kind: 'category' as const, id: 'toys' },
      event: 'price',
      value: 0.2,
    },
    { date: '2025-03-04', scope: { kind: 'product' as const, id: 'p2' }, event: 'promo', value: 1 },
  ];

  it('gives each product the events of its id, its category and everyone, the most specific winning', () => {
    const p1 = eventColumns(events, { id: 'p1', category: 'toys' }, day('2025-03-01'), 5);
    expect(p1.names).toEqual(['event:price', 'event:promo']);
    expect(Array.from(p1.columns[0])).toEqual([0, 0, 0.2, 0, 0]);
    expect(Array.from(p1.columns[1])).toEqual([0, 0, 0, 0, 0]); // opted out of the store-wide promo
    const p2 = eventColumns(events, { id: 'p2' }, day('2025-03-01'), 5);
    expect(p2.names).toEqual(['event:promo']);
    expect(Array.from(p2.columns[0])).toEqual([0, 1, 0, 1, 0]);
  });
});
