/**
 * Fourier terms of the yearly cycle (dynamic harmonic regression, Hyndman & Athanasopoulos,
 * FPP3 §10.5 and §12.1): sin(2πkt/365.25) and cos(2πkt/365.25), k = 1..K. A few smooth pairs
 * carry a yearly shape with few parameters, which 365 seasonal dummies or a seasonal ARIMA at
 * lag 365 cannot.
 */

/** Mean length of the Gregorian year in days. */
export const YEAR_DAYS = 365.25;
/** Yearly terms are built only from two full years of history: one year cannot tell a yearly
 * shape from a trend or a one-off. */
export const FOURIER_MIN_DAYS = 730;
/** The most pairs offered to the model (which keeps 0..K of them by AICc). Small: each pair adds
 * two parameters, and the weekly pattern is the ARIMA part's job. */
export const MAX_FOURIER_K = 3;

/** `fourier:sin<k>` / `fourier:cos<k>`. */
export const fourierName = (kind: 'sin' | 'cos', k: number): string => `fourier:${kind}${k}`;

/**
 * Columns sin1, cos1, …, sinK, cosK for `length` days from day number `firstDay` (days since
 * 1970-01-01). The phase is measured from the epoch, not from the series' start, so every series
 * and every window sees the same value on the same date.
 */
export function fourierColumns(
  firstDay: number,
  length: number,
  K: number,
): { names: string[]; columns: Float64Array[] } {
  const names: string[] = [];
  const columns: Float64Array[] = [];
  for (let k = 1; k <= K; k++) {
    const sin = new Float64Array(length);
    const cos = new Float64Array(length);
    for (let t = 0; t < length; t++) {
      const angle = (2 * Math.PI * k * (firstDay + t)) / YEAR_DAYS;
      sin[t] = Math.sin(angle);
      cos[t] = Math.cos(angle);
    }
    names.push(fourierName('sin', k), fourierName('cos', k));
    columns.push(sin, cos);
  }
  return { names, columns };
}
