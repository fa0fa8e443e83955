/**
 * A product's daily series as the job holds it from load to forecast: one value per calendar day,
 * oldest first (units sold; NaN for an unknown day). A `Float32Array` (4 bytes a day) when every
 * value is exactly representable in 32 bits — whole units up to 2^24, halves, NaN — and a
 * `Float64Array` otherwise, so no value is ever rounded: reading `values[i]` gives the same
 * number from either. Numeric kernels take Float64Array; call {@link asFloat64} just before the
 * maths, per series, rather than keeping Float64 copies of a catalogue.
 */
export type SeriesValues = Float32Array | Float64Array;

/**
 * `values` as a Float64Array with the same numbers: the array itself when it already is one, a
 * new copy (8 bytes a day) when it is a Float32Array.
 */
export function asFloat64(values: SeriesValues): Float64Array {
  return values instanceof Float64Array ? values : Float64Array.from(values);
}

/** True when a float32 holds `value` exactly (NaN and ±0 included), so storing it loses nothing. */
export function fitsFloat32(value: number): boolean {
  return Math.fround(value) === value || Number.isNaN(value);
}
