import { InvalidArgumentError } from './errors';
import type { BatchShiftOptions, BatchShiftVerdict } from './types';
import { fmt } from './validateSeries';

export const DEFAULT_BATCH_SHIFT_OPTIONS: Readonly<Required<BatchShiftOptions>> = Object.freeze({
  minProducts: 4,
  minRatio: 1.2,
  minShare: 0.8,
  minUnits: 2,
});

function total(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  return sum;
}

/**
 * Whether the answers of one multi-product request moved together, away from the statistical
 * forecast: at least `minShare` of them (and at least `minProducts`) have a horizon total at least
 * `minRatio` × (or at most 1 / `minRatio` ×) their statistical total (`reference`: the statistical
 * forecast's expected daily demand, its means where it gives them, else its P50s), all the same way, and
 * differ from it by at least `minUnits`, so that products selling almost nothing (where 1 unit
 * against 0.5 is "twice as much") do not count.
 *
 * Independent forecasts of different products disagree with the statistical engine in both
 * directions; a batch-wide shift is the signature of one instruction applied to every product
 * of the request (a prompt injection in one product's free text), or of a model that is
 * systematically biased that day. Either way the answers of that request are not independent
 * and should not be used as they are; the per-product guardrail cannot see this, because a
 * +50 % shift is well inside any one product's plausible range.
 */
export function checkBatchShift(
  items: readonly { daily: ArrayLike<number>; reference: ArrayLike<number> }[],
  options: BatchShiftOptions = {},
): BatchShiftVerdict {
  const o = { ...DEFAULT_BATCH_SHIFT_OPTIONS, ...options };
  if (!(o.minRatio > 1) || !(o.minShare > 0 && o.minShare <= 1) || !(o.minProducts >= 2)) {
    throw new InvalidArgumentError(
      `batch shift options ${JSON.stringify(o)} are not allowed (expected minRatio > 1, 0 < minShare <= 1, minProducts >= 2)`,
    );
  }
  if (items.length < o.minProducts) return { shifted: false };
  let up = 0;
  let down = 0;
  const ratios = items.map((i) => {
    const answer = total(i.daily);
    const reference = total(i.reference);
    const ratio = reference > 0 ? answer / reference : answer > 0 ? Infinity : 1;
    if (Math.abs(answer - reference) >= o.minUnits) {
      if (ratio >= o.minRatio) up++;
      else if (ratio <= 1 / o.minRatio) down++;
    }
    return ratio;
  });
  const n = ratios.length;
  const count = Math.max(up, down);
  if (count < o.minProducts || count / n < o.minShare) return { shifted: false };
  const sorted = [...ratios].sort((a, b) => a - b);
  const median = (sorted[(n - 1) >> 1] + sorted[n >> 1]) / 2;
  return {
    shifted: true,
    reason: `${count} of ${n} answers in one request are ${up >= down ? 'above' : 'below'} their statistical forecast by a factor of ${fmt(o.minRatio)} or more (median ratio ${fmt(median)}): a batch-wide shift`,
  };
}
