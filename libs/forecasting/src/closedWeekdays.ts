/**
 * Weekdays a product does not sell on (a store closed on Sundays, a product not stocked on
 * weekends): which they are (`weekdayClosedDays`), how likely a sale is on one
 * (`closedNoSaleChance`, whose levels `conformal.ts` sets) and a model's demand moved off them onto
 * the open days (`onOpenDays`). The class read on the open days only is `classify.ts`'s.
 */
import { weekdayTallies } from './countMedian';
import type { QuantileForecast } from './types';

/** How unlikely a weekday's days without a sale must be, at the product's other weekdays' rate,
 * for `weekdayClosedDays` to read the weekday as closed. */
export const CLOSED_CHANCE = 1e-3;

/**
 * The weekdays a product does not sell on: for each weekday, its known days in the last `window`
 * days of `x` (by default the whole history) when not one of them sold and that many days without
 * a sale would come by chance less than CLOSED_CHANCE of the time at the mean of the other
 * weekdays' known days (a negative binomial with dispersion `phi`: P(0)^L, P(0) = (1 + φμ)^(−1/φ));
 * else 0. A store closed on Sundays reads the number of Sundays known; a product selling 0.3 a
 * day, whose 16 Sundays without a sale come by chance 1 time in 120, reads 0. The whole history,
 * not the last 16 weeks: the superstore's sub-categories have a weekday with almost no orders,
 * and read over 16 weeks 17 weekdays of 14 of its 68 held-out weeks were taken for closed, 3 of
 * which sold, and its scores got worse (PIT coverage 0.781 → 0.774). Indexed like `weekdayZeroShare`
 * (entry k mod 7 for step k).
 * @param x daily demand, oldest first, NaN = unknown
 * @param phi the series' dispersion (`weekdayDispersion`), >= 0
 * @param window days from the end to read (default: all of `x`)
 * @returns 7 day counts
 */
export function weekdayClosedDays(
  x: ArrayLike<number>,
  phi: number,
  window = x.length,
): Float64Array {
  const { known, sum } = weekdayTallies(x, window);
  let allKnown = 0;
  let allSum = 0;
  for (let j = 0; j < 7; j++) {
    allKnown += known[j];
    allSum += sum[j];
  }
  const f = Math.max(phi, 1e-9);
  return Float64Array.from(known, (n, j) => {
    if (n === 0 || sum[j] > 0 || allKnown === n) return 0;
    const mu = allSum / (allKnown - n);
    // log P(all n days without a sale) at the other weekdays' mean.
    const logChance = (-n * Math.log1p(f * mu)) / f;
    return logChance < Math.log(CLOSED_CHANCE) ? n : 0;
  });
}

/** Known days of one weekday, none of them with a sale, from which that weekday is read closed:
 * its probability of a sale is then at most 1 − √(12/13) ≈ 0.04 (`closedNoSaleChance`). */
export const CLOSED_MIN_DAYS = 12;

/** Whether a weekday whose `weekdayClosedDays` entry is `days` is read closed: from
 * CLOSED_MIN_DAYS known days without a sale on. The one test `closedNoSaleChance`, `onOpenDays`
 * and the race (`forecastAuto`) apply. */
export function isClosed(days: number): boolean {
  return days >= CLOSED_MIN_DAYS;
}

/**
 * The probability of no sale on a day whose weekday reads `days` in `weekdayClosedDays`: for
 * L = days ≥ CLOSED_MIN_DAYS known days, none with a sale, √(L/(L + 1)), the probability of no
 * sale that a Poisson rate with Jeffreys' prior Gamma(½, 0) gives after L days without one (the
 * posterior Gamma(½, L), whose negative binomial predictive has P(0) = (L/(L + 1))^½; 0.970 for
 * L = 16), the reading `fitShortHistory` gives a whole history without a sale; else 0 (not
 * closed). Every level up to it is 0 (`conformal.ts`, `withZeroDays`): a store closed on Sundays,
 * or a product not sold on them, otherwise kept a Sunday P90 above 0 from the models' residual
 * spread (13 units on a closed day of a product selling 100 a day), which safety stock over a
 * lead time adds up.
 * @param days the weekday's entry of `weekdayClosedDays`, >= 0
 * @returns a probability in [0, 1)
 */
export function closedNoSaleChance(days: number): number {
  return isClosed(days) ? Math.sqrt(days / (days + 1)) : 0;
}

/**
 * A model's forecast `q` with its demand moved off the closed weekdays: on a step whose weekday
 * is read closed (`closedDays`, by the step's phase, from CLOSED_MIN_DAYS on) its mean, P10 and
 * P50 are 0 (its P90 stays the model's: a closed weekday may still sell, with the probability
 * `closedNoSaleChance` leaves, and the levels above that keep the models' spread), and on the
 * open steps the mean (`q.mean`, else P50: a registry model's P50 is its mean) is
 * multiplied by the share f = Σ m / Σ_open m of the first seven steps' means m, so a week's
 * total stays the model's; each quantile's distance from the mean is multiplied by √f, as a
 * count's spread grows with the square root of its mean (a quantile of 0 stays 0: a day without
 * a sale was that likely). A model without a weekly pattern
 * (Croston, SBA, TSB, SES, Theta, a non-seasonal ETS) spreads a week's demand evenly over the
 * seven days, so a product sold on 4 of them had 3/7 of its week forecast on days it cannot
 * sell and its open days forecast at 4/7 of their rate; a model that learned the closed days
 * (seasonal ETS, seasonal naive) has f ≈ 1 and is left as it was. The first seven steps hold
 * each weekday once, whatever the horizon, so `q` must have at least max(h, 7) steps.
 * Measured (README "Weekdays a product never sells on"): on 200 generated sparse products closed
 * 1–3 weekdays, the bias of `auto`'s mean from −14 % to −7 % of demand.
 * @param q a forecast of at least max(h, 7) steps (units a day), P10 <= P50 <= P90
 * @param closedDays `weekdayClosedDays` of the history the forecast is made from (7 entries)
 * @param h steps to return
 * @returns a forecast of h steps, P10 <= P50 <= P90 and all >= 0 (`mean` where `q` has one);
 * `q`'s first h steps where no weekday is closed, none is open, or the open steps' means sum to 0
 */
export function onOpenDays(
  q: QuantileForecast,
  closedDays: ArrayLike<number>,
  h: number,
): QuantileForecast {
  const closed = (k: number) => isClosed(closedDays[k % 7]);
  const first = (a: Float64Array) => Float64Array.from(a.subarray(0, h));
  const mean = q.mean ?? q.p50;
  const out: QuantileForecast = {
    p10: first(q.p10),
    p50: first(q.p50),
    p90: first(q.p90),
    ...(q.mean ? { mean: first(q.mean) } : {}),
  };
  let all = 0;
  let open = 0;
  for (let k = 0; k < 7; k++) {
    all += mean[k];
    if (!closed(k)) open += mean[k];
  }
  if (open === all || !(open > 0)) return out;
  const share = all / open;
  const spread = Math.sqrt(share);
  const columns = [out.p10, out.p50, out.p90, ...(out.mean ? [out.mean] : [])];
  for (let k = 0; k < h; k++) {
    const m = mean[k];
    for (const a of columns) {
      if (closed(k)) a[k] = a === out.p90 ? a[k] : 0;
      else if (a[k] > 0) a[k] = Math.max(0, m * share + (a[k] - m) * spread);
    }
  }
  return out;
}
