/**
 * `npm run bench -- faults`: how the job's writes behave under faults, on the local DynamoDB
 * behind the fault proxy (loopback: the figures measure the writer's retry behaviour, not AWS
 * latency). For 300 products: no faults, then 30 % and 90 % of UpdateItem calls throttled
 * (ProvisionedThroughputExceededException in the wire format), with the writer's retry strategy
 * (60 s deadline) and, for comparison, the previous client setting (SDK adaptive retries, 8
 * attempts, no passes, no deadline; its 90 % run is left out: it takes minutes).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { writeForecasts, WriterRetryStrategy } from '@retail-forecast/dynamodb-writer';
import type { WriteOptions } from '@retail-forecast/dynamodb-writer';
import { createInventoryTable, seedInventory } from '@retail-forecast/dynamodb-writer/testing';
import { startFaultProxy } from '@retail-forecast/fault-proxy';
import type { FaultProxy } from '@retail-forecast/fault-proxy';
import { toProductForecast } from '@retail-forecast/forecasting';
import type { ProductForecast } from '@retail-forecast/forecasting';
import { startLocalDynamo } from '@retail-forecast/local-aws/testing';
import { faultsBedrock } from './faultsBedrock';
import type { LocalDynamo } from '@retail-forecast/local-aws/testing';

const PRODUCTS = 300;
/** The write deadline of the throttled runs. */
const DEADLINE_MS = 60_000;

function forecasts(n: number): ProductForecast[] {
  return Array.from({ length: n }, (_, k) => {
    const p50 = Float64Array.from({ length: 7 }, (_, d) => 1 + ((k + d) % 5));
    return toProductForecast({ productId: `P${k}` }, '2025-04-28', 7, 'statistical:bench', {
      p10: p50.map((v) => v * 0.5),
      p50,
      p90: p50.map((v) => v * 1.6),
    });
  });
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

interface Scenario {
  label: string;
  throttle: number;
  client: 'writer' | 'previous';
  /** Run but not printed: the first runs pay for JIT warm-up and connection set-up. */
  warmUp?: boolean;
}

async function runScenario(
  local: LocalDynamo,
  admin: DynamoDBClient,
  proxy: FaultProxy,
  s: Scenario,
  index: number,
): Promise<number> {
  const table = `Faults-${index}`;
  await createInventoryTable(admin, table);
  const input = forecasts(PRODUCTS);
  await seedInventory(
    admin,
    table,
    input.map((f, k) => ({ product_id: f.productId, current_stock: k % 40 })),
  );
  proxy.setRules(
    s.throttle > 0
      ? [
          {
            operation: 'UpdateItem',
            probability: s.throttle,
            fault: { error: 'ProvisionedThroughputExceededException' },
          },
        ]
      : [],
  );
  proxy.resetCounts();
  const retry: DynamoDBClientConfig =
    s.client === 'writer'
      ? { retryStrategy: new WriterRetryStrategy() }
      : { retryMode: 'adaptive', maxAttempts: 8 };
  const client = new DynamoDBClient({ ...local.clientConfig, endpoint: proxy.endpoint, ...retry });
  const options: WriteOptions = {
    client,
    tableName: table,
    runId: `bench-${index}`,
    generatedAt: new Date().toISOString(),
    // The previous writer sent each product once and left retries to the SDK.
    ...(s.client === 'previous' ? { updateRetry: { maxAttempts: 1 } } : {}),
    ...(s.throttle > 0 && s.client === 'writer'
      ? { deadline: new Date(Date.now() + DEADLINE_MS) }
      : {}),
  };
  const started = performance.now();
  const result = await writeForecasts(input, options);
  const seconds = (performance.now() - started) / 1000;
  client.destroy();

  const perKey = proxy.counts().keys.UpdateItem ?? {};
  const attempts = input.map((f) => perKey[f.productId] ?? 0).sort((a, b) => a - b);
  const listedBelow5 = result.failed.filter((f) => (perKey[f.productId] ?? 0) < 5).length;
  if (s.warmUp) return seconds;
  console.log(
    `  ${s.label.padEnd(44)} ${seconds.toFixed(2).padStart(7)} s   attempts/product ` +
      `min ${attempts[0]} median ${quantile(attempts, 0.5)} max ${attempts.at(-1)}   ` +
      `written ${result.written}  failed ${result.failed.length}` +
      (result.failed.length > 0 ? ` (${listedBelow5} of them tried < 5 times)` : ''),
  );
  return seconds;
}

/** DynamoDB write figures under UpdateItem throttling. */
async function dynamoDbFaultFigures(): Promise<void> {
  const local = await startLocalDynamo();
  const proxy = await startFaultProxy({ target: local.endpoint, seed: 7 });
  const admin = new DynamoDBClient(local.clientConfig);
  try {
    console.log(
      `\n=== DynamoDB writes under faults: ${PRODUCTS} products, local DynamoDB behind the fault proxy ===`,
    );
    const scenarios: Scenario[] = [
      { label: 'warm-up', throttle: 0, client: 'writer', warmUp: true },
      { label: 'warm-up', throttle: 0.3, client: 'writer', warmUp: true },
      { label: 'no faults', throttle: 0, client: 'writer' },
      { label: '30 % UpdateItem throttled', throttle: 0.3, client: 'writer' },
      { label: '90 % UpdateItem throttled', throttle: 0.9, client: 'writer' },
      { label: 'previous setting, no faults', throttle: 0, client: 'previous' },
      { label: 'previous setting, 30 % throttled', throttle: 0.3, client: 'previous' },
    ];
    const seconds: number[] = [];
    for (const [i, s] of scenarios.entries())
      seconds.push(await runScenario(local, admin, proxy, s, i));
    console.log(
      `  30 % throttled / no faults: ${(seconds[3] / seconds[2]).toFixed(1)}× (target <= 3×); ` +
        `previous setting: ${(seconds[6] / seconds[5]).toFixed(1)}×`,
    );
  } finally {
    admin.destroy();
    await proxy.close();
    await local.close();
  }
}

export async function faultFigures(): Promise<void> {
  await dynamoDbFaultFigures();
  await faultsBedrock();
}
