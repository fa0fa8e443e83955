import { describe, expect, it } from 'vitest';
import { parseEventDate, parseSales } from '../src/values';

const day = (iso: string) => Date.parse(iso) / 86_400_000;
const ok = (iso: string) => ({ ok: true, day: day(iso) });

describe('parseEventDate', () => {
  it.each<[string, unknown, string]>([
    ['a YYYY-MM-DD string', '2025-04-28', '2025-04-28'],
    ['a padded YYYY-MM-DD string', ' 2025-04-28 ', '2025-04-28'],
    ['an ISO timestamp with Z', '2025-04-28T23:59:59.999Z', '2025-04-28'],
    ['a Spark-style timestamp without zone', '2025-04-28 13:45:00', '2025-04-28'],
    [
      'a timestamp with a negative offset, on the date written (not the next UTC day)',
      '2025-04-28T22:00:00-05:00',
      '2025-04-28',
    ],
    [
      'a local midnight with a positive offset, on the date written (not the previous UTC day)',
      '2025-03-03T00:00:00+01:00',
      '2025-03-03',
    ],
    ['an offset without a colon', '2025-03-30T00:00:00+0200', '2025-03-30'],
    [
      'a Date at midnight UTC (DATE/TIMESTAMP via hyparquet)',
      new Date('2025-04-28T00:00:00Z'),
      '2025-04-28',
    ],
    ['a Date late in the UTC day', new Date('2025-04-28T23:59:59Z'), '2025-04-28'],
    ['days since epoch as number (raw DATE)', 20_206, '2025-04-28'],
    ['YYYYMMDD as number', 20_250_428, '2025-04-28'],
    ['epoch seconds', 1_745_798_400, '2025-04-28'],
    ['epoch millis as number', 1_745_841_600_000, '2025-04-28'],
    ['epoch millis as bigint (INT64)', 1_745_841_600_000n, '2025-04-28'],
    ['epoch micros as bigint', 1_745_841_600_000_000n, '2025-04-28'],
    ['epoch nanos as bigint', 1_745_841_600_000_000_123n, '2025-04-28'],
    [
      'a raw INT96 bigint (Julian day << 64 | nanos of day)',
      (2_460_794n << 64n) | 43_200_000_000_000n,
      '2025-04-28',
    ],
    ['a date before 1970', '1969-12-31', '1969-12-31'],
  ])('accepts %s', (_label, value, iso) => {
    expect(parseEventDate(value)).toMatchObject(ok(iso));
  });

  describe('with a time zone for instants', () => {
    const berlin = { zone: 'Europe/Berlin' };

    it.each<[string, unknown, string]>([
      ['a Z instant at a winter local midnight', '2025-03-02T23:00:00Z', '2025-03-03'],
      ['a Z instant at a summer local midnight', '2025-03-30T22:00:00Z', '2025-03-31'],
      [
        'a Date instant (Parquet TIMESTAMP adjusted to UTC)',
        new Date('2025-03-29T23:00:00Z'),
        '2025-03-30',
      ],
      ['epoch millis', Date.parse('2025-03-02T23:00:00Z'), '2025-03-03'],
      ['a raw INT96 bigint', (2_460_737n << 64n) | (23n * 3_600_000_000_000n), '2025-03-03'],
    ])('reads %s as its local date', (_label, value, iso) => {
      expect(parseEventDate(value, berlin)).toEqual(ok(iso));
    });

    it.each<[string, unknown, string]>([
      ['a YYYY-MM-DD date', '2025-03-03', '2025-03-03'],
      ['a timestamp with an offset', '2025-03-03T00:00:00+01:00', '2025-03-03'],
      ['a wall-clock timestamp without zone', '2025-03-03 00:00:00', '2025-03-03'],
      ['days since epoch', 20_150, '2025-03-03'],
    ])('keeps %s on the date written', (_label, value, iso) => {
      expect(parseEventDate(value, berlin)).toEqual(ok(iso));
    });

    it('keeps a local Date (Parquet DATE) on its date even west of UTC', () => {
      const local = { zone: 'America/New_York', datesAreLocal: true };
      expect(parseEventDate(new Date('2025-03-03T00:00:00Z'), local)).toEqual(ok('2025-03-03'));
    });

    it('marks an instant read as a UTC date, so local midnights can be reported', () => {
      expect(parseEventDate('2025-03-02T23:00:00Z')).toEqual({
        ...ok('2025-03-02'),
        utcInstant: Date.parse('2025-03-02T23:00:00Z'),
      });
    });
  });

  it.each<[string, unknown, string]>([
    ['month 13', '2025-13-40', 'not_a_date'],
    ['February 30th', '2025-02-30', 'not_a_date'],
    ['a non-leap February 29th', '2025-02-29', 'not_a_date'],
    ['US format', '04/28/2025', 'not_a_date'],
    ['an empty string', '', 'not_a_date'],
    ['hour 24', '2025-04-28T24:00:00Z', 'not_a_date'],
    ['an invalid Date', new Date(Number.NaN), 'not_a_date'],
    ['NaN', Number.NaN, 'not_a_date'],
    ['a fractional day count', 20_206.5, 'not_a_date'],
    ['null', null, 'not_a_date'],
    ['undefined', undefined, 'not_a_date'],
    ['a boolean', true, 'not_a_date'],
    ['year 1899', '1899-12-31', 'not_a_date'],
    ['a Date in year 3000', new Date('3000-01-01T00:00:00Z'), 'out_of_range'],
  ])('rejects %s', (_label, value, problem) => {
    expect(parseEventDate(value)).toEqual({ ok: false, problem });
  });

  it('accepts a leap day', () => {
    expect(parseEventDate('2024-02-29')).toEqual(ok('2024-02-29'));
  });
});

describe('parseSales', () => {
  it.each<[unknown, number]>([
    [3, 3],
    [0, 0],
    [-0, 0],
    [2.5, 2.5],
    [7n, 7],
    ['12', 12],
    [' 4.25 ', 4.25],
    ['1e2', 100],
    ['.5', 0.5],
  ])('accepts %s', (value, expected) => {
    const result = parseSales(value);
    expect(result).toEqual({ ok: true, value: expected });
    if (result.ok) expect(Object.is(result.value, -0)).toBe(false);
  });

  it.each<[unknown, string]>([
    [-1, 'negative'],
    [-3n, 'negative'],
    ['-0.5', 'negative'],
    [Number.NaN, 'not_a_number'],
    ['NaN', 'not_a_number'],
    [Number.POSITIVE_INFINITY, 'not_finite'],
    ['-Infinity', 'not_finite'],
    ['inf', 'not_finite'],
    ['three', 'not_a_number'],
    ['0x10', 'not_a_number'],
    ['1,5', 'not_a_number'],
    ['', 'empty'],
    ['   ', 'empty'],
    [null, 'empty'],
    [undefined, 'empty'],
    [true, 'not_a_number'],
  ])('rejects %s as %s', (value, problem) => {
    expect(parseSales(value)).toEqual({ ok: false, problem });
  });
});
