import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BacktestReport, BacktestSummary } from '@retail-forecast/forecasting';
import {
  ACCURACY_BEGIN,
  ACCURACY_COMMAND,
  ACCURACY_END,
  README,
  accuracySet,
  figureDifference,
  readAccuracyResults,
  readmeAccuracyBlock,
  renderAccuracy,
  replaceAccuracyBlock,
  type AccuracyResults,
} from '../src/accuracyTable';
import { DATASETS, loadGoldCsv } from '../src/data';
import { GOLD_TITLE, leaderboard } from '../src/leaderboards';

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

  it('holds figures consistent with themselves: rel. is MASE over snaive, rows sorted by MASE', () => {
    for (const set of recorded.sets) {
      const snaive = set.models.find((m) => m.model === 'snaive')!.mase;
      const mases = set.models.map((m) => m.mase);
      expect(mases, `${set.key}: rows sorted by MASE`).toEqual(
        [...mases].sort((a, b) => (a || Infinity) - (b || Infinity)),
      );
      for (const m of set.models)
        expect(
          Math.abs(m.relSnaive - m.mase / snaive),
          `${set.key} ${m.model}: rel. ${m.relSnaive} is not MASE ${m.mase} / snaive ${snaive}`,
        ).toBeLessThan(5e-6);
      for (const v of [set.published.coverage, set.published.pitCoverage])
        expect(v, set.key).toBeGreaterThan(0);
      expect(set.published.coverage + set.published.above + set.published.below).toBeCloseTo(1, 3);
    }
  });

  it("records the Gold leaderboard today's engine scores: every row, figure and choice", async () => {
    const gold = loadGoldCsv(path.join(DATASETS, 'retail-ai-insights/forecast_ready.csv'));
    if (!gold) throw new Error(`this test needs ${DATASETS} (CI has it)`);
    const then = recorded.sets.find((s) => s.key === 'gold');
    expect(then).toBeDefined();
    // The bench's own path (leaderboards.ts), printing nothing.
    const { record: now } = await leaderboard(GOLD_TITLE, gold, { key: 'gold', quiet: true });
    const changed = figureDifference(then, now, 'gold');
    expect(changed, `the recorded Gold figures are not today's engine's: ${REGENERATE}`).toBe(
      undefined,
    );
  }, 180_000);
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

describe('figureDifference', () => {
  const base = accuracySet(
    'gold',
    'Gold',
    report([summary('snaive', 2), summary('croston', 1.6)]),
    PUBLISHED,
  );

  it('agrees within 2e-6 and with NaN for NaN, and names the first figure that moved', () => {
    const copy = structuredClone(base);
    copy.models[0].mase += 1e-6;
    expect(figureDifference(base, copy, 'gold')).toBeUndefined();
    copy.models[0].wql = 0.5;
    expect(figureDifference(base, copy, 'gold')).toBe('gold.models[0] (croston).wql: 0.4 → 0.5');
    const nan = structuredClone(base);
    nan.models[0].wape = NaN;
    expect(figureDifference(nan, structuredClone(nan))).toBeUndefined();
    expect(figureDifference(base, { ...base, autoChoices: [{ pool: 'ets', fits: 1 }] })).toBe(
      'autoChoices: 0 entries → 1',
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

  it.each([
    [{ fits: '240' }, 'set gold model auto: fits is not a whole number'],
    [{ failed: 1.5 }, 'set gold model auto: failed is not a whole number'],
  ])('names a count that is not a whole number (%j)', (patch, message) => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'accuracy-')), 'accuracy.json');
    const set = accuracySet(
      'gold',
      'Gold',
      report([summary('snaive', 2), summary('auto', 1)]),
      PUBLISHED,
    );
    Object.assign(
      set.models.find((m) => m.model === 'auto')!,
      patch,
    );
    writeFileSync(file, JSON.stringify({ measured: '2026-12-01', engine: 'x', sets: [set] }));
    expect(() => readAccuracyResults(file)).toThrow(`${file}: ${message}`);
  });

  it('names a published figure or a choice that is not what the record says', () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'accuracy-')), 'accuracy.json');
    const set = accuracySet('gold', 'Gold', report([summary('snaive', 2)]), PUBLISHED);
    const write = (s: object) =>
      writeFileSync(file, JSON.stringify({ measured: '2026-12-01', engine: 'x', sets: [s] }));
    write({ ...set, published: { ...set.published, pitCoverage: '0.786' } });
    expect(() => readAccuracyResults(file)).toThrow(
      `${file}: set gold: published.pitCoverage is not a number`,
    );
    write({ ...set, autoChoices: [['top3', 4]] });
    expect(() => readAccuracyResults(file)).toThrow(
      `${file}: set gold: autoChoices is not a list of { pool, fits }`,
    );
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
