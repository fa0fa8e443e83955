import { forecastAuto } from './auto';
import { classifyDemand } from './classify';
import { InvalidOptionError } from './errors';
import { finalizeQuantiles } from './intervals';
import { coverage, maseScale, quantileLoss } from './metrics';
import { getModel } from './models/registry';
import type {
  AutoOptions,
  BacktestFit,
  BacktestOptions,
  BacktestOrigin,
  BacktestReport,
  BacktestSummary,
  DemandClass,
  ExternalBacktestOptions,
  ExternalForecast,
  ExternalModel,
  ForecastScore,
  QuantileForecast,
  SeriesInput,
} from './types';

const CLASSES: DemandClass[] = ['smooth', 'erratic', 'intermittent', 'lumpy'];

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
  let ms = 0;
  let fallbacks = 0;
  for (const f of fits) {
    mase += f.mase;
    ae += f.absError;
    act += f.sumActual;
    err += f.error;
    ql += f.quantileLoss;
    cov += f.coverage;
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
    meanFitMs: n > 0 ? ms / n : NaN,
    skipped,
    failed,
    // Only external models have a fallback, so statistical rows keep their old shape.
    ...(external ? { fallbacks } : {}),
  };
}

/**
 * Scores one forecast against what happened: MASE (scaled by the training part's seasonal-naive
 * MAE, naive when that is 0; NaN when both are 0), absolute and signed errors, quantile loss and
 * P10–P90 coverage over `actual.length` days. The one scoring path of `backtest` and
 * `backtestExternal`.
 */
export function scoreForecast(
  train: ArrayLike<number>,
  actual: ArrayLike<number>,
  q: QuantileForecast,
  period = 7,
): ForecastScore {
  const h = actual.length;
  const scale = maseScale(train, period);
  let absError = 0;
  let sumActual = 0;
  let error = 0;
  for (let k = 0; k < h; k++) {
    absError += Math.abs(q.p50[k] - actual[k]);
    error += q.p50[k] - actual[k];
    sumActual += actual[k];
  }
  return {
    mase: scale > 0 ? absError / h / scale : NaN,
    absError,
    sumActual,
    error,
    quantileLoss: quantileLoss(actual, q),
    coverage: coverage(actual, q),
  };
}

interface Cut {
  origin: number;
  train: Float64Array;
  actual: Float64Array;
  /** False when there is too little history or the MASE scale is 0: the fit is skipped. */
  scorable: boolean;
}

interface Prepared {
  series: SeriesInput;
  demandClass: DemandClass;
  cuts: Cut[];
}

const EMPTY = new Float64Array(0);

function prepare(series: SeriesInput[], h: number, origins: number, period: number): Prepared[] {
  return series.map((s) => {
    const cuts: Cut[] = [];
    for (let o = 1; o <= origins; o++) {
      const cut = s.y.length - h * o;
      const train = s.y.subarray(0, Math.max(0, cut));
      const scorable = cut >= 2 && maseScale(train, period) > 0;
      cuts.push({
        origin: o,
        train,
        actual: scorable ? s.y.subarray(cut, cut + h) : EMPTY,
        scorable,
      });
    }
    return { series: s, demandClass: classifyDemand(s.y), cuts };
  });
}

function validate(h: number, origins: number, models: unknown[]): void {
  if (!Number.isInteger(h) || h < 1) {
    throw new InvalidOptionError(`horizon ${h} is not allowed (expected an integer >= 1)`);
  }
  if (!Number.isInteger(origins) || origins < 1) {
    throw new InvalidOptionError(`origins ${origins} is not allowed (expected an integer >= 1)`);
  }
  if (models.length === 0) {
    throw new InvalidOptionError('models is empty (expected at least one model name or "auto")');
  }
}

type Runner = (train: Float64Array) => { q: QuantileForecast; chosen: string };

function runnerFor(name: string, h: number, auto: AutoOptions | undefined): Runner {
  if (name === 'auto') {
    return (train) => {
      const f = forecastAuto(train, { ...auto, horizon: h });
      return { q: f as QuantileForecast, chosen: f.model.replace(/^statistical:/, '') };
    };
  }
  const model = getModel(name);
  return (train) => {
    const fitted = model.fit(train);
    return { q: finalizeQuantiles(fitted.forecast(h)), chosen: fitted.name };
  };
}

/** Fits, skips and failures as they are recorded, turned into a report at the end. */
interface Tally {
  fits: BacktestFit[];
  skipped: Map<string, number>;
  failed: Map<string, number>;
  autoChoices: Record<string, number>;
}

const newTally = (): Tally => ({
  fits: [],
  skipped: new Map(),
  failed: new Map(),
  autoChoices: {},
});
const bump = (m: Map<string, number>, model: string, cls: DemandClass) =>
  m.set(`${model}|${cls}`, (m.get(`${model}|${cls}`) ?? 0) + 1);

