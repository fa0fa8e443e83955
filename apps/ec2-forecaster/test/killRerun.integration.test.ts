// kill -9 in the middle of the DynamoDB writes, then a rerun: every item must end up with the
// complete forecast of the rerun and keep its other attributes. The job runs as a real child
// process against local S3 and DynamoDB; the fault proxy slows the writes so the kill lands
// while some items are written and others are not.
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { createInventoryTable, seedInventory } from '@retail-forecast/dynamodb-writer/testing';
import { startFaultProxy } from '@retail-forecast/fault-proxy';
import type { FaultProxy } from '@retail-forecast/fault-proxy';
import { demoInventoryItems, generateDemoDataset } from '@retail-forecast/local-aws';
import type { DemoDataset } from '@retail-forecast/local-aws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocal, TABLE } from './harness';
import type { Local } from './harness';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const END = '2025-06-30';

let local: Local;
let proxy: FaultProxy;
let demo: DemoDataset;

beforeAll(async () => {
  local = await startLocal();
  proxy = await startFaultProxy({
    target: local.env.AWS_ENDPOINT_URL_DYNAMODB as string,
    rules: [{ operation: 'UpdateItem', fault: { delayMs: 60 } }],
  });
  demo = generateDemoDataset({ products: 40, days: 120, endDate: END, seed: 11 });
  await local.putGoldParquet('forecast_ready/', demo.rows, 2);
  await createInventoryTable(local.dynamodb, TABLE);
  await seedInventory(local.dynamodb, TABLE, demoInventoryItems(demo, { supplier: 'acme' }));
}, 60_000);
afterAll(async () => {
  await proxy?.close();
  await local?.close();
});

async function scan() {
  const { Items } = await local.dynamodb.send(
    new ScanCommand({ TableName: TABLE, ConsistentRead: true }),
  );
  return (Items ?? []).map((i) => unmarshall(i));
}

describe('kill -9 mid-write, then rerun', () => {
  it('leaves every item with the complete forecast of the rerun and its other attributes', async () => {
    const before = new Map((await scan()).map((i) => [i.product_id as string, i]));
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'apps/ec2-forecaster/src/main.ts', 'run', '--concurrency', '2', '--json'],
      {
        cwd: REPO,
        env: {
          ...process.env,
          ...local.env,
          AWS_ENDPOINT_URL_DYNAMODB: proxy.endpoint,
          FORECAST_RUN_ID: 'run-killed',
        },
        stdio: 'ignore',
      },
    );
    const exited = new Promise<NodeJS.Signals | null>((r) => child.on('exit', (_c, s) => r(s)));

    // Kill once a few items hold the first run's forecast.
    let writtenAtKill = 0;
    for (let i = 0; i < 1200 && child.exitCode === null; i++) {
      writtenAtKill = (await scan()).filter((it) => it.forecast?.run_id === 'run-killed').length;
      if (writtenAtKill >= 3) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    const atKill = (await scan()).filter((it) => it.forecast?.run_id === 'run-killed').length;
    expect(atKill).toBeGreaterThanOrEqual(3);
    expect(atKill).toBeLessThan(before.size);

    const output = join(local.dir, 'rerun.jsonl');
    const rerun = await local.cli(['run', '--json', '--output', output], {
      FORECAST_RUN_ID: 'run-2',
    });
    expect(rerun.code).toBe(0);
    const lines = (await readFile(output, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));

    const after = await scan();
    expect(after).toHaveLength(before.size);
    for (const line of lines) {
      const item = after.find((i) => i.product_id === line.product_id);
      const seeded = before.get(line.product_id) ?? {};
      expect(item, line.product_id).toMatchObject({ ...seeded, forecast_as_of: END });
      expect(item?.forecast.run_id).toBe('run-2');
      expect(item?.forecast.as_of).toBe(END);
      expect(item?.forecasted_demand).toBe(line.forecasted_demand);
      expect(item?.forecast.daily.map((d: { p50: number }) => d.p50)).toEqual(
        line.daily.map((d: { p50: number }) => Math.round(d.p50 * 100) / 100),
      );
      if (typeof seeded.current_stock === 'number') {
        expect(typeof item?.stockout_risk).toBe('boolean');
      }
    }
  }, 180_000);
});
