import type { PromptProduct } from '@retail-forecast/prompt';
import { addDays, requireIsoDay, weekdayOfDay } from '@retail-forecast/util';

/**
 * Limits of the Chronos-2 SageMaker endpoint, from its deployment notebook
 * (amazon-science/chronos-forecasting, `notebooks/deploy-chronos-to-amazon-sagemaker.ipynb`,
 * "Endpoint API"; JumpStart model `pytorch-forecasting-chronos-2`), and of SageMaker real-time
 * endpoints (InvokeEndpoint: request payload at most 6 MB). Checked before anything is sent.
 */
export const CHRONOS2_LIMITS = {
  /** `inputs`: "List with at most 1000 time series". */
  maxSeriesPerRequest: 1000,
  /** `prediction_length`: "Values up to 1024 are supported". */
  maxPredictionLength: 1024,
  /** Chronos-2's maximum context length (model card: 8192); longer targets are cut by the model. */
  maxContextLength: 8192,
  /** `target`: "If any time series contains fewer than 5 observations, an error will be raised". */
  minTargetLength: 5,
  /** SageMaker real-time InvokeEndpoint: the request body is at most 6 MB. */
  maxPayloadBytes: 6 * 1024 * 1024,
} as const;

/** Series per request by default: the container's default `batch_size` (256), so one request is one joint batch. */
export const DEFAULT_CHRONOS2_SERIES_PER_REQUEST = 256;
/** Days of history sent per series by default (well under the model's 8,192). */
export const DEFAULT_CHRONOS2_CONTEXT_LENGTH = 2048;
/**
 * Days of history per series and series per request for a run: the options' (or the defaults),
 * capped at the model's documented limits. One owner for the adapter and the cost estimate.
 */
export function chronos2Sizes(options: {
  chronosContextLength?: number;
  chronosBatchSize?: number;
}): {
  context: number;
  maxSeries: number;
} {
  return {
    context: Math.min(
      options.chronosContextLength ?? DEFAULT_CHRONOS2_CONTEXT_LENGTH,
      CHRONOS2_LIMITS.maxContextLength,
    ),
    maxSeries: Math.min(
      options.chronosBatchSize ?? DEFAULT_CHRONOS2_SERIES_PER_REQUEST,
      CHRONOS2_LIMITS.maxSeriesPerRequest,
    ),
  };
}

/** The covariate names this job sends. */
export const CHRONOS2_COVARIATES = { dayOfWeek: 'day_of_week' } as const;

/** One entry of `inputs`, as the notebook documents it. */
export interface Chronos2Input {
  /** Observed daily units, oldest first. */
  target: number[];
  /** The product id; unique within a request. */
  item_id: string;
  /** `YYYY-MM-DD` of `target[0]` (with `parameters.freq` = `D`). */
  start: string;
  /** Same length as `target`; values all numeric or all strings (categorical). */
  past_covariates: Record<string, (number | string)[]>;
  /** Length `prediction_length`; a key also in `past_covariates` is a known-future covariate. */
  future_covariates: Record<string, (number | string)[]>;
}

/** The InvokeEndpoint body (`ContentType: application/json`). */
export interface Chronos2Payload {
  inputs: Chronos2Input[];
  parameters: {
    prediction_length: number;
    quantile_levels: number[];
    freq: 'D';
    /** Series the model processes together; the whole request, so `predict_batches_jointly` spans it. */
    batch_size: number;
    /** Group attention across every series of the batch ("full cross-learning mode"). */
    predict_batches_jointly: boolean;
  };
}

/** Weekdays of `days` consecutive dates starting at `start`, as categorical strings (`Mon`…). */
function weekdays(start: string, days: number): string[] {
  const first = requireIsoDay(start, 'Chronos-2 series start');
  return Array.from({ length: days }, (_, i) => weekdayOfDay(first + i));
}

/**
 * One product as a Chronos-2 input: the last `contextLength` days of its history ending on `asOf`
 * and the day of week as a known-future covariate (past and future values). Not sent, because the
 * job has no source for them yet: a daily `avg_price` series (sales-data keeps only the latest
 * price; a past-only covariate needs a value for every history day), a planned price (no input for
 * one exists, so no future price) and holidays (the engine has no holiday calendar).
 */
export function chronos2Input(
  product: PromptProduct,
  asOf: string,
  horizon: number,
  contextLength: number,
): Chronos2Input {
  const h = product.history;
  const target = Array.from(h.subarray(Math.max(0, h.length - contextLength)));
  const start = addDays(asOf, 1 - target.length);
  return {
    target,
    item_id: product.productId,
    start,
    past_covariates: { [CHRONOS2_COVARIATES.dayOfWeek]: weekdays(start, target.length) },
    future_covariates: { [CHRONOS2_COVARIATES.dayOfWeek]: weekdays(addDays(asOf, 1), horizon) },
  };
}

/** The request body for `inputs`. */
export function chronos2Payload(
  inputs: Chronos2Input[],
  predictionLength: number,
  options: { quantileLevels?: number[]; crossLearning?: boolean } = {},
): Chronos2Payload {
  return {
    inputs,
    parameters: {
      prediction_length: predictionLength,
      quantile_levels: options.quantileLevels ?? [0.1, 0.5, 0.9],
      freq: 'D',
      batch_size: Math.max(1, inputs.length),
      predict_batches_jointly: options.crossLearning ?? true,
    },
  };
}

