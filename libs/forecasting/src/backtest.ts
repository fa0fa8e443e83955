import { forecastAuto } from './auto';
import { currentDemandClass } from './classify';
import { ForecastingError, InvalidOptionError } from './errors';
import { bump, buildReport, newTally, record } from './backtestScore';
import { poolCombination } from './combinationRule';
import { poolCalibration } from './conformal';
import type { Cut, Prepared, Tally } from './backtestScore';
import { finalizeQuantiles } from './intervals';
import { maseScale } from './metrics';
import { countKnown } from './missing';
import { withGlobalCandidates } from './global/globalModel';
import { withWeekdayPriors } from './weekdayProfile';
import { getModel } from './models/registry';
import type {
  BacktestOptions,
  BacktestOrigin,
  BacktestReport,
  ExternalBacktestOptions,
  ExternalForecast,
  ExternalModel,
  QuantileForecast,
  SeriesForecast,
  SeriesInput,
} from './types';

const EMPTY = new Float64Array(0);

function prepare(series: SeriesInput[], h: number, origins: number, period: number): Prepared[] {
  return series.map((s) => {
    const cuts: Cut[] = [];
    for (let o = 1; o <= origins; o++) {
      const cut = s.y.length - h * o;
      const train = s.y.subarray(0, Math.max(0, cut));
      // A holdout whose days are all missing (NaN) has nothing to score.
      const scorable =
        cut >= 2 && maseScale(train, period) > 0 && countKnown(s.y, cut, cut + h) > 0;
      cuts.push({
        origin: o,
        train,
        actual: scorable ? s.y.subarray(cut, cut + h) : EMPTY,
        scorable,
      });
    }
    return { series: s, demandClass: currentDemandClass(s.y), cuts };
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

/** `ms`: the fit's time when it was measured ahead of the call (`auto`'s catalogue step). */
type Runner = (train: Float64Array) => { q: QuantileForecast; chosen: string; ms?: number };

/**
 * `auto` as the daily job runs it: every series of an origin forecast by `forecastAuto`, then the
 * catalogue steps (`poolCombination`, `poolCalibration`) over that origin's forecasts, as
 * `forecastMany` does.
 * Returns each training part's answer (or the error `forecastAuto` threw on it) and its time.
 */
function autoCatalogue(
  prepared: Prepared[],
  h: number,
  options: Pick<BacktestOptions, 'auto' | 'contextAt' | 'globalModel'>,
): Map<Float64Array, { f?: SeriesForecast; err?: unknown; ms: number }> {
  const out = new Map<Float64Array, { f?: SeriesForecast; err?: unknown; ms: number }>();
  const auto = { ...options.auto, horizon: h };
  const origins = prepared[0]?.cuts.length ?? 0;
  for (let o = 0; o < origins; o++) {
    const done = new Map<string, SeriesForecast>();
    const trains = new Map<string, Float64Array>();
    const scorable = prepared.flatMap((p, i) => {
      const cut = p.cuts[o];
      if (!cut.scorable) return [];
      const context = options.contextAt?.(p.series.id, cut.train.length);
      return [
        { i, cut, input: { id: p.series.id, y: cut.train, ...(context ? { context } : {}) } },
      ];
    });
    // As `forecastMany` does for a run: the global model is fitted on this origin's training
    // parts (the catalogue as it was on that day) and joins each one's race.
    const candidates = options.globalModel
      ? withGlobalCandidates(
          scorable.map((c) => c.input),
          auto,
        )
      : scorable.map((c) => c.input);
    // And the catalogue's weekday profile, read from the same training parts.
    const inputs = auto.catalogueProfile === false ? candidates : withWeekdayPriors(candidates);
    for (const [j, { i, cut }] of scorable.entries()) {
      const t0 = performance.now();
      try {
        const f = forecastAuto(cut.train, auto, inputs[j].context);
        done.set(String(i), f);
        trains.set(String(i), cut.train);
        out.set(cut.train, { f, ms: performance.now() - t0 });
      } catch (err) {
        out.set(cut.train, { err, ms: performance.now() - t0 });
      }
    }
    for (const [key, f] of poolCalibration(poolCombination(done))) {
      const train = trains.get(key) as Float64Array;
      out.set(train, { f, ms: (out.get(train) as { ms: number }).ms });
    }
  }
  return out;
}

function runnerFor(
  name: string,
  h: number,
  options: Pick<BacktestOptions, 'auto' | 'contextAt' | 'globalModel'>,
  prepared: Prepared[],
): Runner {
  if (name === 'auto') {
    const answers = autoCatalogue(prepared, h, options);
    return (train) => {
      const a = answers.get(train);
      if (!a) throw new Error('auto: no forecast was made for this training part (a bug)');
      if (!a.f) throw a.err;
      const f = a.f;
      return { q: f as QuantileForecast, chosen: f.model.replace(/^statistical:/, ''), ms: a.ms };
    };
  }
  const model = getModel(name);
  return (train) => {
    const fitted = model.fit(train);
    return { q: finalizeQuantiles(fitted.forecast(h)), chosen: fitted.name };
  };
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
        let out: ReturnType<Runner>;
        try {
          out = runners[mi](cut.train);
        } catch (err) {
          // A model that cannot fit this cut is counted as failed; a bug is not hidden.
          if (!(err instanceof ForecastingError)) throw err;
          bump(tally.failed, model, p.demandClass);
          continue;
        }
        const fitMs = out.ms ?? performance.now() - t0;
        if (model === 'auto')
          tally.autoChoices[out.chosen] = (tally.autoChoices[out.chosen] ?? 0) + 1;
        record(tally, p, cut, model, out, fitMs, period);
      }
    }
  }
}

