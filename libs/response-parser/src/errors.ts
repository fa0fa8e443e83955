import type { ExitKind, HasExitKind } from '@retail-forecast/util';
import type { AnswerErrorCode } from './types';

/**
 * Base class of every error thrown by `@retail-forecast/response-parser`. A bad model answer is a
 * failure of the run (exit 1), never bad input: the input was the prompt.
 */
export class ResponseParseError extends Error implements HasExitKind {
  readonly exitKind: ExitKind = 'failure';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ResponseParseError';
  }
}

/** No usable JSON value could be taken from a model's text. `code` is stable for counting. */
export class JsonExtractionError extends ResponseParseError {
  readonly code: AnswerErrorCode;

  constructor(code: AnswerErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'JsonExtractionError';
    this.code = code;
  }
}

/** A caller passed an argument out of range (a programming error, not a model failure). */
export class InvalidArgumentError extends ResponseParseError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InvalidArgumentError';
  }
}