/**
 * What is wrong with a payload against the documented schema and limits, or undefined when it may
 * be sent: series count, prediction length, target length (≥ 5, ≤ 8192, finite numbers),
 * covariate lengths and value types, unique item ids, quantile levels in (0, 1), body size.
 * The stand-in checks requests with the same rules, so a test cannot pass on a request the
 * endpoint would refuse.
 */
export function chronos2PayloadProblem(payload: unknown, bodyBytes?: number): string | undefined {
  if (bodyBytes !== undefined && bodyBytes > CHRONOS2_LIMITS.maxPayloadBytes) {
    return `the request body is ${bodyBytes} bytes, over SageMaker's real-time limit of ${CHRONOS2_LIMITS.maxPayloadBytes}`;
  }
  const p = payload as Partial<Chronos2Payload> | null;
  if (p === null || typeof p !== 'object' || !Array.isArray(p.inputs)) {
    return '"inputs" must be a list of time series';
  }
  const params = (p.parameters ?? {}) as Partial<Chronos2Payload['parameters']>;
  const horizon = params.prediction_length ?? 1;
  if (!Number.isInteger(horizon) || horizon < 1 || horizon > CHRONOS2_LIMITS.maxPredictionLength) {
    return `parameters.prediction_length ${JSON.stringify(horizon)} is not an integer 1..${CHRONOS2_LIMITS.maxPredictionLength}`;
  }
  if (p.inputs.length === 0 || p.inputs.length > CHRONOS2_LIMITS.maxSeriesPerRequest) {
    return `"inputs" has ${p.inputs.length} series (expected 1..${CHRONOS2_LIMITS.maxSeriesPerRequest})`;
  }
  const levels = params.quantile_levels ?? [0.1, 0.5, 0.9];
  if (!Array.isArray(levels) || levels.some((q) => typeof q !== 'number' || !(q > 0 && q < 1))) {
    return `parameters.quantile_levels ${JSON.stringify(levels)} must be numbers in (0, 1)`;
  }
  if ('freq' in params && typeof params.freq !== 'string') {
    return `parameters.freq ${JSON.stringify(params.freq)} is not a pandas frequency string`;
  }
  const ids = new Set<string>();
  for (const [i, input] of p.inputs.entries()) {
    const at = `inputs[${i}]`;
    if (input === null || typeof input !== 'object') return `${at} is not an object`;
    const { target } = input;
    if (
      !Array.isArray(target) ||
      target.some((v) => typeof v !== 'number' || !Number.isFinite(v))
    ) {
      return `${at}.target must be a list of finite numbers`;
    }
    if (target.length < CHRONOS2_LIMITS.minTargetLength) {
      return `${at}.target has ${target.length} observations (at least ${CHRONOS2_LIMITS.minTargetLength} needed)`;
    }
    if (target.length > CHRONOS2_LIMITS.maxContextLength) {
      return `${at}.target has ${target.length} observations (at most ${CHRONOS2_LIMITS.maxContextLength})`;
    }
    if (input.item_id !== undefined) {
      if (typeof input.item_id !== 'string') return `${at}.item_id must be a string`;
      if (ids.has(input.item_id)) return `${at}.item_id "${input.item_id}" is not unique`;
      ids.add(input.item_id);
    }
    if (input.start !== undefined && !('freq' in params)) {
      return `${at}.start is given, so parameters.freq must be too`;
    }
    for (const [field, length] of [
      ['past_covariates', target.length],
      ['future_covariates', horizon],
    ] as const) {
      const covariates = input[field];
      if (covariates === undefined) continue;
      if (covariates === null || typeof covariates !== 'object' || Array.isArray(covariates)) {
        return `${at}.${field} must be an object of named value lists`;
      }
      for (const [name, values] of Object.entries(covariates)) {
        if (!Array.isArray(values) || values.length !== length) {
          return `${at}.${field}.${name} must have ${length} values (got ${Array.isArray(values) ? values.length : typeof values})`;
        }
        const numeric = values.every((v) => typeof v === 'number' && Number.isFinite(v));
        const strings = values.every((v) => typeof v === 'string');
        if (!numeric && !strings) {
          return `${at}.${field}.${name} must be all numbers or all strings`;
        }
      }
    }
  }
  return undefined;
}

/**
 * Requests for `products`: one category's series together, so the model learns across related
 * series (`predict_batches_jointly`), cut at `maxSeries` series and at the payload limit
 * (`sizeOf` gives one input's JSON size in bytes). Products without a category form one group.
 * Groups keep the input order within a category and follow each category's first appearance.
 */
export function chronos2Groups(
  products: ReadonlyArray<{ productId: string; category?: string }>,
  sizeOf: (productId: string) => number,
  maxSeries: number,
  maxBytes: number = CHRONOS2_LIMITS.maxPayloadBytes,
): string[][] {
  // Room for the braces and `parameters` around the inputs.
  const budget = maxBytes - 1024;
  const byCategory = new Map<string, string[]>();
  for (const p of products) {
    const key = p.category ?? '';
    const list = byCategory.get(key);
    if (list) list.push(p.productId);
    else byCategory.set(key, [p.productId]);
  }
  const groups: string[][] = [];
  for (const ids of byCategory.values()) {
    let current: string[] = [];
    let bytes = 0;
    for (const id of ids) {
      const size = sizeOf(id) + 1;
      if (current.length > 0 && (current.length >= maxSeries || bytes + size > budget)) {
        groups.push(current);
        current = [];
        bytes = 0;
      }
      current.push(id);
      bytes += size;
    }
    if (current.length > 0) groups.push(current);
  }
  return groups;
}
