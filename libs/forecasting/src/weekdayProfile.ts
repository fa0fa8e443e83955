/**
 * Weekday profiles: each weekday's share of its week (multiplicative indices averaging 1), read
 * from whole weeks so a week's level cancels. `forecastAuto` spreads a week the models left flat
 * by the profile of the weeks before a level shift (`auto.ts`).
 */
import { isoDateToDay } from '@retail-forecast/util';
import { sporadicWindow } from './classify';
import { assertValidSeries } from './missing';
import { meanKnown, quantileSorted } from './numeric/stats';
import type { SeriesContext, WeekdayPrior } from './types';

const PERIOD = 7;

/** Weeks before a shift whose weekday profile `weekdayProfile` reads (at most). */
export const PROFILE_WEEKS = 52;

/**
 * F ratio a weekday profile must reach to be read (one-way analysis of variance of the days'
 * shares of their week by weekday, 6 and 7(w − 1) degrees of freedom): 3.9 is the 1 % point for
 * 4 weeks (F(6, 21)), and above it for more.
 */
const PROFILE_MIN_F = 3.9;

/**
 * The F test every weekday profile here is read and compared by: whether the 7 shares `a` differ
 * from `b` beyond a mean of `n` readings of `variance` each (n · Σ (a − b)² / 6 over the variance,
 * at least PROFILE_MIN_F). Against a flat week (b = 1) it asks whether there is a profile at all.
 */
function differs(
  a: ArrayLike<number>,
  b: ArrayLike<number> | number,
  n: number,
  variance: number,
): boolean {
  let gap = 0;
  for (let d = 0; d < PERIOD; d++) gap += (a[d] - (typeof b === 'number' ? b : b[d])) ** 2;
  return (n * gap) / (PERIOD - 1) / variance >= PROFILE_MIN_F;
}

/** Each whole week's shares of its mean (7 values averaging 1) in y[from, to), weeks aligned to
 * `to` (the last ends at `to`), newest first, at most `limit`; weeks with an unknown day, or
 * selling nothing, are left out. */
function weekShares(y: ArrayLike<number>, from: number, to: number, limit: number): Float64Array[] {
  const weeks: Float64Array[] = [];
  for (let w = 1; w <= limit && to - PERIOD * w >= from; w++) {
    const start = to - PERIOD * w;
    let sum = 0;
    let known = true;
    for (let t = start; t < start + PERIOD; t++) {
      if (y[t] !== y[t]) known = false;
      else sum += y[t];
    }
    if (!known || !(sum > 0)) continue;
    const share = new Float64Array(PERIOD);
    for (let t = start; t < start + PERIOD; t++) share[t % PERIOD] = (PERIOD * y[t]) / sum;
    weeks.push(share);
  }
  return weeks;
}

/** A weekday profile (`weekdayProfile`): each phase's share, and the variance of one week's share
 * around it (pooled over the phases). */
export interface WeekdayProfile {
  /** Indexed by phase t mod 7; averages 1; 0 on a weekday that never sold. */
  share: Float64Array;
  variance: number;
}

/**
 * The weekday profile of the whole weeks before index `end` of `y` (at most PROFILE_WEEKS of
 * them): for each phase d = t mod 7, the mean over those weeks of the day's share of its week's
 * mean (multiplicative indices, averaging 1 over the 7 phases; a week's level cancels, so a
 * trend or a move in level does not blur them). Undefined with fewer than 4 whole weeks whose
 * every day is known and whose mean is above 0, where those days are sporadic (ADI ≥ 1.32: a
 * few sales a week make no profile), or where the weekdays' shares do not differ beyond their
 * noise (one-way analysis of variance by weekday, F below PROFILE_MIN_F).
 */
