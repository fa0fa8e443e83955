import { BatchGetItemCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { BatchGetItemCommandInput } from '@aws-sdk/client-dynamodb';
import { noopLogger } from '@retail-forecast/util';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, describe, expect, it } from 'vitest';
import { toAttributeMap, toAttributeValue } from '../src/attributeValue';
import { resolveBatchRetry } from '../src/backoff';
import { buildForecastUpdate, validateForecast } from '../src/buildForecastUpdate';
import { readCurrentStock } from '../src/readCurrentStock';
import { CARRIED_CLASS, classifyError, errorText } from '../src/classifyError';
import { InvalidForecastError, InvalidItemValueError } from '../src/index';
import { makeForecast } from './fixtures';

describe('toAttributeValue', () => {
  it('marshals nested plain data and drops undefined properties', () => {
    expect(
      toAttributeValue(
        { a: 'x', n: 1.5, b: false, z: null, gone: undefined, l: [{ d: 2 }] },
        'item',
      ),
    ).toEqual({
      M: {
        a: { S: 'x' },
        n: { N: '1.5' },
        b: { BOOL: false },
        z: { NULL: true },
        l: { L: [{ M: { d: { N: '2' } } }] },
      },
    });
  });

  it('rejects a non-finite number, naming its path', () => {
    expect(() => toAttributeValue({ daily: [{ p50: Number.NaN }] }, 'forecast')).toThrow(
      'forecast.daily[0].p50 is NaN',
    );
  });

  it('rejects class instances such as Date', () => {
    expect(() => toAttributeValue({ when: new Date(0) }, 'item')).toThrow(InvalidItemValueError);
    expect(() => toAttributeValue({ when: new Date(0) }, 'item')).toThrow(/^item\.when is /);
  });

  it('names the first value that cannot be stored, depth first, and drops undefined attributes', () => {
    const record = {
      ok: 'x',
      skipped: undefined,
      nested: { list: [1, { fine: true }, [null, Infinity]], later: Number.NaN },
      last: () => 1,
    };
    expect(() => toAttributeMap(record, 'forecast')).toThrow(
      /^forecast\.nested\.list\[2\]\[1\] is Infinity/,
    );
    expect(() => toAttributeMap(record, '')).toThrow(/^nested\.list\[2\]\[1\] is /);
    expect(() => toAttributeValue([1, undefined], 'days')).toThrow(/^days\[1\] is /);
    expect(toAttributeMap({ a: 1, b: undefined, c: { d: [null, 'e', false] } }, 'x')).toEqual({
      a: { N: '1' },
      c: { M: { d: { L: [{ NULL: true }, { S: 'e' }, { BOOL: false }] } } },
    });
  });
});

describe('resolveBatchRetry', () => {
  it('keeps defaults for options left undefined', () => {
    expect(resolveBatchRetry({ maxAttempts: undefined })).toEqual({
      maxAttempts: 8,
      backoff: { baseMs: 50, maxMs: 2000 },
    });
  });

  it("takes the caller's bounds as the full-jitter backoff", () => {
    expect(resolveBatchRetry({ maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 400 })).toEqual({
      maxAttempts: 3,
      backoff: { baseMs: 1, maxMs: 400 },
    });
  });
});

describe('validateForecast dates', () => {
  it('accepts only real YYYY-MM-DD dates for asOf and each day', () => {
    expect(() => validateForecast(makeForecast('A', { asOf: '2024-02-28' }))).not.toThrow();
    expect(() => validateForecast({ ...makeForecast('A'), asOf: '2025-02-29' })).toThrow(
      InvalidForecastError,
    );
    const shortDate = makeForecast('B');
    shortDate.daily[0].date = '2025-4-29';
    expect(() => validateForecast(shortDate)).toThrow(
      'product B: daily date "2025-4-29" is not a date (expected YYYY-MM-DD)',
    );
    const notText = { ...makeForecast('C'), asOf: 20250428 as unknown as string };
    expect(() => validateForecast(notText)).toThrow('asOf 20250428 is not a date');
  });
});

