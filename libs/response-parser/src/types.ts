/** One product's validated forecast. */
export interface ParsedForecast {
  productId: string;
  /** Median forecast, `horizon` finite non-negative numbers. */
  daily: number[];
  p10?: number[];
  p90?: number[];
}

/** Why one product's answer was rejected; stable, for summary counts. */
export type RejectionCode =
  'schema' | 'wrong_length' | 'not_finite' | 'negative' | 'quantile_order' | 'duplicate';

/** Why a whole answer could not be used. */
export type AnswerErrorCode = 'no_json' | 'truncated' | 'invalid_json' | 'wrong_shape';

/** Why a plausible-looking forecast failed the guardrail. */
export type GuardrailCode = 'implausibly_high' | 'implausibly_low';

/** Every code `reasonCode` can return; `missing` is for asked ids with no answer. */
export type ReasonCode = RejectionCode | AnswerErrorCode | GuardrailCode | 'missing' | 'other';

export type ProductVerdict =
  | { status: 'accepted'; forecast: ParsedForecast }
  | { status: 'rejected'; reason: string; code: RejectionCode };

export interface ParseResult {
  /** One verdict per asked id that appeared in the answer, in asked order. */
  verdicts: Map<string, ProductVerdict>;
  /** Asked ids absent from the answer (all of them when `error` is set). */
  missing: string[];
  /** Ids in the answer that were not asked; ignored. */
  unknownIds: string[];
  /** Entries that could not be tied to a product (no string `product_id`, extra Chronos rows). */
  unattributedEntries: number;
  /** Whole-answer problem: no JSON, truncated JSON, wrong top-level shape. */
  error?: string;
  errorCode?: AnswerErrorCode;
}

export interface ChronosOptions {
  /**
   * Replace negative values by 0 instead of rejecting the product. Default true: Chronos
   * decodes a real-valued scale and returns small negatives for intermittent series, where
   * they mean "none sold"; it was never asked for non-negative numbers, unlike an LLM.
   */
  clampNegative?: boolean;
}

export interface GuardrailOptions {
  /** Reject as high only above this multiple of the statistical P90 total. Default 3. */
  maxRatioToP90?: number;
  /** ...and above this multiple of the largest historical rolling-window sum. Default 2. */
  maxRatioToMaxWeek?: number;
  /** Candidate totals below this never fail as too high. Default 5. */
  minAbsoluteUnits?: number;
  /**
   * Reject an all-zero forecast when the statistical expected total (its means, else P50s) is at least
   * `minAbsoluteUnits` and each of the last `recentWeeksWithSales` weeks sold. Default true.
   */
  rejectAllZero?: boolean;
  /** Weeks of uninterrupted recent sales that make an all-zero forecast implausible. Default 4. */
  recentWeeksWithSales?: number;
}

export type GuardrailVerdict = { ok: true } | { ok: false; reason: string; code: GuardrailCode };

export interface ExtractJsonOptions {
  /**
   * Whether a parsed value is an answer, e.g. it matches the caller's contract. Default: every
   * value is.
   */
  accept?(value: unknown): boolean;
}

export interface BatchShiftOptions {
  /** Fewest shifted answers that make a batch-wide shift. Default 4. */
  minProducts?: number;
  /** An answer is shifted at this ratio to its statistical total, or its inverse. Default 1.2. */
  minRatio?: number;
  /** Share of the request's answers that must be shifted the same way. Default 0.8. */
  minShare?: number;
  /** ...and differ from its statistical total by at least this many units. Default 2. */
  minUnits?: number;
}

export type BatchShiftVerdict = { shifted: false } | { shifted: true; reason: string };
