/**
 * A product's daily series as the job holds it from load to forecast: one value per calendar day,
 * oldest first (units sold; NaN for an unknown day), in the narrowest of four types that holds
 * every value exactly (see {@link seriesTypeFor}): `Uint8Array` (1 byte a day) when all are whole
 * units 0..255, `Uint16Array` (2 bytes) for whole units 0..65,535, `Float32Array` (4 bytes) when
 * every value is exactly representable in 32 bits (whole units up to 2^24, halves, NaN), and
 * `Float64Array` otherwise. No value is ever rounded and NaN never enters an integer array:
 * reading `values[i]` gives the same number from any of them. The integer types are read-only
 * in practice: writing a fraction, a negative number or NaN into one would change it, so build a
 * new array rather than writing into a series. Numeric kernels take Float64Array; call
 * {@link asFloat64} just before the maths, per series, rather than keeping Float64 copies of a
 * catalogue.
 */
export type SeriesValues = Uint8Array | Uint16Array | Float32Array | Float64Array;

/** The constructor of one of the {@link SeriesValues} types. */
export type SeriesValuesConstructor =
  | Uint8ArrayConstructor
  | Uint16ArrayConstructor
  | Float32ArrayConstructor
  | Float64ArrayConstructor;

/**
 * `values` as a Float64Array with the same numbers: the array itself when it already is one, a
 * new copy (8 bytes a day) of any other {@link SeriesValues} type.
 */
export function asFloat64(values: SeriesValues): Float64Array {
  return values instanceof Float64Array ? values : Float64Array.from(values);
}

/** True for an array of one of the {@link SeriesValues} types. */
export function isSeriesValues(values: unknown): values is SeriesValues {
  return (
    values instanceof Uint8Array ||
    values instanceof Uint16Array ||
    values instanceof Float32Array ||
    values instanceof Float64Array
  );
}

/** True when a float32 holds `value` exactly (NaN and ±0 included), so storing it loses nothing. */
export function fitsFloat32(value: number): boolean {
  return Math.fround(value) === value || Number.isNaN(value);
}

/**
 * The narrowest {@link SeriesValues} type that holds every one of `values` exactly: Uint8Array
 * when all are whole numbers 0..255, Uint16Array for 0..65,535, Float32Array when each
 * {@link fitsFloat32}, else Float64Array. NaN, fractions, negative numbers and -0 (which an
 * integer array would read back as +0) keep a float type. An empty input gives Uint8Array.
 */
export function seriesTypeFor(values: ArrayLike<number>): SeriesValuesConstructor {
  let max = 0;
  let wholeUnits = true;
  let float32 = true;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (wholeUnits) {
      // v >= 0 is false for NaN; 1 / v is -Infinity only for -0.
      if (v >= 0 && Number.isInteger(v) && (v !== 0 || 1 / v > 0)) {
        if (v > max) max = v;
        if (v <= 0xffff) continue;
      } else {
        wholeUnits = false;
      }
    }
    if (!fitsFloat32(v)) {
      float32 = false;
      break;
    }
  }
  if (wholeUnits && max <= 0xff) return Uint8Array;
  if (wholeUnits && max <= 0xffff) return Uint16Array;
  return float32 ? Float32Array : Float64Array;
}
