import { addDays } from '@retail-forecast/util';
import type { AccuracyDegradation } from './accuracyTypes';
import type { Scored } from './joinActuals';
import { Pairs, addScored } from './Pairs';

/**
 * Compares the pooled horizon-total WAPE of the last 7 complete issuing dates with `factor` × the
 * median of the daily horizon-total WAPE over the last 28 (`byOrigin`: joined forecasts by issuing
 * date, YYYY-MM-DD). Needs `minOrigins` complete dates in those 28; says why when it has fewer.
 */
export function degradation(
  byOrigin: Map<string, Scored[]>,
  o: { factor: number; minOrigins: number },
): AccuracyDegradation {
  const complete = [...byOrigin.keys()]
    .filter((origin) => byOrigin.get(origin)!.some((s) => s.total))
    .sort();
  const none = (reason: string, origins: number): AccuracyDegradation => ({
    lastWeekWape: null,
    medianWape: null,
    factor: o.factor,
    origins,
    degraded: false,
    reason,
  });
  if (complete.length === 0) return none('no forecast has been fully observed yet', 0);
  const last = complete[complete.length - 1];
  const window = complete.filter((d) => d >= addDays(last, -27));
  if (window.length < o.minOrigins)
    return none(
      `${window.length} fully observed issuing dates in the last 28 (needs ${o.minOrigins})`,
      window.length,
    );
  const pooled = (origins: string[]) => {
    const g = { one: new Pairs(), total: new Pairs() };
    for (const origin of origins) for (const s of byOrigin.get(origin)!) addScored(g, s);
    return g.total.metrics().wape;
  };
  const daily = window.map((d) => pooled([d])).filter((w): w is number => w !== null);
  const medianWape = median(daily);
  const lastWeekWape = pooled(window.filter((d) => d >= addDays(last, -6)));
  return {
    lastWeekWape,
    medianWape,
    factor: o.factor,
    origins: window.length,
    degraded:
      lastWeekWape !== null &&
      medianWape !== null &&
      medianWape > 0 &&
      lastWeekWape > o.factor * medianWape,
  };
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}
