/**
 * Scoring for `backtest` and `backtestExternal`: one fit against what happened next, the tally
 * of fits, skips and failures, and its summary per model and per demand class.
 */
import { coverage, maseScale, quantileLoss, tailShares } from './metrics';
import type {
  BacktestFit,
  BacktestReport,
  BacktestSummary,
  DemandClass,
  ForecastScore,
  QuantileForecast,
  SeriesInput,
} from './types';

/** The order demand classes are reported in. */
export const CLASSES: DemandClass[] = ['smooth', 'erratic', 'intermittent', 'lumpy'];

function summarise(
  model: string,
  fits: BacktestFit[],
  skipped: number,
  failed: number,
  external: boolean,
): BacktestSummary {
  let mase = 0;
  let ae = 0;
  let act = 0;
  let err = 0;
  let ql = 0;
  let cov = 0;
  let above = 0;
  let below = 0;
  let ms = 0;
  let fallbacks = 0;
  for (const f of fits) {
    mase += f.mase;
    ae += f.absError;
    act += f.sumActual;
    err += f.error;
    ql += f.quantileLoss;
    cov += f.coverage;
    above += f.above;
    below += f.below;
    ms += f.fitMs;
    if (f.fallback) fallbacks++;
  }
  const n = fits.length;
  return {
    model,
    fits: n,
    meanMase: n > 0 ? mase / n : NaN,
    wape: act > 0 ? ae / act : NaN,
    bias: act > 0 ? err / act : NaN,
    wql: act > 0 ? ql / act / 3 : NaN,
    coverage: n > 0 ? cov / n : NaN,
    above: n > 0 ? above / n : NaN,
    below: n > 0 ? below / n : NaN,
    meanFitMs: n > 0 ? ms / n : NaN,
    skipped,
    failed,
    // Only external models have a fallback, so statistical rows keep their old shape.
    ...(external ? { fallbacks } : {}),
  };
}

/**
 * Scores one forecast against what happened: MASE (scaled by the training part's seasonal-naive
 * MAE, naive when that is 0; NaN when both are 0), absolute errors of P50 and signed errors of
 * the expected demand (`q.mean` where given, else P50), quantile loss and
 * P10–P90 coverage and the shares above P90 / below P10 over the known days of `actual` (a missing, NaN, actual is not scored; MASE
 * is NaN when none is known). The one scoring path of `backtest` and
 * `backtestExternal`.
 */
export function scoreForecast(
  train: ArrayLike<number>,
  actual: ArrayLike<number>,
  q: QuantileForecast,
  period = 7,
): ForecastScore {
  const scale = maseScale(train, period);
  // Missing (NaN) actuals are not scored; h counts the known days.
  let h = 0;
  let absError = 0;
  let sumActual = 0;
  let error = 0;
  // The signed error is the expected demand's (the mean, where P50 is a count median): bias
  // says whether totals come out right, which medians of skewed demand are not meant to.
  const expected = q.mean ?? q.p50;
  for (let k = 0; k < actual.length; k++) {
    if (actual[k] !== actual[k]) continue;
    h++;
    absError += Math.abs(q.p50[k] - actual[k]);
    error += expected[k] - actual[k];
    sumActual += actual[k];
  }
  return {
    mase: scale > 0 && h > 0 ? absError / h / scale : NaN,
    absError,
    sumActual,
    error,
    quantileLoss: quantileLoss(actual, q),
    coverage: coverage(actual, q),
    ...tailShares(actual, q),
  };
}

export interface Cut {
  origin: number;
  train: Float64Array;
  actual: Float64Array;
  /** False when there is too little history or the MASE scale is 0: the fit is skipped. */
  scorable: boolean;
}

export interface Prepared {
  series: SeriesInput;
  demandClass: DemandClass;
  cuts: Cut[];
}

/** Fits, skips and failures as they are recorded, turned into a report at the end. */
export interface Tally {
  fits: BacktestFit[];
  skipped: Map<string, number>;
  failed: Map<string, number>;
  autoChoices: Record<string, number>;
}

export const newTally = (): Tally => ({
  fits: [],
  skipped: new Map(),
  failed: new Map(),
  autoChoices: {},
});
export const bump = (m: Map<string, number>, model: string, cls: DemandClass) =>
  m.set(`${model}|${cls}`, (m.get(`${model}|${cls}`) ?? 0) + 1);

export function record(
  tally: Tally,
  p: Prepared,
  cut: Cut,
  model: string,
  out: { q: QuantileForecast; chosen: string; fallback?: boolean },
  fitMs: number,
  period: number,
): void {
  tally.fits.push({
    seriesId: p.series.id,
    model,
    chosen: out.chosen,
    origin: cut.origin,
    demandClass: p.demandClass,
    ...scoreForecast(cut.train, cut.actual, out.q, period),
    fitMs,
    ...(out.fallback !== undefined ? { fallback: out.fallback } : {}),
  });
}

export function buildReport(
  tally: Tally,
  models: string[],
  external: ReadonlySet<string>,
  meta: { horizon: number; origins: number; series: number },
): BacktestReport {
  const { fits, skipped, failed, autoChoices } = tally;
  const count = (m: Map<string, number>, model: string, cls?: DemandClass) => {
    let c = 0;
    for (const [k, v] of m) {
      const sep = k.lastIndexOf('|');
      if (k.slice(0, sep) === model && (cls === undefined || k.slice(sep + 1) === cls)) c += v;
    }
    return c;
  };
  const byModel = models.map((m) =>
    summarise(
      m,
      fits.filter((f) => f.model === m),
      count(skipped, m),
      count(failed, m),
      external.has(m),
    ),
  );
  const byClass: BacktestReport['byClass'] = {};
  for (const cls of CLASSES) {
    const inClass = fits.filter((f) => f.demandClass === cls);
    if (inClass.length === 0) continue;
    byClass[cls] = models.map((m) =>
      summarise(
        m,
        inClass.filter((f) => f.model === m),
        count(skipped, m, cls),
        count(failed, m, cls),
        external.has(m),
      ),
    );
  }
  return { ...meta, byModel, byClass, autoChoices, fits };
}
