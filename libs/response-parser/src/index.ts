export { checkBatchShift, DEFAULT_BATCH_SHIFT_OPTIONS } from './checkBatchShift';
export { checkGuardrail, DEFAULT_GUARDRAIL_OPTIONS } from './checkGuardrail';
export { InvalidArgumentError, JsonExtractionError, ResponseParseError } from './errors';
export { extractJson, withoutReasoning } from './extractJson';
export { parseChronosResponse } from './parseChronosResponse';
export { parseForecastAnswer } from './parseForecastAnswer';
export { quantilesFor } from './quantilesFor';
export { MISSING_ANSWER_REASON, reasonCode } from './reasonCode';
export type {
  AnswerErrorCode,
  BatchShiftOptions,
  BatchShiftVerdict,
  ChronosOptions,
  ExtractJsonOptions,
  GuardrailCode,
  GuardrailOptions,
  GuardrailVerdict,
  ParsedForecast,
  ParseResult,
  ProductVerdict,
  ReasonCode,
  RejectionCode,
} from './types';
