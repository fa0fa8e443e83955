import { ForecastingError } from '../../errors';

/** An ARIMA model cannot be fitted to the data given (too short, singular, non-stationary). */
export class ArimaFitError extends ForecastingError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ArimaFitError';
  }
}
