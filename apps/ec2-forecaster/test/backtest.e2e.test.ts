import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoDataset, writeGoldParquetParts } from '@retail-forecast/local-aws';
import { startBedrockStandin } from '@retail-forecast/bedrock-standin';
import type { BedrockStandin, FaultMode } from '@retail-forecast/bedrock-standin';
import type { BacktestJson } from '../src/types';
import { runCli } from '../src/cli';
import { Capture } from './harness';

const SUPERSTORE = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '../../../../shared/datasets/superstore/subcategory_daily_gold.csv',
);
const PAID_MODEL = 'us.anthropic.claude-3-7-sonnet-20250219-v1:0';
const CHRONOS = 'arn:aws:sagemaker:us-east-1:123456789012:endpoint/chronos-bolt';
const ENDPOINT_VARS = [
  'AWS_ENDPOINT_URL',
  'AWS_ENDPOINT_URL_BEDROCK_RUNTIME',
  'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS',
];

/**
 * Runs the real CLI. The SDK reads its endpoint from process.env when a client is created, so
 * the env is applied there too (endpoint variables not given are removed) and restored after.
 */
async function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  const full: NodeJS.ProcessEnv = {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    FORECAST_WORKERS: '1',
    ...env,
  };
  const saved = { ...process.env };
  for (const k of ENDPOINT_VARS) delete process.env[k];
  Object.assign(process.env, full);
  const stdout = new Capture();
  const stderr = new Capture();
  try {
    const code = await runCli(args, { stdout, stderr, env: full });
    return { code, stdout: stdout.text, stderr: stderr.text };
  } finally {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  }
}

