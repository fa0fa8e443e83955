import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import { forecastAuto, ForecastWorkerError, InvalidOptionError } from '../src/index';
import { forecastMany, runForecastWorkerIfChild } from '../src/runtime/index';
import type { AutoOptions, SeriesForecast } from '../src/index';
import { intermittent, seasonal } from './series';

const here = path.dirname(fileURLToPath(import.meta.url));
// Cheap candidates keep the 200+ series runs quick; the worker path does not depend on them.
const CHEAP: AutoOptions = { candidates: ['theta', 'snaive', 'tsb', 'combo(theta,snaive,tsb)'] };

function catalogue(count: number) {
  return Array.from({ length: count }, (_, i) => ({
    id: `p${i}`,
    y: i % 3 === 0 ? intermittent(120, i + 1) : seasonal(120, i + 1, 5 + i),
  }));
}

const plain = (m: Map<string, SeriesForecast>) =>
  [...m].map(([id, f]) => [
    id,
    f.model,
    f.demandClass,
    Array.from(f.p10),
    Array.from(f.p50),
    Array.from(f.p90),
  ]);

describe('forecastMany', () => {
  it('runs small catalogues in-process, in input order, exactly as forecastAuto', async () => {
    const inputs = catalogue(5);
    const out = await forecastMany(inputs, { ...CHEAP, workers: 4 });
    expect([...out.keys()]).toEqual(inputs.map((s) => s.id));
    for (const s of inputs) {
      expect(Array.from(out.get(s.id)!.p50)).toEqual(Array.from(forecastAuto(s.y, CHEAP).p50));
    }
  });

  it('gives the same results over 2 worker threads as single-threaded, leaving inputs intact', async () => {
    const inputs = catalogue(210);
    const single = await forecastMany(inputs, { ...CHEAP, workers: 1 });
    const threaded = await forecastMany(inputs, { ...CHEAP, workers: 2 });
    expect(plain(threaded)).toEqual(plain(single));
    expect(inputs.every((s) => s.y.length === 120)).toBe(true);
  }, 60_000);

  it('forecasts Float32 series (whole units, unknown days) exactly as their Float64 copies', async () => {
    const f64 = catalogue(210).map((s) => {
      const y = s.y.map(Math.round);
      y[s.y.length - 10] = Number.NaN;
      return { id: s.id, y };
    });
    const f32 = f64.map((s) => ({ id: s.id, y: Float32Array.from(s.y) }));
    const reference = plain(await forecastMany(f64, { ...CHEAP, workers: 1 }));
    // The whole catalogue each time: the intervals are calibrated on the pooled scores of all.
    expect(plain(await forecastMany(f32, { ...CHEAP, workers: 1 }))).toEqual(reference);
    expect(plain(await forecastMany(f32, { ...CHEAP, workers: 2 }))).toEqual(reference);
    // The caller's Float32 arrays are neither detached nor widened.
    expect(f32.every((s) => s.y instanceof Float32Array && s.y.length === 120)).toBe(true);
  }, 60_000);

  it('forecasts Uint8 and Uint16 series (whole units) exactly as their Float64 copies', async () => {
    const small = catalogue(210).map((s) => ({
      id: s.id,
      y: s.y.map((v) => Math.min(255, Math.round(v))),
    }));
    // Above 255 on some days, so the Uint16 arrays hold values a Uint8Array could not.
    const large = small.map((s) => ({ id: s.id, y: s.y.map((v, t) => v + (t % 2) * 300) }));
    for (const [f64, Narrow] of [
      [small, Uint8Array],
      [large, Uint16Array],
    ] as const) {
      expect(f64.every((s) => s.y.every((v) => Number.isInteger(v) && v >= 0))).toBe(true);
      // Views side by side in one buffer, as the loader's day slabs hand them over.
      const slab = new Narrow(f64.length * 120);
      const narrow = f64.map((s, i) => {
        const y = slab.subarray(i * 120, (i + 1) * 120);
        y.set(s.y);
        return { id: s.id, y };
      });
      expect(narrow.every((s, i) => s.y.every((v, t) => v === f64[i].y[t]))).toBe(true);
      const reference = plain(await forecastMany(f64, { ...CHEAP, workers: 1 }));
      expect(plain(await forecastMany(narrow, { ...CHEAP, workers: 1 }))).toEqual(reference);
      expect(plain(await forecastMany(narrow, { ...CHEAP, workers: 2 }))).toEqual(reference);
      // The caller's arrays are neither detached nor widened.
      expect(narrow.every((s) => s.y instanceof Narrow && s.y.length === 120)).toBe(true);
      expect(slab.buffer.byteLength).toBe(f64.length * 120 * Narrow.BYTES_PER_ELEMENT);
    }
  }, 120_000);

  it('runForecastWorkerIfChild is a no-op outside a forecast worker', () => {
    expect(runForecastWorkerIfChild()).toBe(false);
  });

  it('rejects a bad worker count', async () => {
    await expect(forecastMany([], { workers: 0 })).rejects.toThrow(InvalidOptionError);
  });

  describe('when a worker fails', () => {
    // 210 series are 4 chunks of up to 64; 2 workers start on chunks 0 and 1 and share 2 and 3.
    const standIn = new URL('./fixtures/misbehavingWorker.mjs', import.meta.url);
    const failing = (marks: Record<number, string>) =>
      Array.from({ length: 210 }, (_, i) => ({
        id: marks[i] ? `${marks[i]}:p${i}` : `p${i}`,
        y: Float64Array.from({ length: 30 }, (_, t) => (t + i) % 5),
      }));
    const run = (marks: Record<number, string>) =>
      forecastMany(failing(marks), { horizon: 3, workers: 2, workerUrl: standIn });

    it('answers through the stand-in worker when nothing goes wrong', async () => {
      const out = await run({});
      expect(out.size).toBe(210);
      expect(Array.from(out.get('p209')!.p50)).toEqual([
        (29 + 209) % 5,
        (29 + 209) % 5,
        (29 + 209) % 5,
      ]);
    }, 20_000);

    it('rejects with a ForecastWorkerError naming the worker and the chunk when a worker throws', async () => {
      const err = await run({ 64: 'crash' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ForecastWorkerError);
      expect((err as Error).message).toMatch(/forecast worker 2 of 2\b.*chunk 1 \(series 64–127\)/);
      expect((err as Error).message).toContain('stand-in worker crashed');
    }, 20_000);

    it('rejects when a worker thread exits with code 1 part-way through', async () => {
      const err = await run({ 0: 'exit1' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ForecastWorkerError);
      expect((err as Error).message).toMatch(
        /forecast worker 1 of 2\b.*exited with code 1.*chunk 0 \(series 0–63\)/,
      );
    }, 20_000);

    it('rejects instead of waiting forever when a worker exits cleanly (code 0) part-way through', async () => {
      // The last chunk: every chunk has been handed out, only its answer is missing.
      const err = await run({ 200: 'exit0' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ForecastWorkerError);
      expect((err as Error).message).toMatch(
        /forecast worker [12] of 2\b.*exited with code 0.*chunk 3 \(series 192–209\)/,
      );
    }, 20_000);

    it('rejects on an error reply, naming the worker and the chunk', async () => {
      const err = await run({ 130: 'reply' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ForecastWorkerError);
      expect((err as Error).message).toMatch(
        /forecast worker [12] of 2\b.*chunk 2 \(series 128–191\).*Error: stand-in refused/,
      );
    }, 20_000);

    it('tears the pool down when one worker fails while another never answers', async () => {
      const terminate = vi.spyOn(Worker.prototype, 'terminate');
      onTestFinished(() => terminate.mockRestore());
      const err = await run({ 0: 'hang', 64: 'crash' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ForecastWorkerError);
      expect((err as Error).message).toMatch(/forecast worker 2 of 2\b.*chunk 1/);
      expect(terminate).toHaveBeenCalledTimes(2);
    }, 20_000);
  });

  describe('inside an esbuild single-file bundle', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'forecast-bundle-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('uses the bundle itself as the worker script', async () => {
      const entry = path.join(dir, 'entry.ts');
      writeFileSync(
        entry,
        [
          `import { forecastMany, runForecastWorkerIfChild } from ${JSON.stringify(path.join(here, '../src/runtime/index.ts'))};`,
          `import { intermittent, seasonal } from ${JSON.stringify(path.join(here, 'series.ts'))};`,
          'if (!runForecastWorkerIfChild()) {',
          '  const inputs = Array.from({ length: 210 }, (_, i) => ({ id: `p${i}`, y: i % 3 === 0 ? intermittent(120, i + 1) : seasonal(120, i + 1, 5 + i) }));',
          `  const out = await forecastMany(inputs, { ...${JSON.stringify(CHEAP)}, workers: 2, workerUrl: new URL(import.meta.url) });`,
          '  console.log(JSON.stringify([...out].map(([id, f]) => [id, f.model, f.demandClass, Array.from(f.p10), Array.from(f.p50), Array.from(f.p90)])));',
          '}',
        ].join('\n'),
      );
      const bundle = path.join(dir, 'app.mjs');
      await build({
        entryPoints: [entry],
        bundle: true,
        format: 'esm',
        platform: 'node',
        target: 'node20',
        outfile: bundle,
        logLevel: 'silent',
      });
      const { stdout } = await promisify(execFile)(process.execPath, [bundle], { timeout: 60_000 });
      const expected = plain(await forecastMany(catalogue(210), { ...CHEAP, workers: 1 }));
      expect(JSON.parse(stdout)).toEqual(JSON.parse(JSON.stringify(expected)));
    }, 60_000);
  });
});
