// `npm start` (demo.ts) as a user runs it: the engine settings reach the replayed days as well as
// the daily run, and a setting the job refuses stops the demo at once with exit 2.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { useTempDir, type JsonLine } from './harness';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

async function demo(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'apps/ec2-forecaster/src/demo.ts'), ...args],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          FORECAST_WORKERS: '1',
          AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        },
        maxBuffer: 32 * 1024 * 1024,
      },
    );
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('npm start (the demo)', () => {
  const tmp = useTempDir('demo-e2e-');
  const small = ['--products', '12', '--days', '60', '--replay-days', '2', '--quiet'];

  it('stops with exit 2 at the first run when a setting is refused, writing no report', async () => {
    const report = join(tmp.path, 'bad.html');
    const r = await demo([...small, '--holidays', 'XX', '--report', report]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--holidays "XX"');
    // The first replayed day refused it: no daily run, no report.
    expect(r.stderr).not.toMatch(/replayed \d+ daily runs/);
    expect(existsSync(report)).toBe(false);
  }, 120_000);

  it('runs the replayed day and the daily run with the combination rule given, in the singular for one', async () => {
    const output = join(tmp.path, 'top1.jsonl');
    const report = join(tmp.path, 'top1.html');
    const r = await demo([
      ...small.map((a, i) => (small[i - 1] === '--replay-days' ? '1' : a)),
      '--combination',
      'top1',
      '--output',
      output,
      '--report',
      report,
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/replayed 1 daily run in/);
    // One run scored: its single issue date, not "from d to d".
    expect(r.stdout).toMatch(/Accuracy of earlier forecasts \(1 run issued \d{4}-\d{2}-\d{2}\)\n/);
    const lines = (await readFile(output, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as JsonLine);
    expect(lines.length).toBeGreaterThan(5);
    // Plain selection answers single models, never a pooled top3(...).
    expect(lines.filter((l) => l.model.includes('top3('))).toEqual([]);
    expect(await readFile(report, 'utf8')).toContain('combination top1');
  }, 180_000);
});
