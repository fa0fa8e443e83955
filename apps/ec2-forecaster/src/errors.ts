/** Base error of the forecast job. `exitCode` is what the process exits with. */
export class ForecastJobError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode: number, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ForecastJobError';
    this.exitCode = exitCode;
  }
}

/** A missing or invalid setting (flag or environment variable): exit 2. */
export class ConfigError extends ForecastJobError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 2, options);
    this.name = 'ConfigError';
  }
}

/** Input data that cannot be used (missing column, corrupt file, empty prefix): exit 2. */
export class InputError extends ForecastJobError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 2, options);
    this.name = 'InputError';
  }
}

export const EXIT_OK = 0;
export const EXIT_PRODUCTS_FAILED = 1;
export const EXIT_BAD_INPUT = 2;