describe('backtest command with Bedrock models (real CLI → local HTTP/2 Bedrock stand-in)', () => {
  let dir: string;
  let standin: BedrockStandin;
  // undefined: the fault a `local-fault-<mode>` model id names.
  let fault: FaultMode | undefined = 'none';
  let products = 0;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'backtest-e2e-'));
    standin = await startBedrockStandin({ fault: () => fault });
    const demo = generateDemoDataset({ products: 8, days: 90, endDate: '2025-03-31', seed: 11 });
    products = new Set(demo.rows.map((r) => r.product_id)).size;
    for (const part of writeGoldParquetParts(demo.rows, 2)) {
      await writeFile(join(dir, part.name), part.body);
    }
  }, 60_000);

  afterAll(async () => {
    await standin?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const local = () => ({ AWS_ENDPOINT_URL_BEDROCK_RUNTIME: standin.url });
  const args = (models: string, ...extra: string[]) => [
    'backtest',
    '--source',
    dir,
    '--origins',
    '2',
    '--models',
    models,
    ...extra,
  ];

  it('scores bedrock:local next to auto on the same cuts and reports its use', async () => {
    fault = 'none';
    const before = standin.stats.requests;
    const { code, stdout, stderr } = await cli(
      args('auto,snaive,bedrock:local', '--json'),
      local(),
    );
    expect(code, stderr).toBe(0);
    const report: BacktestJson = JSON.parse(stdout);
    expect(report.byModel.map((m) => m.model)).toEqual(['auto', 'snaive', 'bedrock:local']);
    const [auto, , bedrock] = report.byModel;
    expect(report.series).toBe(products);
    // Same cuts, same skip rule: every auto fit has a bedrock twin.
    expect(bedrock.fits).toBe(auto.fits);
    expect(bedrock.fits).toBeGreaterThan(0);
    expect(bedrock.skipped).toBe(auto.skipped);
    expect(bedrock.failed).toBe(0);
    expect(Number.isFinite(bedrock.meanMase)).toBe(true);
    expect(auto.fallbacks).toBeUndefined();
    const usage = report.bedrock[0];
    expect(usage.model).toBe('bedrock:local');
    expect(usage.estimate.requests).toBeGreaterThanOrEqual(2);
    expect(usage.estimate.inputTokens).toBeGreaterThan(0);
    expect(usage.actual!.requests).toBe(standin.stats.requests - before);
    expect(usage.actual!.inputTokens).toBeGreaterThan(0);
    expect(usage.actual!.outputTokens).toBeGreaterThan(0);
    expect(usage.actual!.accepted + usage.actual!.fallback).toBe(bedrock.fits);
    expect(bedrock.fallbacks).toBe(usage.actual!.fallback);
    const modelFits = report.fits.filter((f) => f.model === 'bedrock:local' && !f.fallback);
    expect(modelFits.length).toBe(usage.actual!.accepted);
    expect(modelFits.every((f) => f.chosen === 'bedrock:local')).toBe(true);
    // The estimate is printed even against a local endpoint; no --yes is needed there.
    expect(stderr).toMatch(/bedrock:local: 2 origin\(s\) → \d+ request\(s\), ~[\d,]+ input/);
    expect(stderr).not.toContain('--yes');
  }, 120_000);

  it('scores the fallback when every answer is rejected, so the row equals auto', async () => {
    fault = 'negative';
    const { code, stdout, stderr } = await cli(args('auto,bedrock:local', '--json'), local());
    fault = 'none';
    expect(code, stderr).toBe(0);
    const report: BacktestJson = JSON.parse(stdout);
    const [auto, bedrock] = report.byModel;
    expect(bedrock.fallbacks).toBe(bedrock.fits);
    expect(report.bedrock[0].actual!.fallbackReasons).toHaveProperty(['rejected:negative']);
    expect(bedrock.meanMase).toBeCloseTo(auto.meanMase, 9);
    expect(bedrock.wql).toBeCloseTo(auto.wql, 9);
  }, 120_000);

  it("scores a rejected answer's fallback with its mean, so bias equals auto's fit for fit", async () => {
    fault = undefined;
    const { code, stdout, stderr } = await cli(
      args('auto,bedrock:local-fault-absurd', '--json'),
      local(),
    );
    fault = 'none';
    expect(code, stderr).toBe(0);
    const report: BacktestJson = JSON.parse(stdout);
    const [auto, remote] = report.byModel;
    expect(remote.fallbacks).toBe(remote.fits);
    const errors = (model: string) =>
      report.fits
        .filter((f) => f.model === model)
        .map((f) => `${f.seriesId}@${f.origin} ${f.error}`);
    expect(errors('bedrock:local-fault-absurd')).toEqual(errors('auto'));
    expect(remote.bias).toBe(auto.bias);
  }, 120_000);

  it('scores a product with a rejected row as its unknown-days fallback, as run does (estimate included)', async () => {
    const demo = generateDemoDataset({ products: 4, days: 90, endDate: '2025-03-31', seed: 11 });
    const bad = demo.rows[0].product_id;
    let hit = 0;
    const lines = ['product_id,event_date,daily_sales'];
    for (const r of demo.rows) {
      const value = r.product_id === bad && hit++ === 30 ? 'n/a' : String(r.daily_sales);
      lines.push(`${r.product_id},${r.event_date},${value}`);
    }
    const source = join(dir, '..', `${dir.split('/').pop()}-badrow.csv`);
    await writeFile(source, `${lines.join('\n')}\n`);
    try {
      fault = 'none';
      const { code, stdout, stderr } = await cli(
        [
          'backtest',
          '--source',
          source,
          '--origins',
          '2',
          '--models',
          'auto,bedrock:local',
          '--json',
        ],
        local(),
      );
      expect(code, stderr).toBe(0);
      const report: BacktestJson = JSON.parse(stdout);
      const fitsOf = (model: string, id: string) =>
        report.fits.filter((f) => f.model === model && f.seriesId === id);
      const badFits = fitsOf('bedrock:local', bad);
      expect(badFits.length).toBe(2);
      expect(badFits.every((f) => f.fallback)).toBe(true);
      expect(badFits.map((f) => f.mase)).toEqual(fitsOf('auto', bad).map((f) => f.mase));
      expect(report.bedrock[0].actual!.fallbackReasons).toEqual({ 'unknown-days': 2 });
      // The other products were asked as usual.
      const others = report.fits.filter((f) => f.model === 'bedrock:local' && f.seriesId !== bad);
      expect(others.length).toBeGreaterThan(0);
      expect(others.every((f) => !f.fallback)).toBe(true);
      expect(report.bedrock[0].estimate.requests).toBeGreaterThan(0);
    } finally {
      await rm(source, { force: true });
    }
  }, 120_000);

  it("builds the guardrail reference (and fallback) with auto's engine options: --combination, --outliers", async () => {
    fault = 'negative';
    const { code, stdout, stderr } = await cli(
      args('auto,bedrock:local', '--json', '--combination', 'top1', '--outliers', 'keep'),
      local(),
    );
    fault = 'none';
    expect(code, stderr).toBe(0);
    const report: BacktestJson = JSON.parse(stdout);
    expect(report.engine).toMatchObject({ combination: 'top1', outliers: 'keep' });
    // Every answer is rejected, so each bedrock fit is the statistical reference it was checked
    // against: fit for fit the same model and the same numbers as auto's with those options.
    const fits = (model: string) =>
      report.fits
        .filter((f) => f.model === model)
        .map((f) => `${f.seriesId}@${f.origin} ${f.chosen.replace(/^statistical:/, '')} ${f.mase}`);
    expect(report.fits.filter((f) => f.model === 'bedrock:local').every((f) => f.fallback)).toBe(
      true,
    );
    expect(fits('bedrock:local')).toEqual(fits('auto'));
    // top1 answers single models, never the default's pooled top3(...).
    expect(fits('bedrock:local').filter((f) => f.includes('top3('))).toEqual([]);
  }, 120_000);

  it('scores auto with the intervals the job publishes, on a catalogue large enough to pool', async () => {
    // 40 products × 21 validation scores pass the conformal pool's 200: a backtest that pooled
    // (the forecasting library's default) would score other intervals than the job's fallback.
    const big = await mkdtemp(join(tmpdir(), 'backtest-e2e-big-'));
    try {
      const demo = generateDemoDataset({ products: 40, days: 90, endDate: '2025-03-31', seed: 12 });
      for (const part of writeGoldParquetParts(demo.rows, 2)) {
        await writeFile(join(big, part.name), part.body);
      }
      fault = 'negative';
      const bigArgs = args('auto,bedrock:local', '--json').map((a) => (a === dir ? big : a));
      const { code, stdout, stderr } = await cli(bigArgs, local());
      fault = 'none';
      expect(code, stderr).toBe(0);
      const [auto, bedrock] = (JSON.parse(stdout) as BacktestJson).byModel;
      expect(bedrock.fallbacks).toBe(bedrock.fits);
      expect(bedrock.coverage).toBeCloseTo(auto.coverage, 9);
      expect([bedrock.above, bedrock.below]).toEqual([auto.above, auto.below]);
      expect(bedrock.wql).toBeCloseTo(auto.wql, 9);
    } finally {
      fault = 'none';
      await rm(big, { recursive: true, force: true });
    }
  }, 180_000);

  it('prints a leaderboard with a fallback column and the Bedrock use', async () => {
    const { code, stdout } = await cli(args(`snaive,chronos:${CHRONOS}`), local());
    expect(code).toBe(0);
    expect(stdout).toMatch(/model\s+fits\s+MASE\s+rel\.snaive.*fallback\n/);
    expect(stdout).toMatch(/snaive\s+\d+\s+\d\.\d{3}\s+1\.000/);
    expect(stdout).toMatch(/chronos:arn:aws:sagemaker:\S+\s+\d+\s+\d\.\d{3}\s+\d\.\d{3}/);
    expect(stdout).toMatch(
      /Bedrock use \(summed over origins\):\nchronos:arn\S+: \d+ answers used/,
    );
  }, 120_000);

  it('refuses a paid endpoint without --yes: prints requests, tokens and cost, sends nothing', async () => {
    const before = standin.stats.requests;
    const { code, stdout, stderr } = await cli(
      args(`auto,bedrock:${PAID_MODEL},chronos:${CHRONOS}`),
    );
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(
      new RegExp(
        `bedrock:${PAID_MODEL.replace(/\./g, '\\.')}: 2 origin\\(s\\) → [1-9]\\d* request\\(s\\), ~[1-9][\\d,]* input \\+ ~[1-9][\\d,]* output tokens, estimated cost \\$0\\.\\d{4}`,
      ),
    );
    expect(stderr).toContain('Re-run with --yes');
    expect(stderr).toMatch(
      /total: .*; re-asks not included: at most [1-9][\d,]* more single-product request\(s\), cost unknown/,
    );
    expect(stderr).toMatch(/chronos:\S+: 2 origin\(s\) → 2 request\(s\)/);
    expect(stderr).toMatch(
      /total: [1-9]\d* request\(s\), .* estimated cost \$0\.\d{4} plus unknown for chronos:/,
    );
    expect(standin.stats.requests).toBe(before);
  }, 60_000);

  it('rejects an unknown statistical model or an empty bedrock id with exit 2', async () => {
    const unknown = await cli(args('snaive,nope'), local());
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(
      '--models: "nope" is not a model (expected auto, naive, snaive',
    );
    const empty = await cli(args('snaive,bedrock:'), local());
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('has no model id');
  });
});

