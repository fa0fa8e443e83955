/**
 * `npm run bench -- writes [--items 20000] [--concurrency 16] [--rounds 2] [--workers n]
 * [--dynalite] [--profile]`: the
 * client's cost of writing forecasts through the real `writeForecasts` path (DescribeTable, the
 * BatchGetItem stock read, one conditional UpdateItem per product, SigV4-signed), to
 * fast-dynamo in a child process, so `process.cpuUsage()` counts the client process only (its
 * worker threads included). Half the items hold a current_stock, all get a reorder suggestion,
 * as in the daily job. `--dynalite` adds a smaller run against dynalite (in the same process:
 * its CPU is counted, only items/s is comparable). `--profile` samples the measured run with the
 * V8 profiler and prints self time by area (SDK middleware, signing, HTTP, JSON, the writer).
 */
import { readFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import {
  createWriterClient,
  writeForecasts,
  WriterRetryStrategy,
} from '@retail-forecast/dynamodb-writer';
import { createInventoryTable, seedInventory } from '@retail-forecast/dynamodb-writer/testing';
import { spawnFastDynamo } from '@retail-forecast/fast-dynamo';
import { inMemoryDynamoHandler } from './inMemoryDynamo';
import { toProductForecast } from '@retail-forecast/forecasting';
import type { ProductForecast } from '@retail-forecast/forecasting';
import {
  LOCAL_CREDENTIALS,
  LOCAL_REGION,
  startLocalDynamo,
} from '@retail-forecast/local-aws/testing';

interface WriteFigures {
  items: number;
  seconds: number;
  /** The client process, all its threads. */
  cpuMsPerItem: number;
  /** The client's main thread alone (Linux), which the rest of the job also needs. */
  mainThreadMsPerItem?: number;
  /** The endpoint's process, when it runs in a child. */
  endpointMsPerItem?: number;
  written: number;
  failed: number;
}

/** Linux clock ticks per second for /proc's utime and stime (USER_HZ; 100 on every mainstream kernel). */
const TICKS_PER_SECOND = 100;

/**
 * CPU ms (user + system) of a process (`/proc/<pid>/stat`) or one thread of it
 * (`/proc/<pid>/task/<tid>/stat`); undefined where /proc is not there. 10 ms resolution, so
 * only runs of seconds are measured this way.
 */
function procCpuMs(statPath: string): number | undefined {
  try {
    const stat = readFileSync(statPath, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 14 and 15 of the line (utime, stime) are the 12th and 13th after the command name.
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

function forecasts(n: number, offset = 0): ProductForecast[] {
  return Array.from({ length: n }, (_, i) => {
    const k = i + offset;
    const p50 = Float64Array.from({ length: 7 }, (_, d) => 1 + (((k * 7 + d) * 13) % 17) / 3);
    return toProductForecast(
      {
        productId: `SKU-${String(k).padStart(6, '0')}`,
        productName: `Product ${k}`,
        category: `Category ${k % 12}`,
      },
      '2025-04-28',
      7,
      'statistical:ets(A,N,A)',
      { p10: p50.map((v) => v * 0.55), p50, p90: p50.map((v) => v * 1.45) },
    );
  });
}

function flag(name: string): boolean {
  return process.argv.includes(name);
}

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  if (i < 0) return fallback;
  const v = Number(process.argv[i + 1]);
  if (!Number.isInteger(v) || v < 1)
    throw new Error(`${name} ${process.argv[i + 1]} is not allowed (expected an integer >= 1)`);
  return v;
}

interface Variant {
  make: (config: DynamoDBClientConfig, concurrency: number) => DynamoDBClient;
  /** writeForecasts' `workers`. */
  workers: number;
}

/**
 * `createWriterClient` as it was before it shared one SigV4 signer between requests: the SDK then
 * makes a signer per request, from a copy of the whole client config.
 */
function signerPerRequest(config: DynamoDBClientConfig, concurrency: number): DynamoDBClient {
  const client = new DynamoDBClient({
    retryStrategy: new WriterRetryStrategy(),
    cacheMiddleware: true,
    // NodeHttpHandler options, which the SDK turns into its handler.
    requestHandler: {
      httpAgent: { keepAlive: true, maxSockets: concurrency },
      httpsAgent: { keepAlive: true, maxSockets: concurrency },
    },
    ...config,
  });
  client.middlewareStack.remove('recursionDetectionMiddleware');
  return client;
}

/**
 * How the job's client is made: as the app did before createWriterClient, createWriterClient
 * without the SDK's middleware cache (as it was before it set `cacheMiddleware`), with a signer
 * per request (as it was before it shared one), as it is now, and (with `--workers n`) with the
 * UpdateItem calls on n worker threads.
 */
function variants(workers: number): Record<string, Variant> {
  const writerClient: Variant['make'] = (config, concurrency) =>
    createWriterClient(config, { concurrency });
  return {
    'stock client (SDK defaults)': {
      make: (config) => new DynamoDBClient({ ...config, retryStrategy: new WriterRetryStrategy() }),
      workers: 0,
    },
    'createWriterClient, chain not cached': {
      make: (config, concurrency) =>
        createWriterClient({ ...config, cacheMiddleware: false }, { concurrency }),
      workers: 0,
    },
    'createWriterClient, signer per request': { make: signerPerRequest, workers: 0 },
    createWriterClient: { make: writerClient, workers: 0 },
    ...(workers > 0
      ? { [`createWriterClient, ${workers} workers`]: { make: writerClient, workers } }
      : {}),
  };
}

async function writeRun(
  variant: Variant,
  clientConfig: DynamoDBClientConfig,
  table: string,
  input: ProductForecast[],
  concurrency: number,
  profile?: Session,
  endpointPid?: number,
): Promise<WriteFigures> {
  const admin = new DynamoDBClient(clientConfig);
  await createInventoryTable(admin, table);
  await seedInventory(
    admin,
    table,
    input
      .filter((_, k) => k % 2 === 0)
      .map((f, k) => ({ product_id: f.productId, current_stock: 5 + (k % 40), price: 9.99 })),
  );
  admin.destroy();
  // A fresh client as the job makes one, created (not timed) before the run.
  const client = variant.make(clientConfig, concurrency);
  if (profile) await profile.post('Profiler.start');
  const mainThread = `/proc/${process.pid}/task/${process.pid}/stat`;
  const endpoint = `/proc/${endpointPid}/stat`;
  const mainBefore = procCpuMs(mainThread);
  const endpointBefore = endpointPid === undefined ? undefined : procCpuMs(endpoint);
  const cpu = process.cpuUsage();
  const started = performance.now();
  const result = await writeForecasts(input, {
    client,
    tableName: table,
    runId: 'bench-writes',
    generatedAt: new Date().toISOString(),
    concurrency,
    workers: variant.workers,
    reorder: { leadTimeDays: 7, reviewPeriodDays: 7, serviceLevel: 0.95 },
  });
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const mainAfter = procCpuMs(mainThread);
  const endpointAfter = endpointPid === undefined ? undefined : procCpuMs(endpoint);
  client.destroy();
  const perItem = (before: number | undefined, after: number | undefined) =>
    before === undefined || after === undefined ? undefined : (after - before) / input.length;
  return {
    items: input.length,
    seconds,
    cpuMsPerItem: (used.user + used.system) / 1000 / input.length,
    mainThreadMsPerItem: perItem(mainBefore, mainAfter),
    endpointMsPerItem: perItem(endpointBefore, endpointAfter),
    written: result.written,
    failed: result.failed.length,
  };
}

/**
 * Client CPU ms per item of a `writeForecasts` run answered in memory (`inMemoryDynamoHandler`):
 * the writer and the SDK without HTTP, sockets or an endpoint, so the figure moves little with
 * the machine's load.
 */
async function inMemoryRun(
  variant: Variant,
  input: ProductForecast[],
  concurrency: number,
): Promise<number> {
  const client = variant.make(
    {
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
      requestHandler: inMemoryDynamoHandler(),
    },
    concurrency,
  );
  const cpu = process.cpuUsage();
  const result = await writeForecasts(input, {
    client,
    tableName: 'InMemory',
    runId: 'bench-writes',
    generatedAt: new Date().toISOString(),
    concurrency,
    reorder: { leadTimeDays: 7, reviewPeriodDays: 7, serviceLevel: 0.95 },
  });
  const used = process.cpuUsage(cpu);
  client.destroy();
  if (result.written !== input.length)
    throw new Error(`in-memory run wrote ${result.written} of ${input.length} items`);
  return (used.user + used.system) / 1000 / input.length;
}

function print(label: string, f: WriteFigures): void {
  console.log(
    `  ${label.padEnd(39)} ${String(f.items).padStart(6)} items  ${f.seconds.toFixed(2).padStart(6)} s  ` +
      `${(f.items / f.seconds).toFixed(0).padStart(6)} items/s  client CPU ${f.cpuMsPerItem.toFixed(3)} ms/item` +
      (f.mainThreadMsPerItem === undefined
        ? ''
        : ` (main thread ${f.mainThreadMsPerItem.toFixed(3)})`) +
      (f.endpointMsPerItem === undefined
        ? ''
        : `  endpoint CPU ${f.endpointMsPerItem.toFixed(3)} ms/item`) +
      `  written ${f.written}, failed ${f.failed}`,
  );
}

/** Buckets for the profile's self time, first match wins. */
const AREAS: [string, RegExp][] = [
  ['signing (SigV4, hashing)', /signature-v4|@smithy\/hash-node|@aws-crypto|sha256/],
  [
    'JSON (de)serialisation (SDK schemas)',
    /@smithy\/core\/dist-cjs\/submodules\/(schema|serde)|protocols|smithy-client|util-body|@aws-sdk\/core\/dist-cjs\/submodules\/protocols/,
  ],
  ['SDK middleware, endpoints, retry', /@smithy|@aws-sdk/],
  [
    'HTTP (node:http, sockets)',
    /node:(_http|http|net|stream|internal\/(streams|http|net|stream))|_http_/,
  ],
  ['writer (dynamodb-writer, planning)', /dynamodb-writer|inventory-planning|p-limit/],
];

interface ProfileNode {
  id: number;
  callFrame: { url: string; functionName: string };
  hitCount?: number;
  children?: number[];
}

/**
 * Self time by area. Builtins and natives (no script URL: JSON.parse, string building, crypto
 * bindings...) count for the nearest caller that has one, so the areas say who spent the time.
 */
function printProfile(profile: { nodes: ProfileNode[] }): void {
  const parent = new Map<number, ProfileNode>();
  for (const node of profile.nodes) for (const c of node.children ?? []) parent.set(c, node);
  const areaOf = (node: ProfileNode): string => {
    for (let n: ProfileNode | undefined = node; n; n = parent.get(n.id)) {
      const url = n.callFrame.url;
      if (url !== '') return AREAS.find(([, re]) => re.test(url))?.[0] ?? 'other';
    }
    return 'V8/native, no script caller';
  };
  const totals = new Map<string, number>();
  let all = 0;
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    const { functionName } = node.callFrame;
    if (hits === 0 || functionName === '(idle)' || functionName === '(program)') continue;
    all += hits;
    const area = functionName === '(garbage collector)' ? 'garbage collection' : areaOf(node);
    totals.set(area, (totals.get(area) ?? 0) + hits);
  }
  console.log('  CPU profile of the measured run (self time, share of busy samples):');
  for (const [area, hits] of [...totals].sort((a, b) => b[1] - a[1])) {
    console.log(`    ${area.padEnd(38)} ${((100 * hits) / all).toFixed(1).padStart(5)} %`);
  }
  const byFunction = new Map<string, number>();
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    const { functionName, url } = node.callFrame;
    if (hits === 0 || functionName === '(idle)' || functionName === '(program)') continue;
    const where = url
      .replace(/^.*node_modules\//, '')
      .replace(/^file:\/\/.*\/(libs|tools|apps)\//, '$1/');
    const name = `${functionName || '(anonymous)'} ${where}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + hits);
  }
  console.log('  Top functions (self time):');
  for (const [name, hits] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, 12)) {
    console.log(`    ${((100 * hits) / all).toFixed(1).padStart(5)} %  ${name.slice(0, 110)}`);
  }
}

export async function writeFigures(): Promise<void> {
  const items = option('--items', 20_000);
  const concurrency = option('--concurrency', 16);
  const rounds = option('--rounds', 2);
  const clients = variants(process.argv.includes('--workers') ? option('--workers', 1) : 0);
  console.log(
    `\n=== DynamoDB writes: writeForecasts to fast-dynamo (child process), ${items} items, ` +
      `concurrency ${concurrency}, ${rounds} round(s) per client, alternating ===`,
  );
  const fast = await spawnFastDynamo();
  const config: DynamoDBClientConfig = {
    endpoint: fast.endpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
  };
  const best = new Map<string, WriteFigures>();
  try {
    // Warm-up: JIT, connections, and the endpoint's own start.
    for (const variant of Object.values(clients)) {
      await writeRun(
        variant,
        config,
        'WarmUp',
        forecasts(Math.min(2000, items), 1_000_000),
        concurrency,
      );
    }
    let table = 0;
    for (let r = 0; r < rounds; r++) {
      for (const [label, variant] of Object.entries(clients)) {
        const f = await writeRun(
          variant,
          config,
          `Writes${table++}`,
          forecasts(items),
          concurrency,
          undefined,
          fast.pid,
        );
        print(label, f);
        const b = best.get(label);
        if (!b || f.cpuMsPerItem < b.cpuMsPerItem) best.set(label, f);
      }
    }
    console.log('  best round (least client CPU; other processes on the machine only ever add):');
    for (const [label, f] of best) print(label, f);
    console.log(
      '  without HTTP (the same runs answered in memory: writer + SDK only), client CPU ms/item by round:',
    );
    const inMemory = Object.entries(clients).filter(([, v]) => v.workers === 0);
    const perRound = new Map<string, number[]>(inMemory.map(([label]) => [label, []]));
    for (const [, variant] of inMemory)
      await inMemoryRun(variant, forecasts(2000, 1_000_000), concurrency);
    for (let r = 0; r < Math.max(rounds, 3); r++) {
      for (const [label, variant] of inMemory) {
        perRound.get(label)?.push(await inMemoryRun(variant, forecasts(items), concurrency));
      }
    }
    for (const [label, figures] of perRound) {
      const median = [...figures].sort((a, b) => a - b)[Math.floor(figures.length / 2)];
      console.log(
        `  ${label.padEnd(39)} ${figures.map((f) => f.toFixed(3)).join(' ')}  (median ${median.toFixed(3)})`,
      );
    }
    if (flag('--profile')) {
      const session = new Session();
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.setSamplingInterval', { interval: 200 });
      const f = await writeRun(
        clients.createWriterClient,
        config,
        'Profiled',
        forecasts(items),
        concurrency,
        session,
        fast.pid,
      );
      print('createWriterClient, profiled', f);
      const { profile } = await session.post('Profiler.stop');
      printProfile(profile as unknown as { nodes: ProfileNode[] });
      session.disconnect();
    }
  } finally {
    await fast.close();
  }
  if (flag('--dynalite')) {
    const n = Math.min(items, 3000);
    const local = await startLocalDynamo();
    try {
      print(
        'dynalite, in process (CPU shared)',
        await writeRun(
          clients.createWriterClient,
          local.clientConfig,
          'Writes',
          forecasts(n),
          concurrency,
        ),
      );
    } finally {
      await local.close();
    }
  }
}
