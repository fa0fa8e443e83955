import type { AccuracyMetrics } from './accuracyTypes';
import type { Scored } from './joinActuals';
import { bias, coverage, wape } from './metrics';

/**
 * The (actual, forecast) pairs one group collects, in daily units; metrics come from `metrics.ts`
 * over them. `actual`/`forecast`/`expected`/`mase` hold one entry per forecast, the `day*` arrays
 * one per day checked for coverage.
 */
export class Pairs {
  readonly actual: number[] = [];
  /** The point scored by WAPE and MASE (day 1's P50, or the expected horizon total). */
  readonly forecast: number[] = [];
  /** The expected demand scored by bias (`mean ?? p50`, or the expected horizon total). */
  readonly expected: number[] = [];
  /** Days for coverage (the first day, or every day of the horizon). */
  readonly dayActual: number[] = [];
  readonly dayP10: number[] = [];
  readonly dayP50: number[] = [];
  readonly dayP90: number[] = [];
  readonly mase: number[] = [];

  /** WAPE, mean MASE, bias and [P10, P90] coverage of the pairs; null where undefined. */
  metrics(): AccuracyMetrics {
    const finite = (v: number) => (Number.isFinite(v) ? v : null);
    const scaled = this.mase.filter(Number.isFinite);
    return {
      forecasts: this.actual.length,
      wape: finite(wape(this.actual, this.forecast)),
      mase: scaled.length > 0 ? scaled.reduce((a, b) => a + b, 0) / scaled.length : null,
      bias: finite(bias(this.actual, this.expected)),
      coverage: finite(
        coverage(this.dayActual, {
          p10: Float64Array.from(this.dayP10),
          p50: Float64Array.from(this.dayP50),
          p90: Float64Array.from(this.dayP90),
        }),
      ),
    };
  }
}

/**
 * Adds one joined forecast to a group's pairs: its day 1 to `one`, its horizon total and every
 * day of the horizon (when fully observed) to `total`.
 */
export function addScored(g: { one: Pairs; total: Pairs }, s: Scored): void {
  const o = s.oneDay;
  g.one.actual.push(o.a);
  g.one.forecast.push(o.f);
  g.one.expected.push(o.e);
  g.one.dayActual.push(o.a);
  g.one.dayP10.push(o.p10);
  g.one.dayP50.push(o.f);
  g.one.dayP90.push(o.p90);
  g.one.mase.push(o.mase);
  if (s.total) {
    g.total.actual.push(s.total.a);
    g.total.forecast.push(s.total.f);
    g.total.expected.push(s.total.f);
    g.total.mase.push(s.total.mase);
    for (const d of s.total.days) {
      g.total.dayActual.push(d.a);
      g.total.dayP10.push(d.p10);
      g.total.dayP50.push(d.p50);
      g.total.dayP90.push(d.p90);
    }
  }
}
