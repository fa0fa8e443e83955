import { readdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultDecodeHeapMb } from '../src/decode/ParquetDecodeQueue';
import { CorruptFileError, DecodeWorkerError, loadSalesData } from '../src/index';
import type { LoadSalesDataOptions, ParquetDecodeOptions } from '../src/index';
import {
  STRING,
  hasRetail,
  parquetBytes,
  retailDir,
  schemaOf,
  tempDir,
  writeTree,
} from './fixtures';

// The worker path must give what the main-thread path gives: the same dataset, the same logged
// issues and warnings in the same order, the same errors. `minBytes: 0` forces workers on the
// small inputs of these tests.
const WORKERS: ParquetDecodeOptions = { workers: 2, minBytes: 0 };

const cases = path.join(path.dirname(new URL(import.meta.url).pathname), 'fixtures/field-cases');

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

/** A load's outcome: its dataset or error, every logged line in order, and the files reported. */
async function outcome(options: LoadSalesDataOptions) {
  const log: string[] = [];
  const files: string[] = [];
  const logger = {
    debug: () => undefined,
    info: (m: string) => log.push(`info ${m}`),
    warn: (m: string) => log.push(`warn ${m}`),
    error: (m: string) => log.push(`error ${m}`),
  };
  try {
    const dataset = await loadSalesData({
      ...options,
      logger,
      onFile: (f) => files.push(`${f.index}/${f.total} ${f.rows} ${f.products}`),
    });
    return { dataset, log, files };
  } catch (err) {
    const e = err as Error & { code?: string };
    return { error: { name: e.name, code: e.code, message: e.message }, log, files };
  }
}

async function expectSameOnWorkers(options: LoadSalesDataOptions) {
  const main = await outcome(options);
  const workers = await outcome({ ...options, parquetDecode: WORKERS });
  expect(workers).toStrictEqual(main);
  return main;
}

const ID_DATE_SALES = schemaOf(
  { name: 'product_id', ...STRING },
  { name: 'event_date', type: 'INT32', converted_type: 'DATE' },
  { name: 'daily_sales', type: 'DOUBLE' },
);
const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

/**
 * Part files with bad rows and duplicates across files: the first one large (several row
 * groups, so it finishes after the small ones behind it), then small ones repeating its days
 * with other values, string dates, bigint sales, nulls, NaN, negatives, an unknown time zone.
 */
function messyParts(): Record<string, Uint8Array | string> {
  const bigIds: string[] = [];
  const bigDays: Date[] = [];
  const bigSales: (number | null)[] = [];
  for (let p = 0; p < 300; p++) {
    for (let d = 0; d < 60; d++) {
      bigIds.push(`SKU-${p}`);
      bigDays.push(day(`2025-0${1 + Math.floor(d / 28)}-${String(1 + (d % 28)).padStart(2, '0')}`));
      bigSales.push(d === 7 && p % 50 === 0 ? null : (p * 7 + d) % 11);
    }
  }
  const big = parquetBytes(
    [
      { name: 'product_id', data: bigIds },
      { name: 'event_date', data: bigDays },
      { name: 'daily_sales', data: bigSales },
    ],
    ID_DATE_SALES,
    2_000,
  );
  const repeats = parquetBytes(
    [
      { name: 'product_id', data: ['SKU-1', 'SKU-2', 'SKU-3', '', null, 'SKU-4'] },
      {
        name: 'event_date',
        data: [
          day('2025-01-01'),
          day('2025-01-02'),
          day('2025-01-03'),
          day('2025-01-04'),
          day('2025-01-05'),
          null,
        ],
      },
      { name: 'daily_sales', data: [99, 1, Number.NaN, 4, 5, 6] },
    ],
    ID_DATE_SALES,
  );
  const textual = parquetBytes(
    [
      { name: 'product_id', data: ['SKU-5', 'SKU-5', 'SKU-6', 'SKU-6', 'SKU-7'] },
      {
        name: 'event_date',
        data: ['2025-01-02', 'not a date', '2025-01-03T00:00:00Z', '1850-01-01', '20250104'],
      },
      { name: 'daily_sales', data: [-3n, 4n, 5n, 6n, 7n] },
      { name: 'avg_price', data: [1.5, null, 2.5, 3, 4] },
      { name: 'product_name', data: ['Five', null, 'Six', 'Six', 'Seven'] },
    ],
    schemaOf(
      { name: 'product_id', ...STRING },
      { name: 'event_date', ...STRING },
      { name: 'daily_sales', type: 'INT64' },
      { name: 'avg_price', type: 'DOUBLE' },
      { name: 'product_name', ...STRING },
    ),
  );
  return {
    'part-00000.parquet': big,
    'part-00001.parquet': repeats,
    'part-00002.csv':
      'product_id,event_date,daily_sales\nSKU-1,2025-01-01,12\nSKU-8,2025-01-09,x\n',
    'part-00003.parquet': textual,
    'part-00004.parquet': repeats,
  };
}

