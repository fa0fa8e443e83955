import { describe, expect, it } from 'vitest';
import {
  addDays,
  calendarDay,
  dayToIsoDate,
  daysBetween,
  InvalidDateError,
  isIsoDate,
  isoDate,
  isoDateToDay,
  MAX_DAY,
  MIN_DAY,
  requireIsoDay,
  sparkDayOfWeek,
  weekdayOfDay,
} from '../src/index';

describe('ISO calendar days', () => {
  it('maps dates to days since 1970-01-01 and back', () => {
    expect(isoDateToDay('1970-01-01')).toBe(0);
    expect(isoDateToDay('1969-12-31')).toBe(-1);
    expect(isoDateToDay('2025-04-28')).toBe(20206);
    expect(dayToIsoDate(20206)).toBe('2025-04-28');
  });

  it('rejects impossible dates, wrong shapes and years outside 1900–2999', () => {
    for (const bad of [
      '2025-02-30',
      '2025-13-01',
      '2025-4-28',
      '20250428',
      '1899-12-31',
      '3000-01-01',
      '',
    ])
      expect(isoDateToDay(bad), bad).toBeUndefined();
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2023-02-29')).toBe(false);
    expect(calendarDay(2025, 2, 29)).toBeUndefined();
    expect(dayToIsoDate(MIN_DAY)).toBe('1900-01-01');
    expect(dayToIsoDate(MAX_DAY)).toBe('2999-12-31');
  });

  it('adds days across month, year and leap-day boundaries', () => {
    expect(addDays('2025-04-28', 1)).toBe('2025-04-29');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
    expect(addDays('2025-03-01', -1)).toBe('2025-02-28');
    expect(daysBetween('2025-01-01', '2025-03-01')).toBe(59);
    expect(daysBetween('2025-03-01', '2025-01-01')).toBe(-59);
  });

  it('names the bad value in its error', () => {
    expect(() => addDays('2025-02-30', 1)).toThrow(InvalidDateError);
    expect(() => addDays('2025-02-30', 1)).toThrow('addDays date "2025-02-30" is not a date');
    expect(() => addDays('2025-02-03', 0.5)).toThrow('addDays days 0.5 is not an integer');
    expect(() => requireIsoDay('x', '--as-of')).toThrow('--as-of "x" is not a date');
    expect(() => isoDate(new Date(Number.NaN))).toThrow(InvalidDateError);
    expect(new InvalidDateError('m').exitKind).toBe('input');
  });

  it('gives weekdays in both conventions (1970-01-01 was a Thursday)', () => {
    expect(weekdayOfDay(0)).toBe('Thu');
    expect(weekdayOfDay(-1)).toBe('Wed');
    expect(weekdayOfDay(isoDateToDay('2025-04-27')!)).toBe('Sun');
    expect(sparkDayOfWeek(isoDateToDay('2025-04-27')!)).toBe(1);
    expect(sparkDayOfWeek(isoDateToDay('2025-05-03')!)).toBe(7);
    expect(sparkDayOfWeek(-4)).toBe(1);
  });
});
