/**
 * Throughput of writeForecasts against a local dynalite (in-memory, loopback). The figures measure
 * the writer plus the emulator, not AWS: real DynamoDB latency (~5-10 ms per UpdateItem) makes
 * concurrency matter far more there.
 *
 *   npx tsx libs/dynamodb-writer/bench/writeThroughput.ts [products...]
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { startLocalDynamo } from '@retail-forecast/local-aws/testing';
import { buildForecastUpdate } from '../src/buildForecastUpdate';
import { writeForecasts } from '../src/index';
import { createInventoryTable, seedInventory } from '../src/testing';
import { makeForecast } from '../test/fixtures';

const sizes = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => n > 0);
const runs = sizes.length > 0 ? sizes : [61, 1000, 3000];

// The writer's own CPU cost per product (validation, totals, marshalling), without any I/O.
{
  const forecasts = Array.from({ length: 20_000 }, (_, k) =>
    makeForecast(`P${k}`, { p50: 1 + (k % 5) }),
  );
  const ctx = { tableName: 'T', runId: 'bench', generatedAt: new Date().toISOString() };
  const started = performance.now();
  for (const [k, f] of forecasts.entries()) buildForecastUpdate(f, k % 2 === 0 ? k : 'absent', ctx);
  const ms = performance.now() - started;
  console.log(
    `build UpdateItem input: ${forecasts.length} products in ${ms.toFixed(0)} ms ` +
      `(${((ms * 1000) / forecasts.length).toFixed(1)} µs/product)`,
  );
}

const local = await startLocalDynamo();
const client = new DynamoDBClient(local.clientConfig);
try {
  for (const [i, n] of runs.entries()) {
    for (const concurrency of [1, 16, 64]) {
      const table = `Bench-${i}-${concurrency}`;
      await createInventoryTable(client, table);
      const ids = Array.from({ length: n }, (_, k) => `P${k}`);
      // Half the items carry stock so both update shapes are exercised.
      await seedInventory(
        client,
        table,
        ids.filter((_, k) => k % 2 === 0).map((id, k) => ({ product_id: id, current_stock: k })),
      );
      const forecasts = ids.map((id, k) => makeForecast(id, { p50: 1 + (k % 5) }));
      const started = performance.now();
      const result = await writeForecasts(forecasts, {
        client,
        tableName: table,
        runId: 'bench',
        generatedAt: new Date().toISOString(),
        concurrency,
      });
      const ms = performance.now() - started;
      console.log(
        `${String(n).padStart(5)} products  concurrency ${String(concurrency).padStart(2)}  ` +
          `${ms.toFixed(0).padStart(6)} ms  ${((n / ms) * 1000).toFixed(0).padStart(5)} products/s  ` +
          `written ${result.written} failed ${result.failed.length}`,
      );
    }
  }
} finally {
  client.destroy();
  await local.close();
}
