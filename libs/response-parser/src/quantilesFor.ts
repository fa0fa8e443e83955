import type { Quantiles } from '@retail-forecast/forecasting';
import type { ParsedForecast } from './types';

/**
 * Quantiles for an accepted model answer. When the model gave only a median, the interval is
 * borrowed from the statistical forecast: each day's p10/p90 keep the statistical forecast's ratio
 * to its own centre (its `mean` where it gives one, else its p50) around the model's median (so a model twice as high gets an interval twice as
 * wide); on days where the statistical p50 is 0 the absolute widths are used instead. Values are
 * clamped at 0 and ordered p10 <= p50 <= p90 either way.
 */
export function quantilesFor(
  forecast: ParsedForecast,
  statistical: Quantiles,
): Quantiles<number[]> {
  const h = forecast.daily.length;
  const p10: number[] = new Array(h);
  const p50: number[] = new Array(h);
  const p90: number[] = new Array(h);
  for (let k = 0; k < h; k++) {
    const m = Math.max(0, forecast.daily[k]);
    let lo: number;
    let hi: number;
    if (forecast.p10 && forecast.p90) {
      lo = forecast.p10[k];
      hi = forecast.p90[k];
    } else {
      // Days past the end of a shorter reference get a zero-width interval. The reference's
      // centre is its mean where it has one (a count series' P50 is a median, often 0).
      const s50 = (statistical.mean ?? statistical.p50)[k] ?? 0;
      const s10 = statistical.p10[k] ?? s50;
      const s90 = statistical.p90[k] ?? s50;
      if (s50 > 0) {
        lo = (m * s10) / s50;
        hi = (m * s90) / s50;
      } else {
        lo = m - (s50 - s10);
        hi = m + (s90 - s50);
      }
    }
    p50[k] = m;
    p10[k] = Math.min(m, Math.max(0, lo));
    p90[k] = Math.max(m, hi);
  }
  return { p10, p50, p90 };
}
