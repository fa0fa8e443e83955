import { describe, expect, it } from 'vitest';
import { toAttributeValue } from '../src/attributeValue';
import { backoffDelayMs, resolveBatchRetry } from '../src/backoff';
import { isIsoDate, round2 } from '../src/buildForecastUpdate';
import { InvalidItemValueError } from '../src/index';

describe('toAttributeValue', () => {
  it('marshals nested plain data and drops undefined properties', () => {
    expect(
      toAttributeValue(
        { a: 'x', n: 1.5, b: false, z: null, gone: undefined, l: [{ d: 2 }] },
        'item',
      ),
    ).toEqual({
      M: {
        a: { S: 'x' },
        n: { N: '1.5' },
        b: { BOOL: false },
        z: { NULL: true },
        l: { L: [{ M: { d: { N: '2' } } }] },
      },
    });
  });

  it('rejects a non-finite number, naming its path', () => {
    expect(() => toAttributeValue({ daily: [{ p50: Number.NaN }] }, 'forecast')).toThrow(
      'forecast.daily[0].p50 is NaN',
    );
  });

  it('rejects class instances such as Date', () => {
    expect(() => toAttributeValue({ when: new Date(0) }, 'item')).toThrow(InvalidItemValueError);
  });
});

describe('backoffDelayMs', () => {
  const retry = resolveBatchRetry({ baseDelayMs: 50, maxDelayMs: 400 });

  it('doubles the jitter window per retry up to the cap', () => {
    const almostOne = () => 0.999999;

    expect([0, 1, 2, 3, 4, 10].map((r) => backoffDelayMs(r, retry, almostOne))).toEqual([
      49, 99, 199, 399, 399, 399,
    ]);
  });

  it('spreads delays down to zero (full jitter)', () => {
    expect(backoffDelayMs(3, retry, () => 0)).toBe(0);
    expect(backoffDelayMs(3, retry, () => 0.5)).toBe(200);
  });

  it('keeps defaults for options left undefined', () => {
    expect(resolveBatchRetry({ maxAttempts: undefined })).toEqual({
      maxAttempts: 8,
      baseDelayMs: 50,
      maxDelayMs: 2000,
    });
  });
});

describe('round2 and isIsoDate', () => {
  it('rounds to 2 decimals without negative zero', () => {
    expect(round2(14.3383)).toBe(14.34);
    expect(Object.is(round2(-0.001), 0)).toBe(true);
  });

  it('accepts only real YYYY-MM-DD dates', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2025-02-29')).toBe(false);
    expect(isIsoDate('2025-4-28')).toBe(false);
  });
});