function record(
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

function runStatistical(
  prepared: Prepared[],
  names: string[],
  runners: Runner[],
  tally: Tally,
  period: number,
): void {
  for (const p of prepared) {
    for (let mi = 0; mi < names.length; mi++) {
      const model = names[mi];
      for (const cut of p.cuts) {
        if (!cut.scorable) {
          bump(tally.skipped, model, p.demandClass);
          continue;
        }
        const t0 = performance.now();
        let out: { q: QuantileForecast; chosen: string };
        try {
          out = runners[mi](cut.train);
        } catch {
          bump(tally.failed, model, p.demandClass);
          continue;
        }
        const fitMs = performance.now() - t0;
        if (model === 'auto')
          tally.autoChoices[out.chosen] = (tally.autoChoices[out.chosen] ?? 0) + 1;
        record(tally, p, cut, model, out, fitMs, period);
      }
    }
  }
}

function buildReport(
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

/**
 * Rolling-origin evaluation (the team protocol: for each series and origin o = 1..origins cut the
 * last horizon·o days, forecast horizon days, score). MASE is scaled by the training part's
 * seasonal-naive MAE (naive when that is 0); a fit whose scale is still 0 is skipped and counted.
 * Pure apart from reading the clock for fit times.
 */
export function backtest(series: SeriesInput[], options: BacktestOptions): BacktestReport {
  const { horizon: h, origins } = options;
  const period = options.period ?? 7;
  validate(h, origins, options.models);
  const runners = options.models.map((name) => runnerFor(name, h, options.auto));
  const tally = newTally();
  runStatistical(prepare(series, h, origins, period), options.models, runners, tally, period);
  return buildReport(tally, options.models, new Set(), {
    horizon: h,
    origins,
    series: series.length,
  });
}

/**
 * The training parts `backtest` would forecast at each origin: every series truncated at the
 * cut, without the ones skipped there. What an external model will be sent, so a caller can
 * estimate the cost of a remote backtest before running it.
 */
export function backtestOrigins(
  series: SeriesInput[],
  options: { horizon: number; origins: number; period?: number },
): BacktestOrigin[] {
  const { horizon: h, origins } = options;
  validate(h, origins, [null]);
  return originsOf(prepare(series, h, origins, options.period ?? 7), h, origins);
}

function originsOf(prepared: Prepared[], h: number, origins: number): BacktestOrigin[] {
  const out: BacktestOrigin[] = [];
  for (let o = 1; o <= origins; o++) {
    const trains = prepared
      .filter((p) => p.cuts[o - 1].scorable)
      .map((p) => ({ id: p.series.id, y: p.cuts[o - 1].train }));
    out.push({ origin: o, holdoutDays: h * o, trains });
  }
  return out;
}

function toQuantiles(f: ExternalForecast, h: number): QuantileForecast | undefined {
  const take = (a: ArrayLike<number>) => {
    if (a.length < h) return undefined;
    const out = new Float64Array(h);
    for (let k = 0; k < h; k++) out[k] = a[k];
    return out.every(Number.isFinite) ? out : undefined;
  };
  const p10 = take(f.p10);
  const p50 = take(f.p50);
  const p90 = take(f.p90);
  return p10 && p50 && p90 ? { p10, p50, p90 } : undefined;
}

/**
 * `backtest` with external models (a Bedrock or Chronos endpoint, another service) alongside the
 * registry ones, in one report. Statistical models run exactly as in `backtest`; each external
 * model is asked once per origin for every scorable series (so it can batch) and its answers go
 * through the same scoring, skip and per-class rules. An answer that is missing, shorter than the
 * horizon or not finite counts as a failed fit; answers marked `fallback` are scored and counted
 * in the summary's `fallbacks`. An external fit's time is the call's wall time shared equally
 * among the series it forecast.
 */
export async function backtestExternal(
  series: SeriesInput[],
  options: ExternalBacktestOptions,
): Promise<BacktestReport> {
  const { horizon: h, origins } = options;
  const period = options.period ?? 7;
  validate(h, origins, options.models);
  const names = options.models.map((m) => (typeof m === 'string' ? m : m.name));
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup !== undefined) {
    throw new InvalidOptionError(`model "${dup}" is listed twice (expected unique model names)`);
  }
  const statistical = options.models.filter((m): m is string => typeof m === 'string');
  const externals = options.models.filter((m): m is ExternalModel => typeof m !== 'string');
  for (const m of externals) {
    if (!m.name) throw new InvalidOptionError('an external model has an empty name');
  }
  const runners = statistical.map((name) => runnerFor(name, h, options.auto));
  const prepared = prepare(series, h, origins, period);
  const tally = newTally();
  runStatistical(prepared, statistical, runners, tally, period);

  const originList = originsOf(prepared, h, origins);
  for (const model of externals) {
    const answers: { byId: ReadonlyMap<string, ExternalForecast>; fitMs: number }[] = [];
    for (const origin of originList) {
      if (origin.trains.length === 0) {
        answers.push({ byId: new Map(), fitMs: NaN });
        continue;
      }
      const t0 = performance.now();
      const byId = await model.forecast(origin);
      answers.push({ byId, fitMs: (performance.now() - t0) / origin.trains.length });
    }
    // Recorded in backtest's order (series, then origin) so pooled sums match it to the last bit.
    for (const p of prepared) {
      for (const cut of p.cuts) {
        if (!cut.scorable) {
          bump(tally.skipped, model.name, p.demandClass);
          continue;
        }
        const { byId, fitMs } = answers[cut.origin - 1];
        const answer = byId.get(p.series.id);
        const q = answer && toQuantiles(answer, h);
        if (!answer || !q) {
          bump(tally.failed, model.name, p.demandClass);
          continue;
        }
        const out = { q, chosen: answer.chosen ?? model.name, fallback: answer.fallback === true };
        record(tally, p, cut, model.name, out, fitMs, period);
      }
    }
  }
  return buildReport(tally, names, new Set(externals.map((m) => m.name)), {
    horizon: h,
    origins,
    series: series.length,
  });
}

function fmt(v: number, digits = 3): string {
  return Number.isFinite(v) ? v.toFixed(digits) : '-';
}

function table(rows: BacktestSummary[], baseline?: BacktestSummary): string {
  const header = [
    'model',
    'fits',
    'MASE',
    'rel.snaive',
    'WAPE',
    'bias',
    'wQL',
    'cov80',
    'ms/fit',
    'skip',
    'fail',
  ];
  // The fallback column appears only when an external model is in the table.
  const withFallbacks = rows.some((r) => r.fallbacks !== undefined);
  if (withFallbacks) header.push('fallback');
  const body = [...rows]
    .sort((a, b) => (a.meanMase || Infinity) - (b.meanMase || Infinity))
    .map((r) => [
      r.model,
      String(r.fits),
      fmt(r.meanMase),
      baseline && baseline.meanMase > 0 ? fmt(r.meanMase / baseline.meanMase) : '-',
      fmt(r.wape),
      fmt(r.bias),
      fmt(r.wql),
      fmt(r.coverage, 2),
      fmt(r.meanFitMs, 1),
      String(r.skipped),
      String(r.failed),
      ...(withFallbacks ? [r.fallbacks === undefined ? '-' : String(r.fallbacks)] : []),
    ]);
  const all = [header, ...body];
  const widths = header.map((_, i) => Math.max(...all.map((row) => row[i].length)));
  const line = (row: string[]) =>
    row.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

/** `top3(theta,combo(ets,theta,snaive),ets(A,N,A))` → `top3{combo,ets,theta}`. */
function poolKey(chosen: string): string {
  const m = /^(top\d+)\((.*)\)$/.exec(chosen);
  if (!m) return chosen;
  const members: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of m[2]) {
    if (ch === '(' || ch === ')') {
      depth += ch === '(' ? 1 : -1;
    } else if (depth === 0 && ch === ',') {
      members.push(current);
      current = '';
    } else if (depth === 0) {
      current += ch;
    }
  }
  members.push(current);
  return `${m[1]}{${members.sort().join(',')}}`;
}

/** Plain-text leaderboard: overall, then per demand class, then what `auto` chose. */
export function formatLeaderboard(report: BacktestReport): string {
  const base = (rows: BacktestSummary[]) => rows.find((r) => r.model === 'snaive');
  const parts = [
    `Backtest: ${report.series} series, h = ${report.horizon}, ${report.origins} origins (MASE = mean over fits; WAPE, bias, wQL pooled)`,
    table(report.byModel, base(report.byModel)),
  ];
  for (const cls of CLASSES) {
    const rows = report.byClass[cls];
    if (!rows) continue;
    parts.push('', `Demand class: ${cls}`, table(rows, base(rows)));
  }
  // Group pools by their members (parameters and rank order dropped) so the line stays short.
  const grouped = new Map<string, number>();
  for (const [chosen, count] of Object.entries(report.autoChoices)) {
    const key = poolKey(chosen);
    grouped.set(key, (grouped.get(key) ?? 0) + count);
  }
  const choices = [...grouped].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  if (choices.length > 0) {
    const shown = choices.slice(0, 8).map(([k, v]) => `${k} ×${v}`);
    if (choices.length > 8) shown.push(`${choices.length - 8} more`);
    parts.push('', `auto chose: ${shown.join(', ')}`);
  }
  return parts.join('\n');
}
