/**
 * `npm run bench -- scale [--products 10000,100000] [--phases load,forecast,dry-run] [--parts 64]
 *   [--days 730] [--data-dir DIR] [--decode-workers N]`
 *
 * For each scale: generates N × days Spark-like Gold Parquet (generateGold.ts, cached on disk in
 * DIR, default the OS temp dir), uploads it to a local S3 server (s3rver, tools/local-aws), then
 * runs, each in its own process so that its peak RSS is its own:
 *   1. load + forecast (phases.ts): sales-data's loadSalesData (Parquet decoded on N worker
 *      threads, default one per core as the job does; 0 = on the main thread), then forecastMany
 *      on all cores;
 *   2. end to end: `forecast run --dry-run` (the job's CLI, no DynamoDB), timed by /usr/bin/time.
 * Prints wall and CPU time, products/s and peak RSS per phase, and the growth from the smallest
 * to the largest scale. Figures only; nothing is asserted.
 * The DynamoDB write phase belongs to the writes benchmark: add it as a third run here (same
 * data, `forecast run` against the fast local DynamoDB endpoint) where `dryRun` is measured.
 */
import { execFile } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { LOCAL_CREDENTIALS, LOCAL_REGION, startLocalS3 } from '@retail-forecast/local-aws/testing';
import { generateGoldScale } from './generateGold';

const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../../../..');

interface Figures {
  wallS: number;
  cpuS: number;
  peakRssMiB: number;
}

/** The load phase's figures plus the RSS at its start and with the loaded series held. */
interface LoadFigures extends Figures {
  baseRssMiB: number;
  heldRssMiB: number;
  /** heapUsed + arrayBuffers after a forced GC, at the start and with the series held. */
  baseHeapMiB?: number;
  heldHeapMiB?: number;
  heldArrayBuffersMiB?: number;
  heldRssAfterGcMiB?: number;
}

function option(argv: string[], name: string, fallback: string): string {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : fallback;
}

async function upload(s3: S3Client, dir: string, prefix: string): Promise<void> {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.parquet') || n === '_SUCCESS');
  for (const name of names) {
    const file = path.join(dir, name);
    const { size } = await stat(file);
    await s3.send(
      new PutObjectCommand({
        Bucket: 'bench',
        Key: `${prefix}${name}`,
        Body: createReadStream(file),
        ContentLength: size,
      }),
    );
  }
}

const line = (label: string, f: Figures, products: number) =>
  `  ${label.padEnd(22)} ${f.wallS.toFixed(1).padStart(7)} s wall ${f.cpuS.toFixed(1).padStart(7)} s CPU ` +
  `${Math.round(products / f.wallS)
    .toLocaleString('en-US')
    .padStart(8)} products/s  peak RSS ${Math.round(f.peakRssMiB).toLocaleString('en-US')} MiB`;

