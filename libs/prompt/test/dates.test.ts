import { describe, expect, it } from 'vitest';
import { InvalidDateError, weekdayOf } from '../src/index';

describe('weekdayOf', () => {
  it('names the weekday of known dates', () => {
    expect(weekdayOf('2025-04-28')).toBe('Mon');
    expect(weekdayOf('2025-02-27')).toBe('Thu');
    expect(weekdayOf('2024-02-29')).toBe('Thu');
    expect(weekdayOf('1970-01-01')).toBe('Thu');
    expect(weekdayOf('1969-12-28')).toBe('Sun');
    expect(weekdayOf('2000-01-01')).toBe('Sat');
  });

  it('rejects impossible or malformed dates with the value seen', () => {
    expect(() => weekdayOf('2025-02-30')).toThrow(InvalidDateError);
    expect(() => weekdayOf('2025-13-01')).toThrow(
      /"2025-13-01" is not a date \(expected YYYY-MM-DD\)/,
    );
    expect(() => weekdayOf('28/04/2025')).toThrow(InvalidDateError);
  });
});
