import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import {
  forecastAuto,
  forecastMany,
  InvalidOptionError,
  runForecastWorkerIfChild,
} from '../src/index';
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

  it('runForecastWorkerIfChild is a no-op outside a forecast worker', () => {
    expect(runForecastWorkerIfChild()).toBe(false);
  });

  it('rejects a bad worker count', async () => {
    await expect(forecastMany([], { workers: 0 })).rejects.toThrow(InvalidOptionError);
  });

  describe('inside an esbuild single-file bundle', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'forecast-bundle-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('uses the bundle itself as the worker script', async () => {
      const entry = path.join(dir, 'entry.ts');
      writeFileSync(
        entry,
        [
          `import { forecastMany, runForecastWorkerIfChild } from ${JSON.stringify(path.join(here, '../src/index.ts'))};`,
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
