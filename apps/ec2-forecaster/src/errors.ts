import type { ExitKind, HasExitKind } from '@retail-forecast/util';

/** Base error of the forecast job; `exitKind` decides the process exit code (see exitCodes.ts). */
export class ForecastJobError extends Error implements HasExitKind {
  readonly exitKind: ExitKind;
  constructor(message: string, exitKind: ExitKind, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ForecastJobError';
    this.exitKind = exitKind;
  }
}

/** A missing or invalid setting (flag or environment variable): exit 2. */
export class ConfigError extends ForecastJobError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 'config', options);
    this.name = 'ConfigError';
  }
}
