import { describe, expect, it } from 'vitest';
import { asFloat64, fitsFloat32, isSeriesValues, seriesTypeFor } from '../src/index';

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

  it('copies a Uint8Array or a Uint16Array into a Float64Array with the same numbers', () => {
    expect(Array.from(asFloat64(Uint8Array.of(0, 7, 255)))).toEqual([0, 7, 255]);
    const out = asFloat64(Uint16Array.of(0, 256, 65_535));
    expect(out).toBeInstanceOf(Float64Array);
    expect(Array.from(out)).toEqual([0, 256, 65_535]);
  });
});

describe('seriesTypeFor', () => {
  it('picks Uint8Array for whole units 0..255 (and for no values at all)', () => {
    expect(seriesTypeFor([0, 1, 255, 12])).toBe(Uint8Array);
    expect(seriesTypeFor(Float32Array.of(3, 0, 200))).toBe(Uint8Array);
    expect(seriesTypeFor([])).toBe(Uint8Array);
  });

  it('picks Uint16Array for whole units up to 65,535', () => {
    expect(seriesTypeFor([0, 256, 3])).toBe(Uint16Array);
    expect(seriesTypeFor([65_535])).toBe(Uint16Array);
  });

  it('keeps a float type for NaN, fractions, negative numbers and -0, which an integer array would change', () => {
    expect(seriesTypeFor([1, Number.NaN, 2])).toBe(Float32Array);
    expect(seriesTypeFor([1, 2.5])).toBe(Float32Array);
    expect(seriesTypeFor([1, -1])).toBe(Float32Array);
    expect(seriesTypeFor([1, -0])).toBe(Float32Array);
    expect(seriesTypeFor([65_536, 1])).toBe(Float32Array);
    expect(seriesTypeFor([16_777_216, 2])).toBe(Float32Array);
  });

  it('picks Float64Array when one value needs 64 bits, a whole number or not', () => {
    expect(seriesTypeFor([1, 0.1])).toBe(Float64Array);
    // Below the largest value, and after it: each value is checked, not only the maximum.
    expect(seriesTypeFor([1_073_741_824, 16_777_217])).toBe(Float64Array);
    expect(seriesTypeFor([Number.NaN, 16_777_217])).toBe(Float64Array);
  });

  it('gives a type that reads every value back as the same number', () => {
    const cases = [
      [0, 3, 255],
      [0, 300, 65_535],
      [Number.NaN, 2, 0.5, 16_777_216],
      [0.1, 16_777_217, 3],
    ];
    for (const values of cases) {
      const stored = seriesTypeFor(values).from(values);
      expect(Array.from(stored)).toEqual(values);
    }
  });
});

describe('isSeriesValues', () => {
  it('accepts the four series types and nothing else', () => {
    for (const y of [
      new Uint8Array(1),
      new Uint16Array(1),
      new Float32Array(1),
      new Float64Array(1),
    ]) {
      expect(isSeriesValues(y)).toBe(true);
    }
    for (const y of [[1, 2], new Int8Array(1), new Uint32Array(1), new Int16Array(1), undefined]) {
      expect(isSeriesValues(y)).toBe(false);
    }
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
