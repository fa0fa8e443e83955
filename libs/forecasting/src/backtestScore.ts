/**
 * Scoring for `backtest` and `backtestExternal`: one fit against what happened next, the tally
 * of fits, skips and failures, and its summary per model and per demand class; and the merge of
 * separate backtests' reports (`mergeBacktestReports`) with the same summary.
 */
import { InvalidOptionError } from './errors';
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
  withFallback: boolean,
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
    // Only models with a fallback count them; elsewhere the count does not apply.
    ...(withFallback ? { fallbacks } : {}),
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
  /** The series' class as `forecastAuto` reads it at the end of the data (`currentDemandClass`
   * of the whole series), the group its fits are reported in. */
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
  withFallback: ReadonlySet<string>,
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
      withFallback.has(m),
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
        withFallback.has(m),
      ),
    );
  }
  return { ...meta, byModel, byClass, autoChoices, fits };
}

/**
 * Reports of separate backtests of the same protocol (horizon, origins and models, in the same
 * order; e.g. one per window or per catalogue part) as one report: their fits together, in report
 * order, and every row (`byModel`, and `byClass` for each class some report has) summarised over
 * them as `backtest` summarises its own fits:
 * - `meanMase`, `coverage`, `above`, `below`, `meanFitMs`: means over all the fits (so weighted by
 *   fits, not by report);
 * - `wape`, `bias`, `wql`: pooled, sum of absolute errors, errors or quantile losses over the sum
 *   of actuals of all the fits;
 * - `skipped`, `failed`: the reports' counts added; `fallbacks` (a row with fallbacks in some
 *   report): counted over the fits; `series` and `autoChoices` added.
 * For models that forecast each series on its own (every registry model; not `auto`'s catalogue
 * steps nor the global model, which see their whole backtest's catalogue) the result equals one
 * backtest over all the reports' series, fit for fit, but for the fit times. A class none of
 * whose fits in a report was scored is not in that report's `byClass`, so its skips there are
 * counted in `byModel` only.
 * @throws InvalidOptionError when `reports` is empty, or a report's horizon, origins or models
 * differ from the first's (naming both)
 */
export function mergeBacktestReports(reports: readonly BacktestReport[]): BacktestReport {
  const [first] = reports;
  if (!first) throw new InvalidOptionError('no backtest reports to merge (expected at least one)');
  const models = first.byModel.map((r) => r.model);
  for (const [i, r] of reports.entries()) {
    const theirs = r.byModel.map((m) => m.model);
    if (
      r.horizon !== first.horizon ||
      r.origins !== first.origins ||
      theirs.join() !== models.join()
    ) {
      throw new InvalidOptionError(
        `backtest report ${i + 1} has h = ${r.horizon}, ${r.origins} origins, models ${theirs.join(',')} (expected those of report 1: h = ${first.horizon}, ${first.origins} origins, models ${models.join(',')})`,
      );
    }
  }
  const fits = reports.flatMap((r) => r.fits);
  const rows = (
    rowsOf: (r: BacktestReport) => BacktestSummary[] | undefined,
    inRow: (f: BacktestFit) => boolean,
  ): BacktestSummary[] => {
    const present = reports.map(rowsOf).filter((x): x is BacktestSummary[] => x !== undefined);
    return models.map((model) => {
      const same = present.map((r) => r.find((x) => x.model === model) as BacktestSummary);
      const add = (pick: (x: BacktestSummary) => number) => same.reduce((a, x) => a + pick(x), 0);
      return summarise(
        model,
        fits.filter((f) => f.model === model && inRow(f)),
        add((x) => x.skipped),
        add((x) => x.failed),
        same.some((x) => x.fallbacks !== undefined),
      );
    });
  };
  const byClass: BacktestReport['byClass'] = {};
  for (const cls of CLASSES) {
    if (reports.some((r) => r.byClass[cls]))
      byClass[cls] = rows(
        (r) => r.byClass[cls],
        (f) => f.demandClass === cls,
      );
  }
  const autoChoices: Record<string, number> = {};
  for (const r of reports)
    for (const [k, v] of Object.entries(r.autoChoices)) autoChoices[k] = (autoChoices[k] ?? 0) + v;
  return {
    horizon: first.horizon,
    origins: first.origins,
    series: reports.reduce((a, r) => a + r.series, 0),
    byModel: rows(
      (r) => r.byModel,
      () => true,
    ),
    byClass,
    autoChoices,
    fits,
  };
}
