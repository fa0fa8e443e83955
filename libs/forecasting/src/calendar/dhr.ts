/**
 * The calendar candidate `dhr`: regression with ARIMA errors on the series' calendar regressors
 * (holiday and event dummies, yearly Fourier terms), FPP3's dynamic harmonic regression
 * (Hyndman & Athanasopoulos, §10.5, §12.1): y_t = β·x_t + η_t, η_t a seasonal ARIMA(p,d,0)(P,D,0)[7]
 * whose differencing is tested on the regression errors and whose AR lags are chosen by AICc,
 * and the number of Fourier pairs K by AICc (see `regArErrors.ts` for why AR errors by
 * conditional least squares rather than `autoArima`'s exact likelihood: the cost).
 */
import { HOLIDAY_AFTER, HOLIDAY_BEFORE } from './regressors';
import { ForecastingError } from '../errors';
import { normalQuantiles } from '../intervals';
import { countKnown } from '../missing';
import type { ExternalCandidate, QuantileForecast, Regressors } from '../types';
import { FOURIER_MIN_DAYS } from './fourier';
import { commonFirstRow, fitRegAr, searchRegAr, type RegArFit } from './regArErrors';

/** The candidate's name in `AutoOptions.candidates`. */
export const DHR = 'dhr';
/** A dummy seen on fewer training days than this gets no coefficient: one day cannot tell a
 * holiday's effect from that day's noise. */
const MIN_OCCURRENCES = 2;

interface Column {
  name: string;
  values: Float64Array;
}

/** The regressors' columns from index `start` of the series, as long as `x` plus the horizon. */
function cut(regressors: Regressors, start: number): Column[] {
  return regressors.names.map((name, j) => ({
    name,
    values: regressors.columns[j].subarray(start),
  }));
}

/** Pairs `fourier:sin<k>`/`fourier:cos<k>` grouped by k, ascending. */
function fourierOrder(name: string): number {
  const m = /^fourier:(?:sin|cos)(\d+)$/.exec(name);
  return m ? Number(m[1]) : 0;
}

/** On the known days of `train`: how many the column is non-zero on, and whether it varies. */
function occurrences(
  values: Float64Array,
  train: ArrayLike<number>,
): { nonZero: number; varies: boolean } {
  let nonZero = 0;
  let first = Number.NaN;
  let varies = false;
  for (let t = 0; t < train.length; t++) {
    const v = values[t];
    if (!(train[t] === train[t])) continue;
    if (v !== 0) nonZero++;
    if (first !== first) first = v;
    else if (v !== first) varies = true;
  }
  return { nonZero, varies };
}

/** Columns worth a coefficient on `train`: dummies seen on at least two known days, non-constant
 * columns otherwise; Fourier pairs only from two years of known history. */
function usable(columns: Column[], train: Float64Array): Column[] {
  const known = countKnown(train);
  return columns.filter((c) => {
    const k = fourierOrder(c.name);
    if (k > 0) return known >= FOURIER_MIN_DAYS;
    const { nonZero, varies } = occurrences(c.values, train);
    return varies && nonZero >= MIN_OCCURRENCES;
  });
}

/**
 * The holiday and event columns of `regressors` that `dhr` cannot give a coefficient on the
 * history `y`: seen on fewer than two of its known days (one day cannot tell a holiday's effect
 * from that day's noise). The search runs on the history before the validation weeks, which may
 * see fewer still, so this is the least that goes without an effect. Fourier terms are not
 * dummies and are never listed. Pure.
 * @param regressors the series' calendar regressors (`y.length + horizon` values per column)
 * @returns column names (`holiday:Juneteenth`, `event:promo`), in the regressors' order
 */
export function sparseDummies(regressors: Regressors, y: ArrayLike<number>): string[] {
  return regressors.names.filter(
    (name, j) =>
      fourierOrder(name) === 0 && occurrences(regressors.columns[j], y).nonZero < MIN_OCCURRENCES,
  );
}

/** The pooled days before and after any holiday: one effect for every holiday's eve or morrow. */
const POOLED = new Set([HOLIDAY_BEFORE, HOLIDAY_AFTER]);

/**
 * The days from `from` to `from + h − 1` that hold a holiday or event `dhr` can give an effect of
 * its own (its dummy not 0 there and not in `sparseDummies(regressors, y)`). Yearly Fourier terms
 * are no event, nor are the pooled days before and after a holiday: their one effect averages
 * every holiday's eve (on 5 Chicago windows of 393 days, where each holiday was seen once and so
 * only the pooled days had an effect, taking them lost 1.1 %). Pure.
 * @param regressors the series' calendar regressors (`y.length + horizon` values per column)
 * @returns one flag per day (1: an event), or undefined where no day holds one
 */
