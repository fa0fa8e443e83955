import { z } from 'zod';
import { InvalidArgumentError } from './errors';
import type { ParsedForecast, RejectionCode } from './types';

export type Checked<T> =
  { ok: true; value: T } | { ok: false; reason: string; code: RejectionCode };

const reject = (reason: string, code: RejectionCode) => ({ ok: false as const, reason, code });

/** Short description of a JSON value for a reason string. */
export function describe(v: unknown): string {
  if (v === undefined) return 'missing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string')
    return `a string (${JSON.stringify(v.length > 20 ? `${v.slice(0, 20)}…` : v)})`;
  if (typeof v === 'number' || typeof v === 'boolean') return `${typeof v} ${String(v)}`;
  return `an ${typeof v}`;
}

/** Number for a reason string: short, and stable across runs. */
export function fmt(v: number): string {
  return String(Math.round(v * 1000) / 1000);
}

/**
 * One forecast series: exactly `horizon` finite non-negative JSON numbers. Numeric strings
 * ("5") are rejected on purpose: the contract asks for numbers, and a model that starts
 * quoting them has drifted from it, which the `schema` count should show.
 * `null` counts as not finite because it is what JSON.stringify makes of NaN.
 */
export function checkSeries(
  name: string,
  v: unknown,
  horizon: number,
  clampNegative = false,
): Checked<number[]> {
  if (!Array.isArray(v)) return reject(`${name} is ${describe(v)}, expected an array`, 'schema');
  if (v.length !== horizon)
    return reject(`${name} has ${v.length} values, expected ${horizon}`, 'wrong_length');
  const out: number[] = [];
  for (let i = 0; i < v.length; i++) {
    const x: unknown = v[i];
    if (x === null) return reject(`${name}[${i}] is null`, 'not_finite');
    if (typeof x !== 'number')
      return reject(`${name}[${i}] is ${describe(x)}, expected a number`, 'schema');
    if (!Number.isFinite(x)) return reject(`${name}[${i}] is not finite (${x})`, 'not_finite');
    if (x < 0 && !clampNegative) return reject(`${name}[${i}] is negative (${fmt(x)})`, 'negative');
    out.push(x <= 0 ? 0 : x); // also folds -0 into 0
  }
  return { ok: true, value: out };
}

/** Median and optional quantiles of one product, checked and ordered p10 <= daily <= p90. */
export function checkForecast(
  productId: string,
  raw: { daily: unknown; p10?: unknown; p90?: unknown },
  horizon: number,
  clampNegative = false,
): Checked<ParsedForecast> {
  const daily = checkSeries('daily', raw.daily, horizon, clampNegative);
  if (!daily.ok) return daily;
  const forecast: ParsedForecast = { productId, daily: daily.value };
  for (const q of ['p10', 'p90'] as const) {
    // Quantiles are optional; `null` is read as "not given" rather than as a bad series.
    if (raw[q] === undefined || raw[q] === null) continue;
    const series = checkSeries(q, raw[q], horizon, clampNegative);
    if (!series.ok) return series;
    forecast[q] = series.value;
  }
  for (let i = 0; i < horizon; i++) {
    const d = forecast.daily[i];
    if (forecast.p10 && forecast.p10[i] > d) {
      return reject(`p10[${i}] ${fmt(forecast.p10[i])} > median ${fmt(d)}`, 'quantile_order');
    }
    if (forecast.p90 && forecast.p90[i] < d) {
      return reject(`p90[${i}] ${fmt(forecast.p90[i])} < median ${fmt(d)}`, 'quantile_order');
    }
  }
  return { ok: true, value: forecast };
}

/** The answer contract's outer shape; the series are checked by hand for precise reasons. */
export const AnswerSchema = z.object({ forecasts: z.array(z.unknown()) });
export const EntrySchema = z.object({ product_id: z.string().min(1) }).loose();

export function checkHorizon(horizon: number): void {
  if (!Number.isInteger(horizon) || horizon < 1) {
    throw new InvalidArgumentError(
      `horizon ${String(horizon)} is not allowed (expected an integer >= 1)`,
    );
  }
}

export function unique(ids: readonly string[]): string[] {
  return [...new Set(ids)];
}
