import type { ExitKind, HasExitKind } from '@retail-forecast/util';

/**
 * Base class of every error the forecasting engine throws on purpose. `exitKind` tells an app
 * what the failure means for its exit code: a bad option or model name is `config` (exit 2),
 * anything else `failure` (exit 1).
 */
export class ForecastingError extends Error implements HasExitKind {
  readonly exitKind: ExitKind = 'failure';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ForecastingError';
  }
}

/** The demand history itself is unusable (NaN, infinite or negative values). */
export class InvalidSeriesError extends ForecastingError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InvalidSeriesError';
  }
}

/** An option is outside its allowed range (horizon, origins, window, worker count...). */
export class InvalidOptionError extends ForecastingError {
  override readonly exitKind: ExitKind = 'config';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InvalidOptionError';
  }
}

/** A model name that the registry does not know. */
export class UnknownModelError extends ForecastingError {
  override readonly exitKind: ExitKind = 'config';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UnknownModelError';
  }
}

/** A forecast worker thread failed or exited before answering. */
export class ForecastWorkerError extends ForecastingError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ForecastWorkerError';
  }
}
