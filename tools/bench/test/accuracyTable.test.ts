import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { backtest, type BacktestReport, type BacktestSummary } from '@retail-forecast/forecasting';
import {
  ACCURACY_BEGIN,
  ACCURACY_COMMAND,
  ACCURACY_END,
  README,
  accuracySet,
  readAccuracyResults,
  readmeAccuracyBlock,
  renderAccuracy,
  replaceAccuracyBlock,
  type AccuracyResults,
} from '../src/accuracyTable';
import { DATASETS, loadGoldCsv } from '../src/data';

const REGENERATE = `regenerate it with \`${ACCURACY_COMMAND}\``;

describe("the README's accuracy table", () => {
  let recorded: AccuracyResults;
  beforeAll(() => {
    recorded = readAccuracyResults();
  });

  it('is the rendering of tools/bench/results/accuracy.json, never a hand edit', () => {
    const block = readmeAccuracyBlock(readFileSync(README, 'utf8'));
    expect(block, `README.md's accuracy block is not the record's rendering: ${REGENERATE}`).toBe(
      renderAccuracy(recorded),
    );
  });

  it('records every model the issue names: ARIMA, the global model, combinations, coverage', () => {
    expect(recorded.sets.map((s) => s.key)).toEqual(['superstore', 'smooth', 'gold', 'calendar']);
    const calendar = recorded.sets.find((s) => s.key === 'calendar')!.models.map((m) => m.model);
    expect(calendar).toEqual(expect.arrayContaining(['dhr', 'auto+US']));
    for (const set of recorded.sets) {
      const models = set.models.map((m) => m.model);
      for (const m of ['auto', 'snaive', 'ets', 'arima', 'sarima', 'theta', 'croston', 'tsb'])
        expect(models, set.key).toContain(m);
      for (const m of ['global', 'auto+global', 'combo', 'combo-eat'])
        expect(models, set.key).toContain(m);
      for (const m of set.models) {
        expect(m.coverage + m.above + m.below, `${set.key} ${m.model}`).toBeCloseTo(1, 2);
        expect(m.fits, `${set.key} ${m.model}`).toBeGreaterThan(0);
      }
      expect(set.published.pitCoverage, set.key).toBeGreaterThan(0.5);
      // Every scored fit of auto says what it chose.
      const autoFits = set.models.find((m) => m.model === 'auto')!.fits;
      expect(
        set.autoChoices.reduce((n, { fits }) => n + fits, 0),
        set.key,
      ).toBe(autoFits);
    }
  });

  it("records the Gold rows today's engine scores (an engine change must regenerate it)", () => {
    const gold = loadGoldCsv(path.join(DATASETS, 'retail-ai-insights/forecast_ready.csv'));
    if (!gold) throw new Error(`this test needs ${DATASETS} (CI has it)`);
    const set = recorded.sets.find((s) => s.key === 'gold');
    expect(set).toBeDefined();
    const report = backtest(gold, { horizon: 7, origins: 4, models: ['snaive', 'auto'] });
    const own = backtest(gold, {
      horizon: 7,
      origins: 4,
      models: ['auto'],
      auto: { conformal: false },
    }).byModel[0];
    const stale = `the recorded Gold figures are not today's engine's: ${REGENERATE}`;
    for (const model of ['snaive', 'auto']) {
      const now = report.byModel.find((m) => m.model === model)!;
      const then = set!.models.find((m) => m.model === model)!;
      expect(then.fits, stale).toBe(now.fits);
      for (const [field, value] of [
        ['mase', now.meanMase],
        ['wape', now.wape],
        ['wql', now.wql],
        ['coverage', now.coverage],
      ] as const)
        expect(Math.abs(then[field] - value), `${stale} (${model} ${field})`).toBeLessThan(5e-4);
    }
    expect(Math.abs(set!.published.coverage - own.coverage), stale).toBeLessThan(5e-4);
    expect(Math.abs(set!.published.wql - own.wql), stale).toBeLessThan(5e-4);
  });
});