export function weekdayProfile(y: ArrayLike<number>, end: number): WeekdayProfile | undefined {
  const weeks = weekShares(y, 0, end, PROFILE_WEEKS);
  const w = weeks.length;
  if (
    w < 4 ||
    sporadicWindow(y, end - PERIOD * Math.min(PROFILE_WEEKS, Math.floor(end / PERIOD)), end)
  )
    return undefined;
  const share = new Float64Array(PERIOD);
  for (const week of weeks) for (let d = 0; d < PERIOD; d++) share[d] += week[d] / w;
  let within = 0;
  for (let d = 0; d < PERIOD; d++) for (const week of weeks) within += (week[d] - share[d]) ** 2;
  const variance = within / (PERIOD * (w - 1));
  return differs(share, 1, w, variance) ? { share, variance } : undefined;
}

/**
 * Whether the whole weeks of y[start, end) (at least 2 of them) disagree with `profile` on the
 * weekdays it has open: their mean shares differ from it beyond the profile's week-to-week noise
 * (F of at least PROFILE_MIN_F on 6 degrees of freedom, as for reading a profile: at the laxer
 * 5 % point, 2.1, noise rejected the profile of 3 of `test/levelShift.test.ts`'s products whose
 * week had not changed, and of one closed on Sundays). A product whose weekly pattern changed
 * with its level keeps its models' own shape.
 */
export function profileChanged(
  y: ArrayLike<number>,
  start: number,
  end: number,
  profile: WeekdayProfile,
): boolean {
  const weeks = weekShares(y, start, end, Infinity);
  const n = weeks.length;
  if (n < 2) return false;
  const mean = new Float64Array(PERIOD);
  for (const week of weeks) for (let d = 0; d < PERIOD; d++) mean[d] += week[d] / n;
  return differs(mean, profile.share, n, Math.max(profile.variance, 1e-12));
}

/** Products with a readable week (`catalogueWeekdayPrior`) needed before a catalogue profile is
 * read at all. */
export const PRIOR_MIN_PRODUCTS = 5;

/**
 * One product's own reading of its week: by phase t mod 7, the median over its whole weeks
 * (at most PROFILE_WEEKS, newest) of the day's share of its week, scaled to average 1 (a median,
 * not a mean: a holiday or a closure in one week moves a mean share, and the models fit on
 * history cleaned of such days); and the variance of that median, π/2 × (each share's variance
 * around it over the w weeks; under 4 weeks at least 1/λ + α, the variance of a day's share
 * of a negative binomial count of mean λ (the product's daily mean) and dispersion α (the
 * catalogue's: a few weeks cannot show how much noisier than Poisson the product is)) / w (the
 * large-sample variance of a median of normal values).
 */
interface OwnReading {
  share: Float64Array;
  weeks: number;
  /** Variance of one median share (`share[d]`), pooled over the weekdays. */
  noise: number;
  /** α: the weeks' share variance beyond Poisson's 1/λ (≥ 0); NaN under 4 weeks. */
  dispersion: number;
}

function ownReading(
  y: ArrayLike<number>,
  from: number,
  to: number,
  dispersion = 0,
): OwnReading | undefined {
  const weeks = weekShares(y, from, to, PROFILE_WEEKS);
  const w = weeks.length;
  if (w === 0) return undefined;
  const share = new Float64Array(PERIOD);
  for (let d = 0; d < PERIOD; d++)
    share[d] = quantileSorted(Float64Array.from(weeks, (week) => week[d]).sort(), 0.5);
  const level = share.reduce((a, b) => a + b, 0) / PERIOD;
  if (!(level > 0)) return undefined;
  for (let d = 0; d < PERIOD; d++) share[d] /= level;
  let within = 0;
  for (let d = 0; d < PERIOD; d++) for (const week of weeks) within += (week[d] - share[d]) ** 2;
  const daily = meanKnown(y, Math.max(from, to - PERIOD * PROFILE_WEEKS), to);
  const poisson = daily > 0 ? 1 / daily : Infinity;
  const own = w > 1 ? within / (PERIOD * (w - 1)) : 0;
  // From 4 weeks (21 degrees of freedom) the weeks' own variance is read as it is: a product that
  // sells the same units every day is not Poisson-noisy.
  const variance = w >= 4 ? own : Math.max(own, poisson + dispersion);
  return {
    share,
    weeks: w,
    noise: ((Math.PI / 2) * variance) / w,
    dispersion: w >= 4 ? Math.max(0, own - poisson) : Number.NaN,
  };
}