export function eventDays(
  regressors: Regressors,
  y: ArrayLike<number>,
  from: number,
  h: number,
): Uint8Array | undefined {
  const sparse = new Set(sparseDummies(regressors, y));
  let out: Uint8Array | undefined;
  regressors.names.forEach((name, j) => {
    if (fourierOrder(name) !== 0 || POOLED.has(name) || sparse.has(name)) return;
    const column = regressors.columns[j];
    for (let k = 0; k < h; k++) {
      if (column[from + k] !== 0) (out ??= new Uint8Array(h))[k] = 1;
    }
  });
  return out;
}

interface Chosen {
  fit: RegArFit;
  columns: Column[];
  K: number;
}

const values = (cols: Column[]) => cols.map((c) => c.values);

/**
 * The search, on the history before the earliest validation origin: differencing and AR lags by
 * AICc with every usable column (see `searchRegAr`), then the same model with K = 0..Kmax yearly
 * Fourier pairs and the K of the lowest AICc kept (FPP3 §10.5 chooses K by AICc). When the
 * holiday dummies are collinear on this stretch (two holidays always a day apart, say), they are
 * pooled into one `holiday` column.
 */
function search(train: Float64Array, columns: Column[]): Chosen | undefined {
  let cols = usable(columns, train);
  if (cols.length === 0) return undefined;
  let fit = searchRegAr(train, values(cols));
  if (!fit) {
    cols = pooled(cols);
    fit = searchRegAr(train, values(cols));
  }
  if (!fit) return undefined;
  const kMax = Math.max(0, ...cols.map((c) => fourierOrder(c.name)));
  let best: Chosen = { fit, columns: cols, K: kMax };
  const firstRow = commonFirstRow(fit.spec.d, fit.spec.D);
  for (let K = 0; K < kMax; K++) {
    const fewer = cols.filter((c) => fourierOrder(c.name) <= K);
    if (fewer.length === 0) continue;
    const f = fitRegAr(train, values(fewer), fit.spec, firstRow);
    if (f && f.aicc < best.fit.aicc) best = { fit: f, columns: fewer, K };
  }
  return best;
}

/** Holiday dummies merged into one `holiday` column (1 on any holiday); other columns as they are. */
function pooled(columns: Column[]): Column[] {
  const holidays = columns.filter((c) => /^holiday:(?!before$|after$)/.test(c.name));
  if (holidays.length < 2) return columns;
  const any = new Float64Array(holidays[0].values.length);
  for (const c of holidays) c.values.forEach((v, t) => v !== 0 && (any[t] = 1));
  return [{ name: 'holiday', values: any }, ...columns.filter((c) => !holidays.includes(c))];
}

function quantiles(fit: RegArFit, columns: Column[], h: number): QuantileForecast | undefined {
  const { mean, se } = fit.forecast(h, values(columns));
  for (let k = 0; k < h; k++) {
    if (!Number.isFinite(mean[k]) || !Number.isFinite(se[k])) return undefined;
  }
  return normalQuantiles(mean, (k) => se[k]);
}

/**
 * The `dhr` candidate of `forecastAuto` for the series part `x` (= `y.subarray(start)`), as an
 * `ExternalCandidate` holding its forecast from every cut of `x` (training lengths, the full
 * history first, the earliest validation origin last): searched once at the earliest cut (see
 * `search`), then re-estimated with the same order, constant and columns at each later cut, as
 * ETS and Theta are carried forward in the race. The regressors of the days after a cut are
 * known-future values (calendar dates, planned events), so using them is no look-ahead.
 * Undefined when no column is usable or no model fits; a cut whose refit fails has no entry.
 * @param regressors the context's columns, `y.length + h` values each
 */
export function calendarCandidate(
  x: Float64Array,
  regressors: Regressors,
  start: number,
  h: number,
  cuts: readonly number[],
): ExternalCandidate | undefined {
  const columns = cut(regressors, start);
  const earliest = cuts[cuts.length - 1];
  let chosen: Chosen | undefined;
  try {
    chosen = search(x.subarray(0, earliest), columns);
  } catch (e) {
    if (e instanceof ForecastingError) return undefined;
    throw e;
  }
  if (!chosen) return undefined;
  const forecasts: ExternalCandidate['forecasts'] = [];
  const firstRow = commonFirstRow(chosen.fit.spec.d, chosen.fit.spec.D);
  for (const c of cuts) {
    const fit =
      c === earliest
        ? chosen.fit
        : fitRegAr(x.subarray(0, c), values(chosen.columns), chosen.fit.spec, firstRow);
    const q = fit && quantiles(fit, chosen.columns, h);
    if (q) forecasts.push({ end: start + c, q });
  }
  const holidays = chosen.columns.filter((c) => c.name.startsWith('holiday')).length;
  const events = chosen.columns.filter((c) => c.name.startsWith('event:')).length;
  const { d, D, lags } = chosen.fit.spec;
  const name = `${DHR}(ar[${lags.join(',')}],d=${d},D=${D},K=${chosen.K},holidays=${holidays},events=${events})`;
  return { name, forecasts };
}