describe('readCurrentStock backoff', () => {
  const ddb = mockClient(DynamoDBClient);
  afterAll(() => ddb.restore());

  it('waits full-jitter delays that double per retry up to the cap', async () => {
    ddb.on(BatchGetItemCommand).callsFake((input: BatchGetItemCommandInput) => ({
      Responses: { T: [] },
      UnprocessedKeys: { T: input.RequestItems?.T },
    }));
    const waits: number[] = [];

    const read = await readCurrentStock(new DynamoDBClient({ region: 'us-east-1' }), 'T', ['A'], {
      retry: resolveBatchRetry({ maxAttempts: 6, baseDelayMs: 50, maxDelayMs: 400 }),
      logger: noopLogger,
      random: () => 0.999999,
      sleep: async (ms) => {
        waits.push(ms);
      },
    });

    expect(waits).toEqual([49, 99, 199, 399, 399]);
    expect([...read.unread.keys()]).toEqual(['A']);
  });
});

describe('buildForecastUpdate data-quality flag', () => {
  const ctx = { tableName: 'T', runId: 'r', generatedAt: '2025-03-31T01:00:00.000Z' };
  const forecastMap = (f: ReturnType<typeof makeForecast>) =>
    buildForecastUpdate(f, 'absent', ctx).input.ExpressionAttributeValues?.[':forecast'].M;

  it('stores data_issues in the forecast map of a flagged product', () => {
    const f = { ...makeForecast('A'), dataIssues: { rejectedDays: 3 } };
    expect(forecastMap(f)?.data_issues).toEqual({ M: { rejected_days: { N: '3' } } });
  });

  it('leaves the map of a clean product without it (the whole map is replaced each run)', () => {
    expect(forecastMap(makeForecast('A'))).not.toHaveProperty('data_issues');
  });
});

describe('buildForecastUpdate outliers', () => {
  const ctx = { tableName: 'T', runId: 'r', generatedAt: '2025-03-31T01:00:00.000Z' };
  const forecastMap = (f: ReturnType<typeof makeForecast>) =>
    buildForecastUpdate(f, 'absent', ctx).input.ExpressionAttributeValues?.[':forecast'].M;
  const day = (date: string, value: number, replacement: number) => ({ date, value, replacement });
  const withOutliers = (outliers: unknown) =>
    ({ ...makeForecast('A'), outliers }) as ReturnType<typeof makeForecast>;

  it('stores the count and the listed days, units rounded to 2 decimals', () => {
    const f = withOutliers({ count: 4, recent: [day('2025-04-22', 0, 141.236)] });
    expect(forecastMap(f)?.outliers).toEqual({
      M: {
        count: { N: '4' },
        recent: {
          L: [
            {
              M: {
                date: { S: '2025-04-22' },
                value: { N: '0' },
                replacement: { N: '141.24' },
              },
            },
          ],
        },
      },
    });
    expect(forecastMap(withOutliers({ count: 0, recent: [] }))?.outliers).toEqual({
      M: { count: { N: '0' }, recent: { L: [] } },
    });
    expect(forecastMap(makeForecast('A'))).not.toHaveProperty('outliers');
  });

  it('refuses an unbounded list, a count below it and a bad day, naming the product', () => {
    const six = Array.from({ length: 6 }, (_, i) => day(`2025-04-0${i + 1}`, 0, 5));
    expect(() => validateForecast(withOutliers({ count: 6, recent: six }))).toThrow(
      'product A: outliers lists 6 days (expected a list of at most 5)',
    );
    expect(() =>
      validateForecast(withOutliers({ count: 0, recent: [day('2025-04-01', 0, 5)] })),
    ).toThrow('product A: outliers count 0 is not allowed');
    expect(() =>
      validateForecast(withOutliers({ count: 1, recent: [day('2025-4-1', 0, 5)] })),
    ).toThrow('product A: outlier date "2025-4-1" is not a date');
    expect(() =>
      validateForecast(withOutliers({ count: 1, recent: [day('2025-04-01', 0, NaN)] })),
    ).toThrow('product A: outlier replacement on 2025-04-01 is NaN');
    expect(() => validateForecast(withOutliers({ count: 1.5, recent: [] }))).toThrow(
      InvalidForecastError,
    );
  });
});

