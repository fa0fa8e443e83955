import type { SeriesValues } from '@retail-forecast/util';

/** One product to forecast. */
export interface PromptProduct {
  productId: string;
  productName?: string;
  category?: string;
  /** Daily units sold, oldest first, one value per calendar day; the last value is the as-of day. */
  history: SeriesValues;
}

/** How the model is asked to give its answer: as JSON text, or as a tool call's input. */
export type AnswerWith = 'text' | 'tool';

export interface PromptOptions {
  /** Days to forecast after the as-of date. Default 7. */
  horizon?: number;
  /** Days of daily history sent verbatim, ending on the as-of date. Default 28. */
  recentDays?: number;
  /** Weekly totals sent for the full 7-day weeks just before the recent window. Default 12. */
  weeklyWeeks?: number;
  /** Budget for system + user prompt, in `estimateTokens` units. Default 3000. */
  maxInputTokensPerRequest?: number;
  /** Products per request, whatever the budget. Default 20. */
  maxProductsPerRequest?: number;
  /** Product name and category are cut to this many characters. Default 60. */
  nameMaxChars?: number;
  /** Default `text`; `tool` when the request forces the `submit_forecasts` tool. */
  answerWith?: AnswerWith;
}

/** One model request: the products it covers and its two messages. */
export interface PromptBatch {
  /** Product ids in the order they appear in `user`. */
  productIds: string[];
  system: string;
  user: string;
  /** `estimateTokens(system) + estimateTokens(user)`. */
  estimatedInputTokens: number;
}

/** One product as recovered from a user message. */
export interface PromptDataProduct {
  productId: string;
  productName?: string;
  category?: string;
  /** Daily units, oldest first; the last value is the as-of day. */
  recent: number[];
  /** Date (YYYY-MM-DD) of `recent[0]`. */
  recentStart: string;
  /** Totals of the consecutive 7-day weeks ending the day before `recentStart`, oldest first. */
  weekly: number[];
}

/** What a user message carries, as recovered by `parsePromptData`. */
export interface PromptData {
  asOf: string;
  horizon: number;
  products: PromptDataProduct[];
}

/** Why a product's free text is kept away from the model. */
export interface FreeTextFinding {
  field: 'productName' | 'category';
  /** The part of the text that looks like an instruction, as found. */
  match: string;
}
