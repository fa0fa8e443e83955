import { daysBetween } from '@retail-forecast/util';
import type { ActualSeries, IssuedForecast } from './accuracyTypes';
import { mase } from './metrics';

/**
 * One (product, issuing date) forecast joined with its actuals (daily units): day 1 always, the
 * whole horizon once it has been observed. `mase` values are already scaled (see `joinActuals`).
 * `a` is the actual; day 1's `f` is its P50 and `e` its expected demand (`mean ?? p50`); the
 * total's `f` is the expected total Σ (mean ?? p50), the figure a 7-day total stands for.
 */
export interface Scored {
  productId: string;
  category: string;
  origin: string;
  oneDay: { a: number; f: number; e: number; p10: number; p90: number; mase: number };
  /** Present when the whole horizon has been observed. */
  total?: {
    a: number;
    f: number;
    mase: number;
    days: { a: number; p10: number; p50: number; p90: number }[];
  };
}

const NO_CATEGORY = '(none)';

/** A day's expected demand: its mean where the P50 is a count median, else its P50. */
const expected = (f: IssuedForecast) => f.mean ?? f.p50;

/**
 * Joins archived forecast rows with the actual series: one entry per (product, issuing date) in
 * [`from`, `to`] (YYYY-MM-DD) whose first day has been observed by `asOf`. Products without a
 * series are left out (unknown is not zero). MASE scales by the in-sample seasonal-naive MAE
 * (m = `period` days) of the history through the issuing date; a horizon total's by H × that.
 */
export function joinActuals(
  issued: readonly IssuedForecast[],
  series: Map<string, ActualSeries>,
  o: { asOf: string; from: string; to: string; period: number },
): Scored[] {
  const byKey = new Map<string, IssuedForecast[]>();
  for (const f of issued) {
    if (f.asOf < o.from || f.asOf > o.to || !series.has(f.productId)) continue;
    const key = `${f.productId}\u0000${f.asOf}`;
    const list = byKey.get(key) ?? [];
    list.push(f);
    byKey.set(key, list);
  }
  const out: Scored[] = [];
  for (const rows of byKey.values()) {
    rows.sort((a, b) => a.horizonDay - b.horizonDay);
    const { productId, asOf: origin } = rows[0];
    const s = series.get(productId)!;
    const originIndex = daysBetween(s.startDate, origin);
    const actualAt = (k: number) => {
      const i = originIndex + k;
      return i < 0 ? 0 : s.values[i];
    };
    const known = daysBetween(origin, o.asOf);
    const first = rows[0];
    if (first.horizonDay !== 1 || known < 1) continue;
    const train = s.values.subarray(0, Math.max(0, originIndex + 1));
    const a1 = actualAt(1);
    const scored: Scored = {
      productId,
      category: s.category ?? NO_CATEGORY,
      origin,
      oneDay: {
        a: a1,
        f: first.p50,
        e: expected(first),
        p10: first.p10,
        p90: first.p90,
        mase: mase([a1], [first.p50], train, o.period),
      },
    };
    const h = rows.length;
    const consecutive = rows.every((r, i) => r.horizonDay === i + 1);
    if (consecutive && h <= known) {
      const days = rows.map((r) => ({
        a: actualAt(r.horizonDay),
        p10: r.p10,
        p50: r.p50,
        p90: r.p90,
      }));
      const a = days.reduce((t, d) => t + d.a, 0);
      const f = rows.reduce((t, r) => t + expected(r), 0);
      scored.total = { a, f, days, mase: mase([a], [f], train, o.period) / h };
    }
    out.push(scored);
  }
  return out;
}
