import type { SeriesValues } from '@retail-forecast/util';
import type { AutoOptions, SeriesContext, SeriesForecast } from '../types';

/** Marks a worker started by `forecastMany`, so an app bundle can tell it is one. */
export const WORKER_MARK = 'retailForecastWorker';

/** One chunk of series, main thread → worker. */
export interface Job {
  type: 'forecast';
  jobId: number;
  options: AutoOptions;
  ids: string[];
  /** Each series in its own type; the worker widens it to Float64 while forecasting it. */
  ys: SeriesValues[];
  /** `contexts[i]` belongs to `ys[i]`; absent when no series of the chunk has one. */
  contexts?: (SeriesContext | undefined)[];
}

/** One series' answer as it crosses the thread boundary (its arrays are transferred). */
export interface WireForecast {
  id: string;
  model: string;
  demandClass?: SeriesForecast['demandClass'];
  p10: Float64Array;
  p50: Float64Array;
  p90: Float64Array;
  /** Mean per step where P50 is a count median (structured-cloned, not transferred). */
  mean?: Float64Array;
  /** Extra levels and conformal scores (structured-cloned, not transferred). */
  quantiles?: SeriesForecast['quantiles'];
  conformal?: SeriesForecast['conformal'];
  /** The days replaced by the outlier cleaning (structured-cloned). */
  outliers?: SeriesForecast['outliers'];
  levelShift?: SeriesForecast['levelShift'];
  weekdayProfile?: SeriesForecast['weekdayProfile'];
  /** The combination's diagnostics and, for `class`, every rule's answer (structured-cloned). */
  combination?: SeriesForecast['combination'];
}

/** Worker → main thread, one per job. */
export type Reply =
  | { type: 'result'; jobId: number; results: WireForecast[] }
  | { type: 'error'; jobId: number; message: string };
