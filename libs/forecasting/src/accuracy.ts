import { addDays, isIsoDate } from '@retail-forecast/util';
import { degradation } from './accuracyDegradation';
import type {
  AccuracyGroup,
  AccuracyOptions,
  AccuracyPoint,
  AccuracyReport,
  ActualSeries,
  IssuedForecast,
} from './accuracyTypes';
import { InvalidOptionError } from './errors';
import { joinActuals } from './joinActuals';
import type { Scored } from './joinActuals';
import { missingProducts } from './missingProducts';
import { Pairs, addScored } from './Pairs';

/** The longest horizon a run may have (the job contract's limit). */
const MAX_HORIZON = 90;

/**
 * Joins forecasts issued on earlier as-of dates with the actuals that have arrived since and
 * scores them:
 *
 * - one day ahead: each forecast's day 1 against that day's actual: F = its P50 (the median,
 *   which absolute error rewards) for WAPE and MASE, E = its expected demand (`mean ?? p50`) for
 *   bias;
 * - horizon total: for each forecast whose whole horizon (H days) has been observed, the expected
 *   total F = E = Σ (mean ?? p50) (what `forecastedDemand` publishes) against the actual total.
 *
 * Rows without a mean (P50 is the mean, or archived before the mean was kept) score exactly as
 * P50. WAPE = Σ|F − A| / ΣA and bias = Σ(E − A) / ΣA over the forecasts of a group (product,
 * category, overall). MASE is the mean over forecasts of |F − A| / scale, where scale is the
 * in-sample MAE of the seasonal naive forecast (m = `period`) of the product's history up to the
 * forecast's own as-of (`maseScale`); a horizon total's error is divided by H·scale, so it reads
 * in the same daily units. Coverage is the share of actual days inside [P10, P90]: day 1 for one
 * day ahead, every day of the horizon for horizon totals (totals have no interval of their own).
 *
 * Forecasts issued in the `windowDays` days before `asOf` are scored; a product with no actual
 * series is not scored (unknown is not zero). The trend has one point per issuing date; the
 * degradation check compares the pooled horizon-total WAPE of the last 7 complete issuing dates
 * with the median of the daily values over the last 28 (needs `minOrigins` of them).
 * @throws InvalidOptionError for a bad as-of or option
 */
export function scoreIssuedForecasts(
  issued: readonly IssuedForecast[],
  actuals: readonly ActualSeries[],
  options: AccuracyOptions,
): AccuracyReport {
  const { asOf } = options;
  const windowDays = options.windowDays ?? 28;
  const period = options.period ?? 7;
  const factor = options.alarmFactor ?? 1.5;
  const minOrigins = options.minOrigins ?? 10;
  const missDays = options.missDays ?? 7;
  if (!isIsoDate(asOf))
    throw new InvalidOptionError(
      `asOf ${JSON.stringify(asOf)} is not a date (expected YYYY-MM-DD)`,
    );
  for (const [name, v] of [
    ['windowDays', windowDays],
    ['period', period],
    ['minOrigins', minOrigins],
    ['missDays', missDays],
  ] as const) {
    if (!Number.isInteger(v) || v < 1)
      throw new InvalidOptionError(`${name} ${v} is not allowed (expected an integer >= 1)`);
  }
  if (!(factor > 0))
    throw new InvalidOptionError(`alarmFactor ${factor} is not allowed (expected > 0)`);

  const from = addDays(asOf, -windowDays);
  const to = addDays(asOf, -1);
  const series = new Map(actuals.map((s) => [s.productId, s]));
  // Older issuing dates still feed the degradation check's 28-day median.
  const scored = joinActuals(issued, series, {
    asOf,
    from: addDays(asOf, -windowDays - MAX_HORIZON),
    to,
    period,
  });
  const inWindow = scored.filter((s) => s.origin >= from);

  const groups = new Map<
    string,
    { level: AccuracyGroup['level']; key: string; one: Pairs; total: Pairs }
  >();
  const groupOf = (level: AccuracyGroup['level'], key: string) => {
    const id = `${level}\u0000${key}`;
    let g = groups.get(id);
    if (!g) groups.set(id, (g = { level, key, one: new Pairs(), total: new Pairs() }));
    return g;
  };
  for (const s of inWindow) {
    for (const g of [
      groupOf('overall', 'all'),
      groupOf('category', s.category),
      groupOf('product', s.productId),
    ])
      addScored(g, s);
  }
  const toGroup = (g: {
    level: AccuracyGroup['level'];
    key: string;
    one: Pairs;
    total: Pairs;
  }) => ({
    level: g.level,
    key: g.key,
    oneDayAhead: g.one.metrics(),
    horizonTotal: g.total.metrics(),
  });
  const sorted = [...groups.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

  const byOrigin = new Map<string, Scored[]>();
  for (const s of scored) {
    const list = byOrigin.get(s.origin) ?? [];
    list.push(s);
    byOrigin.set(s.origin, list);
  }
  const origins = [...byOrigin.keys()].sort();
  const point = (origin: string, pairs: Pairs): AccuracyPoint => {
    const m = pairs.metrics();
    return { asOf: origin, wape: m.wape, mase: m.mase, bias: m.bias, coverage: m.coverage };
  };
  const trend = { oneDayAhead: [] as AccuracyPoint[], horizonTotal: [] as AccuracyPoint[] };
  for (const origin of origins) {
    if (origin < from) continue;
    const g = { one: new Pairs(), total: new Pairs() };
    for (const s of byOrigin.get(origin)!) addScored(g, s);
    trend.oneDayAhead.push(point(origin, g.one));
    if (g.total.actual.length > 0) trend.horizonTotal.push(point(origin, g.total));
  }

  return {
    asOf,
    window: { from, to, origins: origins.filter((o) => o >= from).length },
    overall: toGroup(groupOf('overall', 'all')),
    categories: sorted.filter((g) => g.level === 'category').map(toGroup),
    products: sorted.filter((g) => g.level === 'product').map(toGroup),
    trend,
    degradation: degradation(byOrigin, { factor, minOrigins }),
    missing: missingProducts(scored, asOf, missDays),
  };
}
