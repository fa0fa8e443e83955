import type { ExitKind, HasExitKind } from '@retail-forecast/util';
import { errorText } from './classifyError';

/** Base of every error this lib throws on purpose. Per-product write failures are reported, not thrown. */
export class DynamoDbWriterError extends Error implements HasExitKind {
  /** A write that could not be done fails the run (exit 1) unless a subclass says otherwise. */
  readonly exitKind: ExitKind = 'failure';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DynamoDbWriterError';
  }
}

/** The caller passed options that cannot work (both client and clientConfig, an empty table name...). */
export class InvalidWriterOptionsError extends DynamoDbWriterError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InvalidWriterOptionsError';
  }
}

/** DynamoDB answered ResourceNotFoundException for the table. */
export class TableNotFoundError extends DynamoDbWriterError {
  /** The table name or region/endpoint setting is wrong: exit 2. */
  override readonly exitKind: ExitKind = 'config';
  readonly tableName: string;
  readonly region: string | undefined;

  constructor(tableName: string, region: string | undefined, options?: { cause?: unknown }) {
    super(
      `DynamoDB table "${tableName}" was not found in region ${region ?? '(unknown)'}; ` +
        'create it (e.g. with the infra stack) or point the client at the right region/endpoint',
      options,
    );
    this.name = 'TableNotFoundError';
    this.tableName = tableName;
    this.region = region;
  }
}

/** seedInventory could not get every item written within its retry bound. */
export class UnprocessedItemsError extends DynamoDbWriterError {
  readonly unprocessed: number;

  constructor(tableName: string, unprocessed: number, attempts: number) {
    super(
      `${unprocessed} item(s) for table "${tableName}" were still unprocessed after ${attempts} ` +
        'BatchWriteItem attempts (expected 0)',
    );
    this.name = 'UnprocessedItemsError';
    this.unprocessed = unprocessed;
  }
}

/** createInventoryTable gave up waiting for the table to become ACTIVE. */
export class TableNotActiveError extends DynamoDbWriterError {
  /** The table exists but cannot be used yet: an environment problem, exit 2. */
  override readonly exitKind: ExitKind = 'config';

  constructor(tableName: string, status: string | undefined, timeoutMs: number) {
    super(
      `DynamoDB table "${tableName}" was still ${status ?? 'not described'} after ${timeoutMs} ms ` +
        '(expected ACTIVE)',
    );
    this.name = 'TableNotActiveError';
  }
}

/** A value cannot be stored as a DynamoDB attribute (NaN, Infinity, a function, a Date...). */
export class InvalidItemValueError extends DynamoDbWriterError {
  constructor(path: string, value: unknown, options?: { cause?: unknown }) {
    super(
      `${path} is ${describeValue(value)}, which cannot be stored in DynamoDB ` +
        '(expected a string, finite number, boolean, null, array or plain object)',
      options,
    );
    this.name = 'InvalidItemValueError';
  }
}

/** A ProductForecast breaks its contract; the product is reported as failed, not thrown. */
export class InvalidForecastError extends DynamoDbWriterError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InvalidForecastError';
  }
}

/** The table's key schema is not the one the writer stores forecasts under. */
export class KeySchemaMismatchError extends DynamoDbWriterError {
  /** The table or the product ids do not fit each other: a setting to fix, exit 2. */
  override readonly exitKind: ExitKind = 'config';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'KeySchemaMismatchError';
  }
}

/** The credentials may not call DynamoDB the way the writer must (read-only, wrong role...). */
export class DynamoDbAccessDeniedError extends DynamoDbWriterError {
  /** Every product would fail the same way: one configuration error, exit 2. */
  override readonly exitKind: ExitKind = 'config';

  constructor(operation: string, tableName: string, options?: { cause?: unknown }) {
    super(
      `DynamoDB denied ${operation} on table "${tableName}" (${errorText(options?.cause)}); ` +
        `the job's credentials need dynamodb:${operation} on it (read-only credentials cannot write forecasts)`,
      options,
    );
    this.name = 'DynamoDbAccessDeniedError';
  }
}

/** No DynamoDB endpoint answered: a wrong endpoint/region setting or no network, exit 2. */
export class DynamoDbUnreachableError extends DynamoDbWriterError {
  override readonly exitKind: ExitKind = 'config';

  constructor(endpoint: string, options?: { cause?: unknown }) {
    super(
      `DynamoDB at ${endpoint} could not be reached (${errorText(options?.cause)}); ` +
        'check AWS_ENDPOINT_URL_DYNAMODB / AWS_REGION and the network',
      options,
    );
    this.name = 'DynamoDbUnreachableError';
  }
}

function describeValue(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (value === undefined) return 'undefined';
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'object' && value !== null)
    return `a ${value.constructor?.name ?? 'object'}`;
  return `a ${typeof value}`;
}