/** Index of the first day with a sale, or `y.length`. */
function firstSale(y: ArrayLike<number>): number {
  let t = 0;
  while (t < y.length && !(y[t] > 0)) t++;
  return t;
}

/**
 * The catalogue's weekday profile: the mean, over the products with at least 4 whole weeks of
 * regular demand (not sporadic, `weekdayProfile`'s test) since their first sale, of each one's
 * mean share of its week by weekday over its last PROFILE_WEEKS weeks (each product weighs the
 * same, whatever its volume), with τ² the variance of the products' shares around it less their
 * own noise (a method-of-moments empirical Bayes estimate, as in Miller & Williams 2003,
 * "Shrinkage estimators of time series seasonal factors and their effect on forecasting
 * accuracy", IJF 19). Products are aligned on the calendar (`key(i, t)`: a weekday key of day t
 * of input i). Undefined with fewer than PRIOR_MIN_PRODUCTS such products, or where the mean
 * profile does not differ from a flat week beyond its standard error (F of at least 3.9, as
 * `weekdayProfile`'s test): a catalogue without a shared week keeps each product's own.
 * @returns `share` indexed by key 0..6, and `between` (τ²)
 */
export function catalogueWeekdayPrior(
  series: ArrayLike<number>[],
  key: (i: number, t: number) => number,
): CataloguePrior | undefined {
  return poolReadings(series.flatMap((y, i) => keyedReading(y, (t) => key(i, t)) ?? []));
}

/** A catalogue's (or a category's) weekday profile, by weekday key (`catalogueWeekdayPrior`). */
interface CataloguePrior {
  share: number[];
  between: number;
  dispersion: number;
}

/** `catalogueWeekdayPrior` of the products' readings. */
function poolReadings(readings: KeyedReading[]): CataloguePrior | undefined {
  const n = readings.length;
  if (n < PRIOR_MIN_PRODUCTS) return undefined;
  const share = Array.from({ length: PERIOD }, (_, d) =>
    readings.reduce((s, r) => s + r.share[d] / n, 0),
  );
  let spread = 0;
  for (let d = 0; d < PERIOD; d++)
    for (const r of readings) spread += (r.share[d] - share[d]) ** 2 / (PERIOD * (n - 1));
  const noise = readings.reduce((s, r) => s + r.noise / n, 0);
  if (!(spread > 0) || !differs(share, 1, n, spread)) return undefined;
  const alphas = Float64Array.from(readings, (r) => r.dispersion).sort();
  const dispersion = quantileSorted(alphas, 0.5);
  return { share, between: Math.max(0, spread - noise), dispersion };
}

/** A readable product's week by weekday key (`catalogueWeekdayPrior`). */
interface KeyedReading {
  share: Float64Array;
  noise: number;
  dispersion: number;
}

/** The week of one product with at least 4 whole weeks of regular demand since its first sale,
 * by weekday key (`key(t)` of its day t); undefined for any other. */
function keyedReading(y: ArrayLike<number>, key: (t: number) => number): KeyedReading | undefined {
  const from = firstSale(y);
  const to = y.length;
  const r = ownReading(y, from, to);
  if (!r || r.weeks < 4 || sporadicWindow(y, Math.max(from, to - PERIOD * PROFILE_WEEKS), to))
    return undefined;
  const share = new Float64Array(PERIOD);
  for (let d = 0; d < PERIOD; d++) share[key(to + d - PERIOD)] = r.share[(to + d) % PERIOD];
  return { share, noise: r.noise, dispersion: r.dispersion };
}

/**
 * Whether the products of a category too small for a profile of its own (1 to
 * PRIOR_MIN_PRODUCTS − 1 readable ones) disagree with the catalogue's: their mean week differs
 * from it beyond τ² and their noise (F of at least PROFILE_MIN_F, as `blendedProfile`'s test).
 */
function categoryDisagrees(readings: KeyedReading[], catalogue: CataloguePrior): boolean {
  const n = readings.length;
  if (n === 0) return false;
  const mean = Array.from({ length: PERIOD }, (_, d) =>
    readings.reduce((s, r) => s + r.share[d] / n, 0),
  );
  const noise = readings.reduce((s, r) => s + r.noise / n, 0);
  return differs(mean, catalogue.share, n, catalogue.between + noise);
}