function summary(model: string, meanMase: number, extra: Partial<BacktestSummary> = {}) {
  return {
    model,
    fits: 8,
    meanMase,
    wape: 0.5,
    bias: -0.01234,
    wql: 0.4,
    coverage: 0.8,
    above: 0.12,
    below: 0.08,
    meanFitMs: 1,
    skipped: 0,
    failed: 0,
    ...extra,
  } satisfies BacktestSummary;
}

function report(rows: BacktestSummary[], autoChoices: Record<string, number> = {}): BacktestReport {
  return { horizon: 7, origins: 4, series: 2, byModel: rows, byClass: {}, autoChoices, fits: [] };
}

const PUBLISHED = {
  coverage: 0.9,
  above: 0.1,
  below: 0,
  wql: 0.55,
  pitCoverage: 0.786123456,
  gridWql: 0.62491,
};

describe('accuracySet', () => {
  it('sorts by MASE, divides by seasonal naive and rounds to 6 decimals', () => {
    const set = accuracySet(
      'x',
      'Set X',
      report([
        summary('snaive', 2),
        summary('auto', 1.23456),
        summary('global', 1.5, { fits: 6, failed: 2 }),
      ]),
      PUBLISHED,
    );
    expect(set.models.map((m) => m.model)).toEqual(['auto', 'global', 'snaive']);
    expect(set.models[0]).toMatchObject({ mase: 1.23456, relSnaive: 0.61728, bias: -0.01234 });
    expect(set.models[1]).toMatchObject({ fits: 6, failed: 2, relSnaive: 0.75 });
    expect(set.published.pitCoverage).toBe(0.786123);
  });

  it('refuses a leaderboard without seasonal naive, naming the set', () => {
    expect(() => accuracySet('x', 'Set X', report([summary('auto', 1)]), PUBLISHED)).toThrow(
      'Set X: the leaderboard has no snaive row',
    );
  });
});

