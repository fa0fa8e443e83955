import { describe, expect, it } from 'vitest';
import { exitKindOf, InvalidDateError } from '@retail-forecast/util';
import { addDays, daysBetween, isIsoDate, isoDate } from '../src/index';

// sales-data re-exports util's date helpers for the app; these pin what importers rely on.

describe('addDays', () => {
  it('moves forward across month, year and leap-day boundaries', () => {
    expect(addDays('2025-04-28', 1)).toBe('2025-04-29');
    expect(addDays('2025-04-28', 7)).toBe('2025-05-05');
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
  });

  it('moves backwards with a negative count and is unchanged by 0', () => {
    expect(addDays('2025-03-01', -1)).toBe('2025-02-28');
    expect(addDays('2025-03-01', 0)).toBe('2025-03-01');
  });

  it('rejects a date that is not YYYY-MM-DD, naming it, as bad input (exit kind input)', () => {
    const err = (() => {
      try {
        addDays('2025-02-30', 1);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(InvalidDateError);
    expect(exitKindOf(err)).toBe('input');
    expect(() => addDays('28/04/2025', 1)).toThrow('addDays date "28/04/2025" is not a date');
  });

  it('rejects a fractional day count', () => {
    expect(() => addDays('2025-04-28', 0.5)).toThrow('addDays days 0.5 is not an integer');
  });
});

describe('daysBetween, isIsoDate, isoDate', () => {
  it('counts whole days, signed', () => {
    expect(daysBetween('2025-02-27', '2025-04-28')).toBe(60);
    expect(daysBetween('2025-04-28', '2025-02-27')).toBe(-60);
  });

  it('recognises only real YYYY-MM-DD dates', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2025-02-29')).toBe(false);
    expect(isIsoDate('2025-4-28')).toBe(false);
  });

  it('formats the UTC calendar day of a Date', () => {
    expect(isoDate(new Date('2025-04-28T23:30:00Z'))).toBe('2025-04-28');
    expect(isoDate(new Date('2025-04-28T23:30:00-02:00'))).toBe('2025-04-29');
    expect(() => isoDate(new Date(Number.NaN))).toThrow(InvalidDateError);
  });
});
