import { addDays, daysBetween, isIsoDate } from '@retail-forecast/util';
import { InvalidOptionError } from './errors';
import { bias, coverage, mase, wape } from './metrics';

/** One product and day of a forecast issued on an earlier as-of date (an archived row). */
export interface IssuedForecast {
  productId: string;
  /** YYYY-MM-DD: the issuing run's last day of history. */
  asOf: string;
  /** 1 = the day after asOf. */
  horizonDay: number;
  p10: number;
  p50: number;
  p90: number;
}

/** What has actually sold: a product's daily series through the scoring run's as-of. */
export interface ActualSeries {
  productId: string;
  category?: string;
  /** YYYY-MM-DD of values[0]. */
  startDate: string;
  /** Daily units, startDate through the scoring as-of inclusive. */
  values: Float64Array;
}

export interface AccuracyOptions {
  /** YYYY-MM-DD: the scoring run's as-of; actuals are known through this day. */
  asOf: string;
  /** Forecasts issued in the last `windowDays` days are scored; default 28. */
  windowDays?: number;
  /** Seasonal period of the MASE scale; default 7. */
  period?: number;
  /** `degraded` when last week's horizon-total WAPE exceeds factor × its median; default 1.5. */
  alarmFactor?: number;
  /** Complete-horizon origins the comparison needs; default 10. */
  minOrigins?: number;
  /** Days whose one-day-ahead interval is checked for `missing`; default 7. */
  missDays?: number;
}

/** Realized accuracy of a set of forecasts; null where undefined (no demand, flat history). */
export interface AccuracyMetrics {
  /** Forecasts scored (products × issuing dates). */
  forecasts: number;
  /** Σ|F − A| / Σ A. */
  wape: number | null;
  /** Mean over forecasts of MASE against the in-sample seasonal-naive MAE at issue time. */
  mase: number | null;
  /** Σ(F − A) / Σ A; positive = over-forecast. */
  bias: number | null;
  /** Share of actual days inside [P10, P90]. */
  coverage: number | null;
}

export interface AccuracyGroup {
  level: 'product' | 'category' | 'overall';
  /** Product id, category name (`(none)` when unknown) or `all`. */
  key: string;
  /** Each forecast's first day against that day's actual. */
  oneDayAhead: AccuracyMetrics;
  /** Each fully observed forecast's horizon total against the actual total. */
  horizonTotal: AccuracyMetrics;
}

/** One issuing date's overall accuracy (a point of the accuracy trend). */
export interface AccuracyPoint {
  /** YYYY-MM-DD the forecasts were issued on. */
  asOf: string;
  wape: number | null;
  mase: number | null;
  bias: number | null;
  coverage: number | null;
}

export interface AccuracyDegradation {
  /** Pooled horizon-total WAPE of the last 7 complete issuing dates. */
  lastWeekWape: number | null;
  /** Median of the daily horizon-total WAPE over the last 28 complete issuing dates. */
  medianWape: number | null;
  factor: number;
  /** Complete issuing dates in the 28-day window. */
  origins: number;
  degraded: boolean;
  /** Why no comparison was made, when none was. */
  reason?: string;
}

/** A product whose actuals keep falling outside its forecast interval. */
export interface MissingProduct {
  productId: string;
  /** Days (of `days`) with the actual outside the one-day-ahead [P10, P90]. */
  outside: number;
  days: number;
}

export interface AccuracyReport {
  asOf: string;
  /** Issuing dates scored: first and last, and how many had forecasts. */
  window: { from: string; to: string; origins: number };
  overall: AccuracyGroup;
  categories: AccuracyGroup[];
  products: AccuracyGroup[];
  trend: { oneDayAhead: AccuracyPoint[]; horizonTotal: AccuracyPoint[] };
  degradation: AccuracyDegradation;
  missing: MissingProduct[];
}

/** The pairs one group collects; metrics come from `metrics.ts` over them. */
class Pairs {
  readonly actual: number[] = [];
  readonly forecast: number[] = [];
  /** Days for coverage (the first day, or every day of the horizon). */
  readonly dayActual: number[] = [];
  readonly dayP10: number[] = [];
  readonly dayP50: number[] = [];
  readonly dayP90: number[] = [];
  readonly mase: number[] = [];

  metrics(): AccuracyMetrics {
    const finite = (v: number) => (Number.isFinite(v) ? v : null);
    const scaled = this.mase.filter(Number.isFinite);
    return {
      forecasts: this.actual.length,
      wape: finite(wape(this.actual, this.forecast)),
      mase: scaled.length > 0 ? scaled.reduce((a, b) => a + b, 0) / scaled.length : null,
      bias: finite(bias(this.actual, this.forecast)),
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

interface Scored {
  productId: string;
  category: string;
  origin: string;
  oneDay: { a: number; f: number; p10: number; p90: number; mase: number };
  /** Present when the whole horizon has been observed. */
  total?: {
    a: number;
    f: number;
    mase: number;
    days: { a: number; p10: number; p50: number; p90: number }[];
  };
}

const NO_CATEGORY = '(none)';
/** The longest horizon a run may have (the job contract's limit). */
const MAX_HORIZON = 90;

/**
 * Joins forecasts issued on earlier as-of dates with the actuals that have arrived since and
 * scores them:
 *
 * - one day ahead: each forecast's day 1 (P50) against that day's actual;
 * - horizon total: for each forecast whose whole horizon (H days) has been observed, the P50 total
 *   against the actual total.
 *
 * WAPE = Σ|F − A| / ΣA and bias = Σ(F − A) / ΣA over the forecasts of a group (product,
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
      add(g, s);
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
    for (const s of byOrigin.get(origin)!) add(g, s);
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

function add(g: { one: Pairs; total: Pairs }, s: Scored): void {
  const o = s.oneDay;
  g.one.actual.push(o.a);
  g.one.forecast.push(o.f);
  g.one.dayActual.push(o.a);
  g.one.dayP10.push(o.p10);
  g.one.dayP50.push(o.f);
  g.one.dayP90.push(o.p90);
  g.one.mase.push(o.mase);
  if (s.total) {
    g.total.actual.push(s.total.a);
    g.total.forecast.push(s.total.f);
    g.total.mase.push(s.total.mase);
    for (const d of s.total.days) {
      g.total.dayActual.push(d.a);
      g.total.dayP10.push(d.p10);
      g.total.dayP50.push(d.p50);
      g.total.dayP90.push(d.p90);
    }
  }
}

/** One entry per (product, issuing date) in [from, to] whose first day has been observed. */
function joinActuals(
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
      const f = days.reduce((t, d) => t + d.p50, 0);
      scored.total = { a, f, days, mase: mase([a], [f], train, o.period) / h };
    }
    out.push(scored);
  }
  return out;
}

function degradation(
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
    for (const origin of origins) for (const s of byOrigin.get(origin)!) add(g, s);
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

/**
 * Products whose actual fell outside the one-day-ahead [P10, P90] on more than half of the last
 * `days` days, with at least half of those days scored; most misses first.
 */
function missingProducts(scored: Scored[], asOf: string, days: number): MissingProduct[] {
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