describe.skipIf(!existsSync(SUPERSTORE))(
  'statistical backtest on the shared superstore data',
  () => {
    it('prints a leaderboard with MASE relative to seasonal naive', async () => {
      const { code, stdout, stderr } = await cli([
        'backtest',
        '--source',
        SUPERSTORE,
        '--models',
        'snaive,croston,tsb',
      ]);
      expect(code, stderr).toBe(0);
      expect(stdout).toMatch(/^Backtest: 17 series, h = 7, 4 origins/);
      expect(stdout).toMatch(/snaive\s+68\s+\d\.\d{3}\s+1\.000/);
      const croston = /croston\s+68\s+(\d\.\d{3})\s+(\d\.\d{3})/.exec(stdout);
      expect(croston).not.toBeNull();
      // Croston beats seasonal naive on these intermittent series (R: 0.864).
      expect(Number(croston![2])).toBeLessThan(1);
      expect(stdout).not.toContain('fallback');
      expect(stdout).not.toContain('Bedrock use');
    }, 60_000);

    it('enters the global model into auto at each origin with --global-model on, as run does', async () => {
      const args = ['backtest', '--source', SUPERSTORE, '--models', 'auto', '--origins', '2'];
      const chosen = async (extra: string[]) => {
        const { code, stdout, stderr } = await cli([...args, '--json', ...extra]);
        expect(code, stderr).toBe(0);
        const report = JSON.parse(stdout) as BacktestJson;
        return Object.keys(report.autoChoices).filter((m) => m.includes('global')).length;
      };
      expect(await chosen([])).toBe(0);
      expect(await chosen(['--global-model', 'on'])).toBeGreaterThan(0);
      // The text report heads the leaderboard with the settings; the log says where the fit's time is.
      const text = await cli([...args, '--global-model', 'on']);
      expect(text.stdout).toMatch(
        /auto's engine: global model on, combination top3, outliers clean, level shifts follow, weekday profile catalogue, no holidays/,
      );
      expect(text.stderr).toContain('global model: fitted once per origin on all 17 series');
    }, 120_000);

    it('backtests auto with the combination rule given, and rejects an unknown one with exit 2', async () => {
      const source = [
        'backtest',
        '--source',
        SUPERSTORE,
        '--models',
        'snaive,auto',
        '--origins',
        '2',
      ];
      const top1 = await cli([...source, '--combination', 'top1', '--json']);
      expect(top1.code, top1.stderr).toBe(0);
      expect((JSON.parse(top1.stdout) as BacktestJson).engine).toMatchObject({
        combination: 'top1',
        globalModel: false,
      });
      const chosen = Object.keys((JSON.parse(top1.stdout) as BacktestJson).autoChoices);
      // Plain selection answers single models, never a pooled top3(...).
      expect(chosen.length).toBeGreaterThan(0);
      expect(chosen.filter((c) => c.startsWith('top3('))).toEqual([]);
      const bad = await cli([...source, '--combination', 'best']);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('--combination "best" is not valid');
    }, 60_000);
  },
);
