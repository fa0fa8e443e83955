import { addDays } from '@retail-forecast/util';
import type { MissingProduct } from './accuracyTypes';
import type { Scored } from './joinActuals';

/**
 * Products whose actual fell outside the one-day-ahead [P10, P90] on more than half of the last
 * `days` days before `asOf` (YYYY-MM-DD), with at least half of those days scored; most misses
 * first.
 */
export function missingProducts(scored: Scored[], asOf: string, days: number): MissingProduct[] {
  const since = addDays(asOf, -days);
  const tally = new Map<string, { outside: number; days: number }>();
  for (const s of scored) {
    if (s.origin < since) continue;
    const t = tally.get(s.productId) ?? { outside: 0, days: 0 };
    t.days++;
    if (s.oneDay.a < s.oneDay.p10 || s.oneDay.a > s.oneDay.p90) t.outside++;
    tally.set(s.productId, t);
  }
  return [...tally.entries()]
    .filter(([, t]) => t.days * 2 >= days && t.outside * 2 > t.days)
    .map(([productId, t]) => ({ productId, ...t }))
    .sort((a, b) => b.outside - a.outside || (a.productId < b.productId ? -1 : 1));
}
