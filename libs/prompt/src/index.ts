export { FORECAST_TOOL_NAME, forecastAnswerSchema } from './answerSchema';
export { buildPromptBatches } from './buildPromptBatches';
export { weekdayOf } from './dates';
export type { Weekday } from '@retail-forecast/util';
export {
  InvalidDateError,
  InvalidProductError,
  InvalidPromptOptionsError,
  PromptDataParseError,
  PromptError,
} from './errors';
export { estimateTokens } from './estimateTokens';
export { DEFAULT_PROMPT_OPTIONS } from './options';
export { parsePromptData } from './parsePromptData';
export { quoteData } from './quoteData';
export { findInstructionLikeText, screenFreeText } from './screenFreeText';
export { buildSystemPrompt } from './systemPrompt';
export type {
  AnswerWith,
  FreeTextFinding,
  PromptBatch,
  PromptData,
  PromptDataProduct,
  PromptOptions,
  PromptProduct,
} from './types';
