import type { ExitKind, HasExitKind } from '@retail-forecast/util';

/** Base class of the stand-in's own errors; `failure` (exit 1): a test or demo set it up wrong. */
export class BedrockStandinError extends Error implements HasExitKind {
  readonly exitKind: ExitKind = 'failure';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BedrockStandinError';
  }
}

/** A start-up option was out of range. */
export class StandinOptionsError extends BedrockStandinError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StandinOptionsError';
  }
}

/** A request the stand-in cannot read; answered as a 400 ValidationException, as Bedrock does. */
export class BadRequestError extends BedrockStandinError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BadRequestError';
  }
}
