import { describe, expect, it } from 'vitest';
import { round2 } from '../src/index';

describe('round2', () => {
  it('rounds to 2 decimals', () => {
    expect(round2(14.3383)).toBe(14.34);
    expect(round2(1.005)).toBe(1);
    expect(round2(4.882)).toBe(4.88);
    expect(round2(7)).toBe(7);
  });

  it('never returns negative zero', () => {
    expect(Object.is(round2(-0.001), 0)).toBe(true);
    expect(Object.is(round2(-0), 0)).toBe(true);
  });
});