describe('renderAccuracy', () => {
  const results: AccuracyResults = {
    command: ACCURACY_COMMAND,
    measured: '2026-12-01',
    engine: 'abc1234',
    sets: [
      accuracySet(
        'x',
        'Set X',
        report(
          [
            summary('snaive', 2, { bias: 0.5 }),
            summary('auto', 1.5),
            summary('global', 1.8, { fits: 6, failed: 2, wape: NaN }),
          ],
          {
            'top3(theta,combo(ets,theta,snaive),ets(A,N,A))': 3,
            'top3(ets(A,A,A),theta,combo(ets,theta,snaive))': 1,
            'ets(A,N,A)': 2,
            snaive: 1,
            theta: 1,
            'sba(0.1)': 1,
            'combo(ets,sarima,theta)': 1,
          },
        ),
        PUBLISHED,
        [
          { model: 'snaive', method: 'snaive', mase: 1.9 },
          { model: 'global', method: 'auto.arima', mase: 1.71 },
        ],
      ),
    ],
  };
  const text = renderAccuracy(results);
  const lines = text.split('\n');

  it('names the command, date and engine, then a table per set in the record order', () => {
    expect(lines[0]).toContain(
      `Generated by \`${ACCURACY_COMMAND}\` on 2026-12-01 from the engine at \`abc1234\``,
    );
    expect(text).toContain('**Set X**: 2 series, 8 fits, h = 7, 4 origins.');
    const rows = lines.filter((l) => /^\| [*`]/.test(l));
    expect(rows.map((r) => r.split('|')[1].trim())).toEqual(['**auto**', '`global`', '`snaive`']);
  });

  it("bolds auto, shows failed fits, a missing figure as –, signs the bias, R relative to R's own naive", () => {
    const row = (name: string) => lines.find((l) => l.startsWith(`| ${name}`))!;
    const cells = (name: string) =>
      row(name)
        .split('|')
        .slice(1, -1)
        .map((c) => c.trim());
    expect(cells('**auto**')).toEqual([
      '**auto**',
      '8',
      '1.500',
      '**0.750**',
      '0.500',
      '-0.012',
      '0.400',
      '0.80 (0.12 / 0.08)',
      '–',
    ]);
    expect(cells('`global`').slice(1, 5)).toEqual(['6 (2 failed)', '1.800', '0.900', '–']);
    // R's auto.arima 1.71 over R's seasonal naive 1.9, not over ours (2).
    expect(cells('`global`')[8]).toBe('`auto.arima` 1.710 (0.900)');
    expect(cells('`snaive`')[5]).toBe('+0.500');
  });

  it('names the pools auto chose most, grouped by members, and counts the rest', () => {
    expect(text).toContain(
      '`auto` chose (fits): `top3{combo,ets,theta}` 4, `ets(A,N,A)` 2, `combo-eat` 1, `sba(0.1)` 1, `snaive` 1, 1 more in 1.',
    );
  });

  it("gives each set's published intervals and PIT coverage under its table", () => {
    expect(text).toContain(
      '`auto` as `forecast run` publishes it: P10–P90 coverage 0.90 (0.10 / 0.00), PIT coverage 0.786, wQL 0.550, wQL over the levels 0.01…0.99 0.6249.',
    );
  });
});

describe('replaceAccuracyBlock', () => {
  const readme = `# T\n\nbefore\n\n${ACCURACY_BEGIN}\nold table\n${ACCURACY_END}\n\nafter\n`;

  it('replaces only what lies between the markers', () => {
    const out = replaceAccuracyBlock(readme, '| new |');
    expect(out).toBe(`# T\n\nbefore\n\n${ACCURACY_BEGIN}\n\n| new |\n\n${ACCURACY_END}\n\nafter\n`);
    expect(readmeAccuracyBlock(out)).toBe('| new |');
    expect(replaceAccuracyBlock(out, '| new |')).toBe(out);
  });

  it('names a marker that is missing, repeated or out of order', () => {
    expect(() => replaceAccuracyBlock('# T\n', 'x')).toThrow(
      `README: expected the line ${ACCURACY_BEGIN} once, found it 0 times`,
    );
    expect(() => replaceAccuracyBlock(`${readme}${ACCURACY_END}\n`, 'x')).toThrow(
      `expected the line ${ACCURACY_END} once, found it 2 times`,
    );
    expect(() => replaceAccuracyBlock(`${ACCURACY_END}\n${ACCURACY_BEGIN}\n`, 'x')).toThrow(
      `README: ${ACCURACY_END} comes before ${ACCURACY_BEGIN}`,
    );
  });
});

describe('readAccuracyResults', () => {
  it('reads a figure JSON wrote as null (a model that failed every fit) as NaN, shown as –', () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'accuracy-')), 'accuracy.json');
    const set = accuracySet(
      'x',
      'Set X',
      report([summary('snaive', 2), summary('global', NaN, { fits: 0, failed: 8 })]),
      PUBLISHED,
    );
    writeFileSync(file, JSON.stringify({ measured: '2026-12-01', engine: 'x', sets: [set] }));
    const read = readAccuracyResults(file);
    expect(read.sets[0].models.find((m) => m.model === 'global')?.mase).toBeNaN();
    expect(renderAccuracy(read)).toContain('| `global` | 0 (8 failed) |     – |');
  });

  it('names the file, set, model and field that is not a number', () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'accuracy-')), 'accuracy.json');
    writeFileSync(
      file,
      JSON.stringify({
        measured: '2026-12-01',
        engine: 'x',
        sets: [{ key: 'gold', models: [{ model: 'auto', mase: '0.7' }] }],
      }),
    );
    expect(() => readAccuracyResults(file)).toThrow(
      `${file}: set gold model auto: mase is not a number`,
    );
  });
});
