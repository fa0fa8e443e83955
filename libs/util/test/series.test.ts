import { describe, expect, it } from 'vitest';
import { asFloat64, fitsFloat32 } from '../src/index';

describe('asFloat64', () => {
  it('returns a Float64Array as it is', () => {
    const y = Float64Array.of(1, 0.1, Number.NaN);
    expect(asFloat64(y)).toBe(y);
  });

  it('copies a Float32Array into a Float64Array with the same numbers, NaN included', () => {
    const y = Float32Array.of(3, 0, Number.NaN, 2.5, 16_777_216);
    const out = asFloat64(y);
    expect(out).toBeInstanceOf(Float64Array);
    expect(Array.from(out)).toEqual([3, 0, Number.NaN, 2.5, 16_777_216]);
  });
});

describe('fitsFloat32', () => {
  it('accepts whole units up to 2^24, halves, zeros and NaN', () => {
    for (const v of [0, -0, 1, 12, 2.5, 16_777_216, Number.NaN]) expect(fitsFloat32(v)).toBe(true);
  });

  it('rejects a value a float32 would round', () => {
    for (const v of [0.1, 16_777_217, 1e-50, 3.4e39]) expect(fitsFloat32(v)).toBe(false);
  });
});