/** What `withWeekdayPriors` reads of an input (a `SeriesInput` of any value type). */
interface SeriesInputLike {
  y: ArrayLike<number>;
  context?: SeriesContext;
}

/** Whether every input has a `context.startDate`, so weekdays come from the calendar
 * (`weekdayOrigin`). */
export function everyDated(inputs: SeriesInputLike[]): boolean {
  return inputs.length > 0 && inputs.every((s) => s.context?.startDate !== undefined);
}

/**
 * A day number of `s.y[0]` such that (origin + t) mod 7 is day t's weekday key, the same key for
 * the same weekday across a catalogue: its start date's day number where `dated`
 * (`everyDated`), else minus its length (the inputs are taken to end on the same day, as a run's
 * series do, through its as-of).
 */
export function weekdayOrigin(s: SeriesInputLike, dated: boolean): number {
  const day = dated ? isoDateToDay(s.context?.startDate as string) : undefined;
  return day ?? -s.y.length;
}

/** Whether `y` passes `assertValidSeries` (finite values ≥ 0 or NaN, a known day). */
function readable(y: ArrayLike<number>): boolean {
  try {
    assertValidSeries(y);
    return true;
  } catch {
    return false;
  }
}

/**
 * Each input with its catalogue's weekday profile (`catalogueWeekdayPrior`) in its context as a
 * `WeekdayPrior` in its own phases, which `forecastAuto` blends with the product's own weeks
 * where its history is young (`PRIOR_MAX_WEEKS`): its category's (`context.category`) where that
 * category reads one from its own products, else the whole catalogue's (a store's weekday
 * footfall is shared across most of its shelves) unless the category's few readable products
 * disagree with it (`categoryDisagrees`: then none, and its products keep their models' weeks). Weekdays are placed by `weekdayOrigin`. Series
 * with an invalid value (which `forecastAuto` reports) are not read. The inputs as they were
 * where no profile is read.
 */
export function withWeekdayPriors<Y extends SeriesInputLike>(inputs: Y[]): Y[] {
  const dated = everyDated(inputs);
  const origin = inputs.map((s) => weekdayOrigin(s, dated));
  const key = (i: number, t: number) => (((origin[i] + t) % PERIOD) + PERIOD) % PERIOD;
  // Each valid product's week, read once for the catalogue and for its category.
  const readings = new Map<number, KeyedReading>();
  inputs.forEach((s, i) => {
    const r = readable(s.y) ? keyedReading(s.y, (t) => key(i, t)) : undefined;
    if (r) readings.set(i, r);
  });
  type Read = (CataloguePrior & { category?: string }) | undefined;
  const catalogue: Read = poolReadings([...readings.values()]);
  const byCategory = new Map<string, KeyedReading[]>();
  for (const [i, r] of readings) {
    const c = inputs[i].context?.category;
    if (c === undefined) continue;
    const members = byCategory.get(c);
    if (members) members.push(r);
    else byCategory.set(c, [r]);
  }
  const priors = new Map<string | undefined, Read>();
  for (const [c, members] of byCategory) {
    const own = poolReadings(members);
    if (own) priors.set(c, { ...own, category: c });
    else if (catalogue && categoryDisagrees(members, catalogue)) priors.set(c, undefined);
    else priors.set(c, catalogue);
  }
  if (!catalogue && ![...priors.values()].some(Boolean)) return inputs;
  return inputs.map((s, i) => {
    const c = s.context?.category;
    const prior = c !== undefined && priors.has(c) ? priors.get(c) : catalogue;
    if (!prior) return s;
    const share = Array.from({ length: PERIOD }, (_, d) => prior.share[key(i, d)]);
    const weekdayPrior: WeekdayPrior = {
      share,
      between: prior.between,
      dispersion: prior.dispersion,
      ...(prior.category !== undefined ? { category: prior.category } : {}),
    };
    return { ...s, context: { ...s.context, weekdayPrior } };
  });
}

