import { Z90 } from '../numeric/stats';

/** Above this mean the negative binomial is read through its normal approximation. */
const DISCRETE_MAX_MEAN = 60;

/**
 * P10, P50 and P90 of a negative binomial count with mean `mu` (>= 0) and size `theta` (> 0):
 * variance `mu + mu²/theta` (Poisson as theta → ∞). Exact (the smallest count whose CDF reaches
 * the level) up to a mean of 60, the normal approximation with the same mean and variance above,
 * cut at 0. Always 0 <= p10 <= p50 <= p90, finite for finite input.
 */
export function negativeBinomialQuantiles(
  mu: number,
  theta: number,
): { p10: number; p50: number; p90: number } {
  if (!(mu > 0)) return { p10: 0, p50: 0, p90: 0 };
  if (mu > DISCRETE_MAX_MEAN) {
    const sd = Math.sqrt(mu + (mu * mu) / theta);
    return { p10: Math.max(0, mu - Z90 * sd), p50: mu, p90: mu + Z90 * sd };
  }
  const q = mu / (theta + mu);
  // log P(0) = theta·log(theta / (theta + mu)), then P(k+1) = P(k)·(k + theta)/(k + 1)·q.
  let pk = Math.exp(theta * Math.log(theta / (theta + mu)));
  let cdf = pk;
  let k = 0;
  let p10 = -1;
  let p50 = -1;
  // The 0.9 quantile of any NB with mean <= 60 is far below this bound unless theta is tiny.
  const limit = 100000;
  while (k < limit) {
    if (p10 < 0 && cdf >= 0.1) p10 = k;
    if (p50 < 0 && cdf >= 0.5) p50 = k;
    if (cdf >= 0.9) break;
    pk *= ((k + theta) / (k + 1)) * q;
    cdf += pk;
    k++;
  }
  return { p10: Math.max(p10, 0), p50: Math.max(p50, 0), p90: k };
}
