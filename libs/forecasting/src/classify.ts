import type { DemandClass } from './types';

/** Syntetos–Boylan–Croston cut-offs (Syntetos, Boylan & Croston 2005). */
export const ADI_CUTOFF = 1.32;
export const CV2_CUTOFF = 0.49;

export interface DemandStats {
  /** Average inter-demand interval: known days per day with demand (Infinity when none). */
  adi: number;
  /** Squared coefficient of variation of the non-zero demand sizes. */
  cv2: number;
  /** Days with demand > 0. */
  demandDays: number;
}

/** ADI and CV² of a daily series; missing (NaN) days are neither demand nor zero days. */
export function demandStats(y: ArrayLike<number>): DemandStats {
  let count = 0;
  let s = 0;
  let s2 = 0;
  let known = 0;
  for (let i = 0; i < y.length; i++) {
    const v = y[i];
    if (v === v) known++;
    if (v > 0) {
      count++;
      s += v;
      s2 += v * v;
    }
  }
  if (count === 0) return { adi: Infinity, cv2: 0, demandDays: 0 };
  const m = s / count;
  const variance = count > 1 ? Math.max(0, (s2 - count * m * m) / (count - 1)) : 0;
  return { adi: known / count, cv2: variance / (m * m), demandDays: count };
}

/**
 * Syntetos–Boylan class from ADI and CV²: smooth (regular, stable sizes), erratic (regular,
 * variable sizes), intermittent (sporadic, stable sizes), lumpy (sporadic, variable sizes).
 * A history without any demand counts as intermittent.
 */
export function classifyDemand(y: ArrayLike<number>): DemandClass {
  const { adi, cv2 } = demandStats(y);
  const sporadic = adi >= ADI_CUTOFF;
  const variable = cv2 >= CV2_CUTOFF;
  if (sporadic) return variable ? 'lumpy' : 'intermittent';
  return variable ? 'erratic' : 'smooth';
}
