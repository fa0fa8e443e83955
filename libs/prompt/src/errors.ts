import type { ExitKind, HasExitKind } from '@retail-forecast/util';

/**
 * Base class of every error thrown by `@retail-forecast/prompt`: all `failure` (exit 1), since the
 * job validates dates, options and histories before it builds a prompt, so one reaching here is
 * a bug rather than bad input.
 */
export class PromptError extends Error implements HasExitKind {
  readonly exitKind: ExitKind = 'failure';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PromptError';
  }
}

/** A date argument is not a real calendar date in YYYY-MM-DD form. */
export class InvalidDateError extends PromptError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InvalidDateError';
  }
}

/** A product cannot be put in a prompt: bad id, duplicate id, empty or invalid history. */
export class InvalidProductError extends PromptError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InvalidProductError';
  }
}

/** A `PromptOptions` value is out of range. */
export class InvalidPromptOptionsError extends PromptError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InvalidPromptOptionsError';
  }
}

/** `parsePromptData` was given text that is not a user message built by this lib. */
export class PromptDataParseError extends PromptError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PromptDataParseError';
  }
}