describe('buildForecastUpdate level_shift', () => {
  const ctx = { tableName: 'T', runId: 'r', generatedAt: '2025-03-31T01:00:00.000Z' };
  const forecastMap = (f: ReturnType<typeof makeForecast>) =>
    buildForecastUpdate(f, 'absent', ctx).input.ExpressionAttributeValues?.[':forecast'].M;
  const withShift = (levelShift: unknown) =>
    ({ ...makeForecast('A'), levelShift }) as ReturnType<typeof makeForecast>;

  it('stores the first day at the new level and the means either side, rounded to 2 decimals', () => {
    const f = withShift({ date: '2025-03-02', before: 5.0357, after: 0.4667 });
    expect(forecastMap(f)?.level_shift).toEqual({
      M: { date: { S: '2025-03-02' }, before: { N: '5.04' }, after: { N: '0.47' } },
    });
    expect(forecastMap(makeForecast('A'))).not.toHaveProperty('level_shift');
  });

  it('refuses a bad date or mean, naming the product', () => {
    expect(() => validateForecast(withShift({ date: '2025-3-2', before: 5, after: 1 }))).toThrow(
      'product A: level shift date "2025-3-2" is not a date (expected YYYY-MM-DD)',
    );
    expect(() => validateForecast(withShift({ date: '2025-03-02', before: 5, after: -1 }))).toThrow(
      'product A: level shift after is -1 (expected a finite number >= 0)',
    );
    expect(() =>
      validateForecast(withShift({ date: '2025-03-02', before: NaN, after: 1 })),
    ).toThrow(InvalidForecastError);
  });
});

describe('buildForecastUpdate weekday_profile', () => {
  const ctx = { tableName: 'T', runId: 'r', generatedAt: '2025-03-31T01:00:00.000Z' };
  const forecastMap = (f: ReturnType<typeof makeForecast>) =>
    buildForecastUpdate(f, 'absent', ctx).input.ExpressionAttributeValues?.[':forecast'].M;
  const withProfile = (weekdayProfile: unknown) =>
    ({ ...makeForecast('A'), weekdayProfile }) as ReturnType<typeof makeForecast>;

  it("stores the profile's source and the own weeks' weight, rounded to 2 decimals", () => {
    const f = withProfile({ source: 'category', ownWeight: 0.3149 });
    expect(forecastMap(f)?.weekday_profile).toEqual({
      M: { source: { S: 'category' }, own_weight: { N: '0.31' } },
    });
    expect(
      forecastMap(withProfile({ source: 'catalogue', ownWeight: 0 }))?.weekday_profile,
    ).toEqual({ M: { source: { S: 'catalogue' }, own_weight: { N: '0' } } });
    expect(forecastMap(makeForecast('A'))).not.toHaveProperty('weekday_profile');
  });

  it('refuses a bad source or weight, naming the product', () => {
    expect(() => validateForecast(withProfile({ source: 'store', ownWeight: 0.3 }))).toThrow(
      'product A: weekday profile source "store" is not allowed (expected category or catalogue)',
    );
    expect(() => validateForecast(withProfile({ source: 'category', ownWeight: 1.5 }))).toThrow(
      'product A: weekday profile own weight is 1.5 (expected a finite number in [0, 1])',
    );
    expect(() => validateForecast(withProfile({ source: 'category', ownWeight: -0.1 }))).toThrow(
      'product A: weekday profile own weight is -0.1 (expected a finite number in [0, 1])',
    );
    expect(() => validateForecast(withProfile({ source: 'catalogue', ownWeight: NaN }))).toThrow(
      InvalidForecastError,
    );
  });
});

describe('classifyError on an error a writer worker sent back', () => {
  it('keeps the class the worker gave it, whatever its name says', () => {
    const err = new Error('Rate of requests exceeds the allowed throughput.');
    err.name = 'ThrottlingException';
    Object.defineProperty(err, CARRIED_CLASS, { value: 'unreachable' });
    expect(classifyError(err)).toBe('unreachable');
    expect(errorText(err)).toBe(
      'ThrottlingException: Rate of requests exceeds the allowed throughput.',
    );
  });
});
