import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { ProductForecast } from '@retail-forecast/forecasting';
import { startLocalDynamo } from '@retail-forecast/local-aws/testing';
import type { LocalDynamo } from '@retail-forecast/local-aws/testing';
import { addDays } from '@retail-forecast/util';
import { afterAll, beforeAll } from 'vitest';

/** A file's local DynamoDB (dynalite on 127.0.0.1) and the real SDK client talking to it. */
export interface LocalDynamoFixture {
  readonly local: LocalDynamo;
  readonly client: DynamoDBClient;
}

/**
 * Starts a local DynamoDB before the file's tests and stops it after them (call at the top of an
 * integration test file); `client` is ready inside every test.
 */
export function useLocalDynamo(): LocalDynamoFixture {
  const fixture = {} as { local: LocalDynamo; client: DynamoDBClient };
  beforeAll(async () => {
    fixture.local = await startLocalDynamo();
    fixture.client = new DynamoDBClient(fixture.local.clientConfig);
  }, 30_000);
  afterAll(async () => {
    fixture.client?.destroy();
    await fixture.local?.close();
  });
  return fixture;
}

export interface ForecastSpec {
  asOf?: string;
  horizonDays?: number;
  /** Same value every day unless `p50s` is given. */
  p50?: number;
  p50s?: number[];
  /** p90 = p50 + spread, p10 = max(0, p50 - spread). */
  spread?: number;
  model?: string;
  productName?: string;
  category?: string;
  fallbackReason?: string;
}

/** A ProductForecast honouring the engine's contract (dates after asOf, totals = sum of p50). */
export function makeForecast(productId: string, spec: ForecastSpec = {}): ProductForecast {
  const asOf = spec.asOf ?? '2025-04-28';
  const h = spec.horizonDays ?? spec.p50s?.length ?? 7;
  const p50s = spec.p50s ?? Array.from({ length: h }, () => spec.p50 ?? 2);
  const spread = spec.spread ?? 1;
  const daily = p50s.map((p50, i) => ({
    date: addDays(asOf, i + 1),
    p10: Math.max(0, p50 - spread),
    p50,
    p90: p50 + spread,
  }));
  return {
    productId,
    ...(spec.productName !== undefined ? { productName: spec.productName } : {}),
    ...(spec.category !== undefined ? { category: spec.category } : {}),
    asOf,
    horizonDays: h,
    model: spec.model ?? 'statistical:ets(A,N,A)',
    ...(spec.fallbackReason !== undefined ? { fallbackReason: spec.fallbackReason } : {}),
    forecastedDemand: p50s.reduce((a, b) => a + b, 0),
    daily,
  };
}
