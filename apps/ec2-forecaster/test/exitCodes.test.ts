import { describe, expect, it } from 'vitest';
import { ModelAccessDeniedError } from '@retail-forecast/bedrock-client';
import { TableNotFoundError } from '@retail-forecast/dynamodb-writer';
import { UnknownModelError } from '@retail-forecast/forecasting';
import { MissingColumnError } from '@retail-forecast/sales-data';
import { ConfigError, ForecastJobError } from '../src/errors';
import { exitCodeOf, exitKindOf } from '@retail-forecast/util';
import { reportFailure } from '../src/exitCodes';

class LibError extends Error {
  constructor(readonly exitKind: unknown) {
    super('from some lib');
  }
}

describe('exitCodeOf', () => {
  it('maps the app’s own errors by their exit kind', () => {
    expect(exitCodeOf(new ConfigError('--table is missing'))).toBe(2);
    expect(exitCodeOf(new ForecastJobError('bad file', 'input'))).toBe(2);
    expect(exitCodeOf(new ForecastJobError('broke', 'failure'))).toBe(1);
  });

  it('maps any error by the exitKind it carries, without knowing its class', () => {
    expect(exitKindOf(new LibError('config'))).toBe('config');
    expect(exitCodeOf(new LibError('input'))).toBe(2);
    expect(exitCodeOf(new LibError('failure'))).toBe(1);
    expect(exitCodeOf(new LibError('nonsense'))).toBe(1);
  });

  it('treats errors without an exit kind as unexpected failures (exit 1)', () => {
    expect(exitCodeOf(new Error('boom'))).toBe(1);
    expect(exitCodeOf('a string')).toBe(1);
    expect(exitCodeOf(undefined)).toBe(1);
  });

  it('keeps exit 2 for the lib errors that are bad input or configuration', () => {
    expect(exitKindOf(new MissingColumnError('s3://b/p.csv', 'daily_sales', ['units']))).toBe(
      'input',
    );
    expect(exitKindOf(new TableNotFoundError('NoSuchTable', 'eu-west-1'))).toBe('config');
    expect(exitCodeOf(new ModelAccessDeniedError('m', 'us-east-1', 'denied'))).toBe(2);
    expect(exitCodeOf(new UnknownModelError('no model "x"'))).toBe(2);
  });
});

describe('reportFailure', () => {
  function capture() {
    const lines: { message: string; fields?: Record<string, unknown> }[] = [];
    const log = (message: string, fields?: Record<string, unknown>) =>
      lines.push({ message, fields });
    return { lines, logger: { debug: log, info: log, warn: log, error: log } };
  }

  it('logs a configuration error as its message alone', () => {
    const { lines, logger } = capture();
    expect(reportFailure(logger, 'run', new ConfigError('missing configuration: AWS_REGION'))).toBe(
      2,
    );
    expect(lines).toEqual([{ message: 'missing configuration: AWS_REGION', fields: undefined }]);
  });

  it('logs an unexpected error with the command and the stack', () => {
    const { lines, logger } = capture();
    expect(reportFailure(logger, 'backtest', new TypeError('x is undefined'))).toBe(1);
    expect(lines[0].message).toBe('backtest failed: x is undefined');
    expect(lines[0].fields?.stack).toMatch(/TypeError: x is undefined/);
  });
});