/**
 * Rolling-origin evaluation (the team protocol: for each series and origin o = 1..origins cut the
 * last horizon·o days, forecast horizon days, score). MASE is scaled by the training part's
 * seasonal-naive MAE (naive when that is 0); a fit whose scale is still 0 is skipped and counted.
 * Missing (NaN) days are allowed: models treat them as missing, and a missing actual is not
 * scored (a holdout with no known day is skipped).
 * Pure apart from reading the clock for fit times.
 */
export function backtest(series: SeriesInput[], options: BacktestOptions): BacktestReport {
  const { horizon: h, origins } = options;
  const period = options.period ?? 7;
  validate(h, origins, options.models);
  const prepared = prepare(series, h, origins, period);
  const runners = options.models.map((name) => runnerFor(name, h, options, prepared));
  const tally = newTally();
  runStatistical(prepared, options.models, runners, tally, period);
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
  // A mean, when the model gives one, is scored like the engine's (bias); a bad one fails the fit.
  const mean = f.mean === undefined ? undefined : take(f.mean);
  if (f.mean !== undefined && !mean) return undefined;
  return p10 && p50 && p90 ? { p10, p50, p90, ...(mean ? { mean } : {}) } : undefined;
}

/**
 * `backtest` with external models (a Bedrock or Chronos endpoint, another service) alongside the
 * registry ones, in one report. Statistical models run exactly as in `backtest`; each external
 * model is asked once per origin for every scorable series (so it can batch) and its answers go
 * through the same scoring, skip and per-class rules. An answer that is missing, shorter than the
 * horizon or not finite counts as a failed fit; for a model with a fallback (`hasFallback`),
 * answers marked `fallback` are scored and counted in the summary's `fallbacks` (a model without
 * one has no such count, and an answer it marks `fallback` throws InvalidOptionError). An
 * external fit's time is the call's wall time shared equally
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
  const prepared = prepare(series, h, origins, period);
  const runners = statistical.map((name) => runnerFor(name, h, options, prepared));
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
        if (answer.fallback === true && !model.hasFallback) {
          throw new InvalidOptionError(
            `external model "${model.name}" answered ${p.series.id} with a fallback but has no hasFallback (expected hasFallback: true on a model that falls back, so its fallbacks are counted)`,
          );
        }
        const out = {
          q,
          chosen: answer.chosen ?? model.name,
          ...(model.hasFallback ? { fallback: answer.fallback === true } : {}),
        };
        record(tally, p, cut, model.name, out, fitMs, period);
      }
    }
  }
  const withFallback = new Set(externals.filter((m) => m.hasFallback).map((m) => m.name));
  return buildReport(tally, names, withFallback, {
    horizon: h,
    origins,
    series: series.length,
  });
}