export async function scaleFigures(argv: string[]): Promise<void> {
  const scales = option(argv, 'products', '10000,100000').split(',').map(Number);
  const parts = Number(option(argv, 'parts', '64'));
  const days = Number(option(argv, 'days', '730'));
  const dataRoot = option(argv, 'data-dir', path.join(os.tmpdir(), 'retail-forecast-scale'));
  const phases = new Set(option(argv, 'phases', 'load,forecast,dry-run').split(','));
  // The job's automatic setting (apps/ec2-forecaster/src/decodeThreads.ts): the main thread below
  // 4 cores, one thread per core but one from there on.
  const cores = os.availableParallelism();
  const decodeWorkers = option(argv, 'decode-workers', String(cores >= 4 ? cores - 1 : 0));
  const local = await startLocalS3({ buckets: ['bench'] });
  const s3 = new S3Client(local.clientConfig);
  const env = {
    ...process.env,
    AWS_ENDPOINT_URL_S3: local.endpoint,
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    FORECAST_LOG_LEVEL: 'warn',
  };
  const results: { products: number; load: LoadFigures; forecast?: Figures; dryRun?: Figures }[] =
    [];
  console.log(
    `\n=== Scale: ${days} days, ${parts} part files, local S3 (s3rver) — ${os.availableParallelism()} cores, load ${os.loadavg()[0].toFixed(1)}, Parquet decoded on ${decodeWorkers === '0' ? 'the main thread' : `${decodeWorkers} worker threads`} ===`,
  );
  try {
    for (const products of scales) {
      const dir = path.join(dataRoot, `${products}x${days}x${parts}`);
      const t0 = performance.now();
      const gen = await generateGoldScale(dir, { products, days, parts });
      const prefix = `p${products}/forecast_ready/`;
      await upload(s3, dir, prefix);
      console.log(
        `\n${products.toLocaleString('en-US')} products: ${gen.rows.toLocaleString('en-US')} rows, ` +
          `${(gen.bytes / 1024 / 1024).toFixed(0)} MiB of Parquet (${gen.reused ? 'cached' : 'generated'} and uploaded in ${((performance.now() - t0) / 1000).toFixed(0)} s)`,
      );
      const source = `s3://bench/${prefix}`;
      const forecasting = phases.has('forecast') ? ['--forecast'] : [];
      const loaded = await run(
        process.execPath,
        [
          // Only for the live-memory figures taken after the RSS ones (phases.ts).
          '--expose-gc',
          '--import',
          'tsx',
          path.join(here, 'phases.ts'),
          '--source',
          source,
          '--decode-workers',
          decodeWorkers,
          ...forecasting,
        ],
        { env, cwd: root, maxBuffer: 64 * 1024 * 1024 },
      );
      const [load, forecast] = loaded.stdout
        .trim()
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as LoadFigures);
      const dryRun = phases.has('dry-run') ? await endToEnd(source, env) : undefined;
      console.log(line('load', load, products));
      if (forecast) console.log(line('forecast (workers)', forecast, products));
      if (dryRun) console.log(line('end to end --dry-run', dryRun, products));
      const above = load.heldRssMiB - load.baseRssMiB;
      console.log(
        `  load: ${((load.cpuS * 1000) / products).toFixed(2)} ms CPU per product; RSS holding the series ` +
          `${Math.round(load.heldRssMiB)} MiB (${((above * 1024) / products).toFixed(1)} KiB per product above the process's start)`,
      );
      if (load.heldHeapMiB !== undefined && load.baseHeapMiB !== undefined) {
        const live = load.heldHeapMiB - load.baseHeapMiB;
        console.log(
          `  after a forced GC: heapUsed + arrayBuffers ${Math.round(load.heldHeapMiB)} MiB ` +
            `(${((live * 1024) / products).toFixed(2)} KiB per product above the start; typed arrays ` +
            `${Math.round(load.heldArrayBuffersMiB ?? NaN)} MiB), RSS ${Math.round(load.heldRssAfterGcMiB ?? NaN)} MiB`,
        );
      }
      results.push({ products, load, forecast, dryRun });
    }
    if (results.length > 1) {
      const a = results[0];
      const b = results[results.length - 1];
      const x = b.products / a.products;
      const g = (f: (r: (typeof results)[number]) => number | undefined) =>
        `×${((f(b) ?? NaN) / (f(a) ?? NaN)).toFixed(1)}`;
      const heldPerProduct =
        ((b.load.heldRssMiB - a.load.heldRssMiB) * 1024) / (b.products - a.products);
      const livePerProduct =
        (((b.load.heldHeapMiB ?? NaN) - (a.load.heldHeapMiB ?? NaN)) * 1024) /
        (b.products - a.products);
      console.log(
        `\nGrowth ${a.products.toLocaleString('en-US')} → ${b.products.toLocaleString('en-US')} products (×${x}): ` +
          `load wall ${g((r) => r.load.wallS)}, CPU ${g((r) => r.load.cpuS)}, peak RSS ${g((r) => r.load.peakRssMiB)}, ` +
          `RSS holding the series +${heldPerProduct.toFixed(1)} KiB per added product` +
          (Number.isFinite(livePerProduct)
            ? ` (heapUsed + arrayBuffers after a GC +${livePerProduct.toFixed(2)} KiB)`
            : '') +
          (a.dryRun && b.dryRun
            ? `; dry run wall ${g((r) => r.dryRun?.wallS)}, peak RSS ${g((r) => r.dryRun?.peakRssMiB)}`
            : ''),
      );
    }
  } finally {
    s3.destroy();
    await local.close();
  }
}

/** `forecast run --dry-run` of the job's CLI under /usr/bin/time: wall, user + system CPU, max RSS. */
async function endToEnd(source: string, env: NodeJS.ProcessEnv): Promise<Figures> {
  const timed = await run(
    '/usr/bin/time',
    [
      '-f',
      'TIME %e %U %S %M',
      process.execPath,
      '--import',
      'tsx',
      path.join(root, 'apps/ec2-forecaster/src/main.ts'),
      'run',
      '--source',
      source,
      '--dry-run',
      '--json',
    ],
    { env, cwd: root, maxBuffer: 256 * 1024 * 1024 },
  );
  const t = /TIME ([\d.]+) ([\d.]+) ([\d.]+) (\d+)/.exec(timed.stderr);
  return t
    ? { wallS: Number(t[1]), cpuS: Number(t[2]) + Number(t[3]), peakRssMiB: Number(t[4]) / 1024 }
    : { wallS: NaN, cpuS: NaN, peakRssMiB: NaN };
}
