import { ForecastingError } from '../errors';

/**
 * Raised when an ETS model cannot be fitted to the data given (forbidden combination,
 * multiplicative component on non-positive data, too few observations, non-finite values) or
 * when an argument is out of range.
 */
export class EtsFitError extends ForecastingError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EtsFitError';
  }
}
