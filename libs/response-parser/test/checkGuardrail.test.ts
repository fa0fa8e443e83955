import { describe, expect, it } from 'vitest';
import { checkGuardrail, InvalidArgumentError } from '../src/index';

const flat = (v: number, n = 7) => Array(n).fill(v) as number[];
// 8 weeks selling 2 a day: every 7-day window sums to 14.
const steady = new Float64Array(56).fill(2);
const reference = { p50: flat(2), p90: flat(4) }; // P90 total 28

describe('checkGuardrail', () => {
  it('passes a forecast in line with the statistical one', () => {
    expect(checkGuardrail({ daily: flat(2.5) }, reference, steady)).toEqual({ ok: true });
  });

  it('rejects a total above 3 × the P90 total and 2 × the max historical week, naming the numbers', () => {
    const v = checkGuardrail({ daily: flat(13) }, reference, steady); // 91 > 84 and > 28
    expect(v).toEqual({
      ok: false,
      code: 'implausibly_high',
      reason: '7-day total 91 > 3 × statistical P90 total 28 and > 2 × max historical 7-day sum 14',
    });
  });

  it('passes a high total when history once had a week that large', () => {
    const spiky = steady.slice();
    spiky.fill(10, 10, 17); // one 70-unit week: 2 × 70 = 140 > 91
    expect(checkGuardrail({ daily: flat(13) }, reference, spiky)).toEqual({ ok: true });
  });

  it('passes a high total still within 3 × the statistical P90', () => {
    expect(checkGuardrail({ daily: flat(13) }, { p50: flat(5), p90: flat(5) }, steady)).toEqual({
      ok: true,
    });
  });

  it('always passes totals under minAbsoluteUnits', () => {
    const never = new Float64Array(56);
    const zero = { p50: flat(0), p90: flat(0) };
    expect(checkGuardrail({ daily: [4, 0, 0, 0, 0, 0, 0] }, zero, never)).toEqual({ ok: true });
    expect(checkGuardrail({ daily: [5, 0, 0, 0, 0, 0, 0] }, zero, never)).toMatchObject({
      ok: false,
      code: 'implausibly_high',
    });
    expect(
      checkGuardrail({ daily: [5, 0, 0, 0, 0, 0, 0] }, zero, never, { minAbsoluteUnits: 6 }),
    ).toEqual({ ok: true });
  });

  it('rejects an all-zero forecast when the last 4 weeks all sold and the statistical median is material', () => {
    expect(checkGuardrail({ daily: flat(0) }, reference, steady)).toEqual({
      ok: false,
      code: 'implausibly_low',
      reason: '7-day total 0 while statistical P50 total is 14 and each of the last 4 weeks sold',
    });
  });

  it('passes an all-zero forecast after a week without sales, with a small median, or when disabled', () => {
    const gap = steady.slice();
    gap.fill(0, 35, 42); // third-last week sold nothing
    expect(checkGuardrail({ daily: flat(0) }, reference, gap)).toEqual({ ok: true });
    expect(checkGuardrail({ daily: flat(0) }, { p50: flat(0.5), p90: flat(1) }, steady)).toEqual({
      ok: true,
    });
    expect(checkGuardrail({ daily: flat(0) }, reference, steady, { rejectAllZero: false })).toEqual(
      { ok: true },
    );
    expect(checkGuardrail({ daily: flat(0) }, reference, steady.subarray(0, 20))).toEqual({
      ok: true,
    });
  });

  it('passes a low but non-zero forecast', () => {
    expect(checkGuardrail({ daily: [0, 0, 0, 0, 0, 0, 0.5] }, reference, steady)).toEqual({
      ok: true,
    });
  });

  it('scales a history shorter than the horizon up to a full window', () => {
    // 3 days of 10 → 70 per week; 2 × 70 = 140 > 91, so it passes.
    expect(checkGuardrail({ daily: flat(13) }, reference, Float64Array.of(10, 10, 10))).toEqual({
      ok: true,
    });
  });

  it('throws on series of different lengths', () => {
    expect(() => checkGuardrail({ daily: flat(1, 6) }, reference, steady)).toThrow(
      InvalidArgumentError,
    );
  });
});