/** Whole weeks since the fit's start under which `forecastAuto` blends in the catalogue's
 * profile (`blendedProfile`). */
export const PRIOR_MAX_WEEKS = 26;

/**
 * The weekday profile of y[from, to) shrunk towards the catalogue's (`prior`): for each phase,
 * prior + B · (own − prior), B = τ² / (τ² + the own mean's noise), so a product with no whole
 * week takes the catalogue's, and one with many steady weeks keeps its own (empirical Bayes;
 * see `catalogueWeekdayPrior`): `share` indexed by phase t mod 7, ≥ 0, unnormalised, and
 * `ownWeight` B (0 where the product has no whole week, or none with a sale). Undefined where the
 * product's own weeks (2 or more) disagree with the catalogue's beyond both their noise and τ²
 * (Σ (own − prior)² / 6 over τ² + noise, at least PROFILE_MIN_F, as `profileChanged`), or where
 * it sold on a weekday the catalogue's profile has no share of: a product whose week is unlike
 * its catalogue's keeps its models' shape. Under 4 weeks its noise is floored at the catalogue's
 * 1/λ + the catalogue's `dispersion` α (one noisy week of a high-volume product is not its
 * week). Undefined, too, where on some weekday the product sold far more or far less than the
 * blend allows (`weekdayContradicts`): a store closed on Sundays whose new product sells on
 * Sundays, or the reverse.
 */
export function blendedProfile(
  y: ArrayLike<number>,
  from: number,
  to: number,
  prior: WeekdayPrior,
): { share: Float64Array; ownWeight: number } | undefined {
  const own = ownReading(y, from, to, prior.dispersion ?? 0);
  const usable = own !== undefined && isFinite(own.noise);
  if (usable && own.weeks >= 2 && differs(own.share, prior.share, 1, prior.between + own.noise))
    return undefined;
  const b = usable ? prior.between / (prior.between + own.noise) : 0;
  const share = Float64Array.from({ length: PERIOD }, (_, d) =>
    Math.max(0, prior.share[d] + (usable ? b * (own.share[d] - prior.share[d]) : 0)),
  );
  if (weekdayContradicts(y, from, to, share, prior)) return undefined;
  return { share, ownWeight: b };
}

/**
 * Whether on some weekday the units y[from, to) sold (its last PROFILE_WEEKS weeks) lie beyond
 * 3.29 standard deviations (1 in 1,000 two-sided) of what the blended week `share` (by phase)
 * allows: expected n_d · μ_d, μ_d = λ · 7 s_d / Σ s (λ the known days' mean), variance n_d · (μ_d
 * + α μ_d²) (negative binomial days of dispersion α) + (n_d λ)² τ² (a product's true share may lie
 * τ from the catalogue's). Any sale on a weekday with no share contradicts.
 */
function weekdayContradicts(
  y: ArrayLike<number>,
  from: number,
  to: number,
  share: ArrayLike<number>,
  prior: WeekdayPrior,
): boolean {
  const alpha = prior.dispersion ?? 0;
  const sold = new Float64Array(PERIOD);
  const days = new Float64Array(PERIOD);
  let sum = 0;
  let known = 0;
  for (let t = Math.max(from, to - PERIOD * PROFILE_WEEKS); t < to; t++) {
    if (y[t] !== y[t]) continue;
    sold[t % PERIOD] += y[t];
    days[t % PERIOD] += 1;
    sum += y[t];
    known += 1;
  }
  let total = 0;
  for (let d = 0; d < PERIOD; d++) total += share[d];
  if (!(known > 0) || !(total > 0)) return false;
  const level = sum / known;
  for (let d = 0; d < PERIOD; d++) {
    const mu = (level * PERIOD * share[d]) / total;
    if (mu === 0) {
      if (sold[d] > 0) return true;
      continue;
    }
    const n = days[d];
    const sd = Math.sqrt(n * (mu + alpha * mu * mu) + (n * level) ** 2 * prior.between);
    if (Math.abs(sold[d] - n * mu) > 3.29 * sd) return true;
  }
  return false;
}
