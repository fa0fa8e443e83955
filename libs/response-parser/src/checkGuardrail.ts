import type { SeriesValues } from '@retail-forecast/util';
import { InvalidArgumentError } from './errors';
import type { GuardrailOptions, GuardrailVerdict } from './types';
import { fmt } from './validateSeries';

export const DEFAULT_GUARDRAIL_OPTIONS: Readonly<Required<GuardrailOptions>> = Object.freeze({
  maxRatioToP90: 3,
  maxRatioToMaxWeek: 2,
  minAbsoluteUnits: 5,
  rejectAllZero: true,
  recentWeeksWithSales: 4,
});

function total(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  return sum;
}

/** Largest sum of `window` consecutive days; a shorter history is scaled up to the window. */
function maxRollingSum(history: SeriesValues, window: number): number {
  if (history.length === 0) return 0;
  if (history.length < window) return (total(history) * window) / history.length;
  let sum = total(history.subarray(0, window));
  let best = sum;
  for (let i = window; i < history.length; i++) {
    sum += history[i] - history[i - window];
    if (sum > best) best = sum;
  }
  return best;
}

function everyRecentWeekSold(history: SeriesValues, weeks: number): boolean {
  if (weeks < 1 || history.length < weeks * 7) return false;
  for (let w = 0; w < weeks; w++) {
    const end = history.length - 7 * w;
    if (total(history.subarray(end - 7, end)) <= 0) return false;
  }
  return true;
}

function checkLengths(
  daily: ArrayLike<number>,
  ref: { p50: ArrayLike<number>; p90: ArrayLike<number>; mean?: ArrayLike<number> },
): void {
  if (
    daily.length === 0 ||
    ref.p50.length !== daily.length ||
    ref.p90.length !== daily.length ||
    (ref.mean !== undefined && ref.mean.length !== daily.length)
  ) {
    const mean = ref.mean !== undefined ? `, mean ${ref.mean.length}` : '';
    throw new InvalidArgumentError(
      `guardrail series lengths differ: candidate ${daily.length}, p50 ${ref.p50.length}, p90 ${ref.p90.length}${mean} (expected equal and > 0)`,
    );
  }
}

/**
 * Second opinion on a model forecast against the statistical one, kept conservative because
 * a rejection means falling back, not fixing the number:
 * - too high: the horizon total is at least `minAbsoluteUnits` and above both
 *   `maxRatioToP90 ×` the statistical P90 total and `maxRatioToMaxWeek ×` the largest
 *   historical rolling sum over the same number of days;
 * - too low: an all-zero forecast while the statistical expected total (the sum of
 *   `reference.mean` when given — a count series' P50s are medians —, else of its P50s) is at
 *   least `minAbsoluteUnits` and each of the last `recentWeeksWithSales` weeks sold something.
 * Anything else passes, including small totals and forecasts merely below the statistical P10.
 */
export function checkGuardrail(
  candidate: { daily: ArrayLike<number> },
  reference: { p50: ArrayLike<number>; p90: ArrayLike<number>; mean?: ArrayLike<number> },
  history: SeriesValues,
  options: GuardrailOptions = {},
): GuardrailVerdict {
  const o = { ...DEFAULT_GUARDRAIL_OPTIONS, ...options };
  checkLengths(candidate.daily, reference);
  const h = candidate.daily.length;
  const sum = total(candidate.daily);

  if (sum >= o.minAbsoluteUnits) {
    const p90Total = total(reference.p90);
    const maxWindow = maxRollingSum(history, h);
    if (sum > o.maxRatioToP90 * p90Total && sum > o.maxRatioToMaxWeek * maxWindow) {
      return {
        ok: false,
        code: 'implausibly_high',
        reason: `${h}-day total ${fmt(sum)} > ${fmt(o.maxRatioToP90)} × statistical P90 total ${fmt(p90Total)} and > ${fmt(o.maxRatioToMaxWeek)} × max historical ${h}-day sum ${fmt(maxWindow)}`,
      };
    }
  }

  if (o.rejectAllZero && sum === 0) {
    // The expected total: the daily means where the reference has them (a count series' P50s are
    // medians, and their sum understates sparse demand), else the P50s.
    const expected = total(reference.mean ?? reference.p50);
    const what = reference.mean ? 'expected' : 'P50';
    if (expected >= o.minAbsoluteUnits && everyRecentWeekSold(history, o.recentWeeksWithSales)) {
      return {
        ok: false,
        code: 'implausibly_low',
        reason: `${h}-day total 0 while statistical ${what} total is ${fmt(expected)} and each of the last ${o.recentWeeksWithSales} weeks sold`,
      };
    }
  }
  return { ok: true };
}
