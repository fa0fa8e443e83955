import { describe, expect, it } from 'vitest';
import { exitCodeOf } from '@retail-forecast/util';
import {
  ForecastWorkerError,
  InvalidOptionError,
  InvalidSeriesError,
  UnknownModelError,
} from '../src/index';

describe('forecasting errors', () => {
  it('say which exit kind they are', () => {
    expect(new InvalidOptionError('horizon 0').exitKind).toBe('config');
    expect(new UnknownModelError('arima?').exitKind).toBe('config');
    expect(new InvalidSeriesError('NaN').exitKind).toBe('failure');
    expect(new ForecastWorkerError('crashed').exitKind).toBe('failure');
    expect(exitCodeOf(new UnknownModelError('x'))).toBe(2);
    expect(exitCodeOf(new ForecastWorkerError('x'))).toBe(1);
  });
});