// Each load with workers starts threads that load the TypeScript sources through tsx: seconds on
// a busy machine.
describe('Parquet decoding on worker threads', { timeout: 120_000 }, () => {
  it.runIf(hasRetail)(
    'gives the same dataset as the main thread on the shared retail data',
    async () => {
      const main = await expectSameOnWorkers({ source: path.join(retailDir, 'forecast_ready') });
      expect(main.dataset?.products.length).toBeGreaterThan(0);
    },
  );

  it('gives the same dataset, issues and warnings on field cases FC-02, FC-06, FC-08, FC-12', async () => {
    for (const name of ['FC-02', 'FC-06', 'FC-08', 'FC-12']) {
      await expectSameOnWorkers({ source: path.join(cases, name) });
      await expectSameOnWorkers({ source: path.join(cases, name), timeZone: 'Europe/Berlin' });
    }
  });

  it('keeps listing order for bad rows and duplicates across files under every duplicate policy', async () => {
    await writeTree(dir, messyParts());
    for (const onDuplicate of ['max', 'sum', 'last', 'error'] as const) {
      const main = await expectSameOnWorkers({ source: dir, onDuplicate });
      expect(main.dataset?.summary).toMatchObject({ files: 5 });
      expect(main.dataset?.summary.rowsRejected).toBeGreaterThan(5);
      expect(main.dataset?.summary.conflictingDuplicates).toBeGreaterThan(0);
    }
    // The large first file is decoded last, but its rows still come first.
    const last = await outcome({ source: dir, onDuplicate: 'last', parquetDecode: WORKERS });
    expect(last.dataset?.summary.issues[0].message).toMatch(/part-00000\.parquet/);
  });

  it('with an as-of, a bad-row budget and a time zone', async () => {
    await writeTree(dir, messyParts());
    await expectSameOnWorkers({
      source: dir,
      asOf: '2025-01-20',
      timeZone: 'America/New_York',
      maxBadRows: { kind: 'rows', rows: 3 },
    });
  });

  it('fails on a corrupt file with the same CorruptFileError, after the same files', async () => {
    const parts = messyParts();
    const good = parts['part-00001.parquet'] as Uint8Array;
    await writeTree(dir, {
      ...parts,
      'part-00003.parquet': good.subarray(0, good.length - 20),
    });
    const main = await expectSameOnWorkers({ source: dir });
    expect(main.error).toMatchObject({ name: 'CorruptFileError', code: 'CORRUPT_FILE' });
    expect(main.error?.message).toContain(path.join(dir, 'part-00003.parquet'));
    expect(main.files).toHaveLength(3);
  });

  it('fails on damaged column data with the same message as the main thread', async () => {
    const parts = messyParts();
    const big = new Uint8Array(parts['part-00000.parquet'] as Uint8Array);
    big.fill(0xff, 2_000, 2_400);
    await writeTree(dir, { ...parts, 'part-00000.parquet': big });
    const main = await expectSameOnWorkers({ source: dir });
    expect(main.error?.name).toBe('CorruptFileError');
  });

  it('fails on a missing column with the same MissingColumnError', async () => {
    const bytes = parquetBytes(
      [
        { name: 'product_id', data: ['A'] },
        { name: 'daily_sales', data: [1] },
      ],
      schemaOf({ name: 'product_id', ...STRING }, { name: 'daily_sales', type: 'DOUBLE' }),
    );
    await writeTree(dir, { ...messyParts(), 'part-00009.parquet': bytes });
    const main = await expectSameOnWorkers({ source: dir });
    expect(main.error?.name).toBe('MissingColumnError');
  });

  it('stays on the main thread below minBytes, and rejects a workers count that is not whole', async () => {
    await writeTree(dir, messyParts());
    // A worker script that cannot load would fail the load if any thread were started.
    const broken = pathToFileURL(path.join(dir, 'missing.mjs'));
    const small = await loadSalesData({
      source: dir,
      parquetDecode: { workers: 2, workerUrl: broken },
    });
    expect(small.summary.files).toBe(5);
    await expect(
      loadSalesData({ source: dir, parquetDecode: { workers: 1.5, minBytes: 0 } }),
    ).rejects.toThrow('parquetDecode.workers 1.5 is not allowed');
  });

  it('fails with a DecodeWorkerError naming the file when a worker exits, and does not hang', async () => {
    await writeTree(dir, {
      ...messyParts(),
      'exits.mjs': 'export function decodeParquetTask() { process.exit(3); }\n',
      'throws.mjs': 'throw new Error("no decoder here");\n',
    });
    for (const [script, detail] of [
      ['exits.mjs', /exited with code: 3/],
      ['throws.mjs', /no decoder here/],
    ] as const) {
      const err = await loadSalesData({
        source: dir,
        parquetDecode: { ...WORKERS, workerUrl: pathToFileURL(path.join(dir, script)) },
      }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DecodeWorkerError);
      expect(err).not.toBeInstanceOf(CorruptFileError);
      const e = err as DecodeWorkerError;
      expect(e.exitKind).toBe('failure');
      expect(e.file).toBe(path.join(dir, 'part-00000.parquet'));
      expect(e.message).toContain(`the Parquet decode worker failed on ${e.file}`);
      expect(e.message).toMatch(detail);
    }
  });

  it("fails a file whose decoding outgrows the threads' heap limit alone, with a DecodeWorkerError naming the file and the limit", async () => {
    // 20,000 distinct 4 kB product names: about 80 MiB of strings once decoded, against a 24 MiB
    // heap in which a thread starts and decodes the small files around it.
    const rows = 20_000;
    const pad = 'x'.repeat(4000);
    const huge = parquetBytes(
      [
        { name: 'product_id', data: Array.from({ length: rows }, (_, i) => `SKU-${i}`) },
        { name: 'event_date', data: Array.from({ length: rows }, () => day('2025-01-01')) },
        { name: 'daily_sales', data: Array.from({ length: rows }, () => 1) },
        { name: 'product_name', data: Array.from({ length: rows }, (_, i) => `${i} ${pad}`) },
      ],
      schemaOf(
        { name: 'product_id', ...STRING },
        { name: 'event_date', type: 'INT32', converted_type: 'DATE' },
        { name: 'daily_sales', type: 'DOUBLE' },
        { name: 'product_name', ...STRING },
      ),
      rows,
    );
    const small = messyParts()['part-00001.parquet'];
    await writeTree(dir, {
      'part-00000.parquet': small,
      'part-00001.parquet': huge,
      'part-00002.parquet': small,
    });
    const threads = () => readdirSync('/proc/self/task').length;
    const before = threads();
    const fed: string[] = [];
    const err = await loadSalesData({
      source: dir,
      parquetDecode: { ...WORKERS, maxOldGenerationSizeMb: 24 },
      onFile: (f) => fed.push(path.basename(f.file)),
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DecodeWorkerError);
    const e = err as DecodeWorkerError;
    expect(e.exitKind).toBe('failure');
    expect(e.file).toBe(path.join(dir, 'part-00001.parquet'));
    expect(e.message).toContain(`the Parquet decode worker failed on ${e.file}`);
    expect(e.message).toContain(`(${(huge.byteLength / 2 ** 20).toFixed(1)} MiB)`);
    expect(e.message).toContain('heap limit of 24 MiB (parquetDecode.maxOldGenerationSizeMb)');
    expect((e.cause as { code?: string }).code).toBe('ERR_WORKER_OUT_OF_MEMORY');
    // The file before it was decoded under the same limit and fed; the process carries on.
    expect(fed).toStrictEqual(['part-00000.parquet']);
    expect(threads()).toBe(before);
    // Without the huge file the same limit loads everything.
    await rm(path.join(dir, 'part-00001.parquet'));
    const loaded = await loadSalesData({
      source: dir,
      parquetDecode: { ...WORKERS, maxOldGenerationSizeMb: 24 },
    });
    expect(loaded.summary.files).toBe(2);
  });

  it("bounds the threads' heaps by default and rejects a limit that is not a whole number of MiB", async () => {
    const mib = 2 ** 20;
    for (const workers of [1, 2, 8]) {
      const limit = defaultDecodeHeapMb(workers);
      expect(Number.isInteger(limit)).toBe(true);
      expect(limit).toBeLessThanOrEqual(Math.floor(v8.getHeapStatistics().heap_size_limit / mib));
      expect(limit).toBeGreaterThanOrEqual(256);
      // Together at most half the machine, unless that leaves a thread less than 256 MiB.
      if (limit > 256) expect(limit * workers).toBeLessThanOrEqual(os.totalmem() / mib / 2);
    }
    await writeTree(dir, messyParts());
    for (const bad of [0, 1.5, -8]) {
      await expect(
        loadSalesData({ source: dir, parquetDecode: { ...WORKERS, maxOldGenerationSizeMb: bad } }),
      ).rejects.toThrow(`parquetDecode.maxOldGenerationSizeMb ${bad} is not allowed`);
    }
  });

  it('ends its threads when the load ends, failed or not', async () => {
    await writeTree(dir, messyParts());
    // The process's OS threads: each worker thread is one while it lives.
    const threads = () => readdirSync('/proc/self/task').length;
    await loadSalesData({ source: dir });
    const before = threads();
    await loadSalesData({ source: dir, parquetDecode: WORKERS });
    expect(threads()).toBe(before);
    await writeTree(dir, { 'part-00003.parquet': 'not Parquet at all' });
    await expect(loadSalesData({ source: dir, parquetDecode: WORKERS })).rejects.toThrow(
      CorruptFileError,
    );
    expect(threads()).toBe(before);
  });
});
