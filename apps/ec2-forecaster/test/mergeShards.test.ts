import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { summaryKey } from '@retail-forecast/job-contract';
import { mergeShardSummaries, formatMergedSummary } from '../src/mergeShards';
import type { EngineSettings, RunSummary } from '../src/types';
import { runLocalCli, useTempDir } from './harness';
import { summary } from './summaryFixture';

const shard = (over: Partial<RunSummary> = {}): RunSummary => ({ ...summary, ...over });

describe('mergeShardSummaries', () => {
  it('adds up the shards of a run that all succeeded', () => {
    const m = mergeShardSummaries('r1', [shard(), shard()]);
    expect(m.exitCode).toBe(summary.exitCode);
    expect(m.asOf).toBe(summary.asOf);
    expect(m.products.forecast).toBe(2 * summary.products.forecast);
    expect(m.rows.read).toBe(2 * summary.rows.read);
    expect(m.missing).toEqual([]);
    const cleaned = mergeShardSummaries('r1', [
      shard({ outliers: { daysReplaced: 3, products: 1 } }),
      shard({ outliers: { daysReplaced: 0, products: 0 } }),
      shard({ outliers: { daysReplaced: 9, products: 4 } }),
    ]);
    expect(cleaned.outliers).toEqual({ daysReplaced: 12, products: 5 });
    expect(formatMergedSummary(cleaned)).toMatch(/outliers\s+12 days replaced in 5 of 3 products/);
    const shifted = mergeShardSummaries('r1', [
      shard({ levelShifts: { products: 2 } }),
      shard({ levelShifts: { products: 0 } }),
      shard({ levelShifts: { products: 1 } }),
    ]);
    expect(shifted.levelShifts).toEqual({ products: 3 });
    expect(formatMergedSummary(shifted)).toMatch(
      /\n {2}level shifts {4}fitted after a shift in 3 of 3 products\n/,
    );
    const profiled = mergeShardSummaries('r1', [
      shard({ weekdayProfile: { products: 2, category: 1 } }),
      shard({ weekdayProfile: { products: 0, category: 0 } }),
      shard({ weekdayProfile: { products: 3, category: 3 } }),
    ]);
    expect(profiled.weekdayProfile).toEqual({ products: 5, category: 4 });
    expect(formatMergedSummary(profiled)).toMatch(
      /\n {2}weekday profile spread in 5 of 3 products\n/,
    );
  });

  it('fails the run for a missing shard, naming it', () => {
    const m = mergeShardSummaries('r1', [
      shard({ exitCode: 0 }),
      undefined,
      shard({ exitCode: 0 }),
    ]);
    expect(m.exitCode).toBe(1);
    expect(m.missing).toEqual(['1/3']);
    expect(formatMergedSummary(m)).toContain('shard 1/3: no summary (did not finish)');
  });

  it('keeps the worst shard exit code, and fails shards on another as-of', () => {
    expect(
      mergeShardSummaries('r1', [shard({ exitCode: 0 }), shard({ exitCode: 2 })]).exitCode,
    ).toBe(2);
    const m = mergeShardSummaries('r1', [
      shard({ exitCode: 0, asOf: '2025-06-30' }),
      shard({ exitCode: 0, asOf: '2025-06-29' }),
    ]);
    expect(m).toMatchObject({ exitCode: 1, asOf: null, asOfMismatch: ['1/2'] });
    expect(formatMergedSummary(m)).toContain(
      'as of           (shards disagree: 2025-06-30 on shard 0/2; 2025-06-29 on shard 1/2)',
    );
  });
});

describe('mergeShardSummaries: engine settings', () => {
  const engine = (over: Partial<EngineSettings> = {}): EngineSettings => ({
    ...summary.engine,
    ...over,
  });

  it("carries the shards' common engine, the calendar's limits added up over the shards", () => {
    const m = mergeShardSummaries('r1', [
      shard({ engine: engine({ sparseCalendar: [{ name: 'holiday:Juneteenth', products: 1 }] }) }),
      shard({
        engine: engine({
          sparseCalendar: [
            { name: 'event:promo', products: 3 },
            { name: 'holiday:Juneteenth', products: 1 },
          ],
          calendarTooShort: 5,
        }),
      }),
    ]);
    expect(m.engineMismatch).toEqual([]);
    expect(m.engine).toEqual({
      globalModel: false,
      combination: 'top3',
      outliers: 'clean',
      levelShifts: 'follow',
      weekdayProfile: 'catalogue',
      holidays: 'US-CA',
      events: { uri: 'events.csv', rows: 12 },
      sparseCalendar: [
        { name: 'event:promo', products: 3 },
        { name: 'holiday:Juneteenth', products: 2 },
      ],
      calendarTooShort: 7,
    });
    expect(m.exitCode).toBe(summary.exitCode);
    // The same words as an unsharded run's engine line.
    expect(formatMergedSummary(m)).toContain(
      '  engine          global model off, combination top3, outliers clean, level shifts follow, weekday profile catalogue, holidays US-CA, events events.csv (12 rows)\n',
    );
  });

  it('does not give the outliers figure as a share of the run when shards mix --outliers', () => {
    const keep = { ...summary.engine, outliers: 'keep' as const };
    const m = mergeShardSummaries('r1', [
      shard({ exitCode: 0 }),
      shard({ exitCode: 0, engine: keep, outliers: { daysReplaced: 0, products: 0 } }),
    ]);
    const text = formatMergedSummary(m);
    expect(text).toContain(
      'outliers        3 days replaced in 1 products (shards mix --outliers settings; not a share of the run)',
    );
    expect(text).not.toMatch(/replaced in 1 of \d+ products/);
    expect(formatMergedSummary(mergeShardSummaries('r1', [shard(), shard()]))).toMatch(
      /outliers {8}6 days replaced in 2 of \d+ products/,
    );
  });

  it('does not give the level-shifts figure as a share of the run when shards mix --level-shifts', () => {
    const ignore = { ...summary.engine, levelShifts: 'ignore' as const };
    const m = mergeShardSummaries('r1', [
      shard({ exitCode: 0 }),
      shard({ exitCode: 0, engine: ignore, levelShifts: { products: 0 } }),
    ]);
    expect(m).toMatchObject({ engine: null, exitCode: 1 });
    expect(m.engineMismatch).toEqual([
      {
        setting: 'levelShifts',
        values: [
          { value: 'follow', shards: ['0/2'] },
          { value: 'ignore', shards: ['1/2'] },
        ],
      },
    ]);
    const text = formatMergedSummary(m);
    expect(text).toContain(
      'engine          (shards disagree: --level-shifts: follow on shard 0/2; ignore on shard 1/2)',
    );
    expect(text).toContain(
      'level shifts    fitted after a shift in 1 products (shards mix --level-shifts settings; not a share of the run)',
    );
    expect(text).not.toMatch(/shift in 1 of \d+ products/);
    expect(formatMergedSummary(mergeShardSummaries('r1', [shard(), shard()]))).toMatch(
      /level shifts {4}fitted after a shift in 2 of \d+ products/,
    );
  });

  it('reads engine records written before --level-shifts as not recorded, and fails the merge', () => {
    const { levelShifts: _, ...before } = summary.engine;
    const m = mergeShardSummaries('r1', [
      shard({ exitCode: 0, engine: before as EngineSettings }),
      shard({ exitCode: 0, engine: before as EngineSettings }),
    ]);
    expect(m).toMatchObject({ engine: null, exitCode: 1 });
    expect(m.engineMismatch).toEqual([
      { setting: 'levelShifts', values: [{ value: 'not recorded', shards: ['0/2', '1/2'] }] },
    ]);
    const text = formatMergedSummary(m);
    expect(text).toContain(
      'engine          (not recorded: --level-shifts: not recorded on shards 0/2, 1/2)',
    );
    expect(text).toContain(
      'level shifts    fitted after a shift in 2 products (--level-shifts not recorded on shards 0/2, 1/2; not a share of the run)',
    );
    // The outliers figure is still a share of the run: every shard recorded --outliers.
    expect(text).toMatch(/outliers {8}6 days replaced in 2 of \d+ products/);
    expect(text).not.toContain('undefined');
  });

  it('does not give the weekday-profile figure as a share of the run when shards mix --weekday-profile', () => {
    const own = { ...summary.engine, weekdayProfile: 'own' as const };
    const m = mergeShardSummaries('r1', [
      shard({ exitCode: 0 }),
      shard({ exitCode: 0, engine: own, weekdayProfile: { products: 0, category: 0 } }),
    ]);
    expect(m).toMatchObject({ engine: null, exitCode: 1 });
    expect(m.engineMismatch).toEqual([
      {
        setting: 'weekdayProfile',
        values: [
          { value: 'catalogue', shards: ['0/2'] },
          { value: 'own', shards: ['1/2'] },
        ],
      },
    ]);
    const text = formatMergedSummary(m);
    expect(text).toContain(
      'engine          (shards disagree: --weekday-profile: catalogue on shard 0/2; own on shard 1/2)',
    );
    expect(text).toContain(
      'weekday profile spread in 1 products (shards mix --weekday-profile settings; not a share of the run)',
    );
    expect(text).not.toMatch(/spread in 1 of \d+ products/);
    expect(formatMergedSummary(mergeShardSummaries('r1', [shard(), shard()]))).toMatch(
      /weekday profile spread in 2 of \d+ products/,
    );
  });

  it('reads engine records written before --weekday-profile as not recorded, and fails the merge', () => {
    const { weekdayProfile: _, ...before } = summary.engine;
    const m = mergeShardSummaries('r1', [
      shard({ exitCode: 0, engine: before as EngineSettings }),
      shard({ exitCode: 0, engine: before as EngineSettings }),
    ]);
    expect(m).toMatchObject({ engine: null, exitCode: 1 });
    expect(m.engineMismatch).toEqual([
      { setting: 'weekdayProfile', values: [{ value: 'not recorded', shards: ['0/2', '1/2'] }] },
    ]);
    const text = formatMergedSummary(m);
    expect(text).toContain(
      'engine          (not recorded: --weekday-profile: not recorded on shards 0/2, 1/2)',
    );
    expect(text).toContain(
      'weekday profile spread in 2 products (--weekday-profile not recorded on shards 0/2, 1/2; not a share of the run)',
    );
    // The level-shifts figure is still a share of the run: every shard recorded --level-shifts.
    expect(text).toMatch(/level shifts {4}fitted after a shift in 2 of \d+ products/);
    expect(text).not.toContain('undefined');
  });

  it('fails a run whose shards disagree on a setting, naming the setting, values and shards', () => {
    const m = mergeShardSummaries('r1', [
      shard({ exitCode: 0 }),
      shard({ exitCode: 0, engine: engine({ combination: 'top1', holidays: null }) }),
      shard({ exitCode: 0 }),
      undefined,
    ]);
    expect(m.engine).toBeNull();
    expect(m.engineMismatch).toEqual([
      {
        setting: 'combination',
        values: [
          { value: 'top3', shards: ['0/4', '2/4'] },
          { value: 'top1', shards: ['1/4'] },
        ],
      },
      {
        setting: 'holidays',
        values: [
          { value: 'US-CA', shards: ['0/4', '2/4'] },
          { value: 'none', shards: ['1/4'] },
        ],
      },
    ]);
    expect(m.exitCode).toBe(1);
    expect(formatMergedSummary(m)).toContain(
      'engine          (shards disagree: --combination: top3 on shards 0/4, 2/4; top1 on shard 1/4; --holidays: US-CA on shards 0/4, 2/4; none on shard 1/4)',
    );
    // A missing shard is not a disagreement; the worst shard's code still wins.
    expect(
      mergeShardSummaries('r1', [
        shard({ exitCode: 2 }),
        shard({ exitCode: 0, engine: engine({ globalModel: true }) }),
      ]),
    ).toMatchObject({
      exitCode: 2,
      engineMismatch: [{ setting: 'globalModel' }],
    });
  });

  it('says "not recorded" for a setting a shard\'s engine record lacks, and fails the merge', () => {
    const { combination: _, ...noCombination } = summary.engine;
    const m = mergeShardSummaries('r1', [
      shard({ exitCode: 0 }),
      shard({ exitCode: 0, engine: noCombination as EngineSettings }),
    ]);
    expect(m).toMatchObject({
      engine: null,
      exitCode: 1,
      engineMismatch: [
        {
          setting: 'combination',
          values: [
            { value: 'top3', shards: ['0/2'] },
            { value: 'not recorded', shards: ['1/2'] },
          ],
        },
      ],
    });
    const text = formatMergedSummary(m);
    expect(text).toContain(
      'engine          (shards disagree: --combination: top3 on shard 0/2; not recorded on shard 1/2)',
    );
    expect(text).not.toContain('undefined');
    // The first engine records (global model, holidays, events) on every shard: the settings they
    // lack cannot be shown to agree, so the merge fails with no engine, naming them.
    const first = {
      globalModel: false,
      holidays: null,
      events: null,
    } as unknown as EngineSettings;
    const old = mergeShardSummaries('r1', [
      shard({ exitCode: 0, engine: first }),
      shard({ exitCode: 0, engine: first }),
    ]);
    expect(old).toMatchObject({ engine: null, exitCode: 1 });
    expect(old.engineMismatch.map((x) => x.setting)).toEqual([
      'combination',
      'outliers',
      'levelShifts',
      'weekdayProfile',
    ]);
    const oldText = formatMergedSummary(old);
    expect(oldText).toContain(
      'engine          (not recorded: --combination: not recorded on shards 0/2, 1/2; --outliers: not recorded on shards 0/2, 1/2; --level-shifts: not recorded on shards 0/2, 1/2; --weekday-profile: not recorded on shards 0/2, 1/2)',
    );
    expect(oldText).toContain(
      '(--outliers not recorded on shards 0/2, 1/2; not a share of the run)',
    );
    expect(oldText).toContain(
      '(--level-shifts not recorded on shards 0/2, 1/2; not a share of the run)',
    );
    expect(oldText).toContain(
      '(--weekday-profile not recorded on shards 0/2, 1/2; not a share of the run)',
    );
    expect(oldText).not.toContain('undefined');
  });

  it('names a shard whose summary records no engine (another version) once, and no engine when none finished', () => {
    const { engine: _, ...old } = summary;
    const m = mergeShardSummaries('r1', [shard({ exitCode: 0 }), old as RunSummary]);
    expect(m).toMatchObject({ engine: null, engineMismatch: [], engineNotRecorded: ['1/2'] });
    expect(m.exitCode).toBe(1);
    const text = formatMergedSummary(m);
    expect(text).toContain(
      'engine          (shards disagree: shard 1/2 recorded no engine settings (written by an older version?))',
    );
    expect(text).toContain(
      'outliers        6 days replaced in 2 products (--outliers not recorded on shard 1/2; not a share of the run)',
    );
    expect(text).not.toContain('mix --outliers');
    const none = formatMergedSummary(
      mergeShardSummaries('r1', [old as RunSummary, undefined, old as RunSummary]),
    );
    expect(none).toContain('(--outliers not recorded on shards 0/3, 2/3; not a share of the run)');
    // Two settings recorded and one not: they do mix.
    const keep = { ...summary.engine, outliers: 'keep' as const };
    expect(
      formatMergedSummary(
        mergeShardSummaries('r1', [shard(), shard({ engine: keep }), old as RunSummary]),
      ),
    ).toContain('(shards mix --outliers settings; not a share of the run)');
    expect(mergeShardSummaries('r1', [undefined, undefined])).toMatchObject({
      engine: null,
      engineMismatch: [],
    });
  });
});

describe('forecast merge-shards: engine settings', () => {
  const dir = useTempDir('merge-engine-');
  const put = async (runId: string, shards: RunSummary[]) => {
    for (const [index, s] of shards.entries()) {
      const file = join(dir.path, summaryKey(runId, { index, count: shards.length }));
      await mkdir(join(file, '..'), { recursive: true });
      await writeFile(file, JSON.stringify(s));
    }
  };
  const merge = (runId: string, count: number, json = true) =>
    runLocalCli([
      'merge-shards',
      '--summaries',
      dir.path,
      '--run-id',
      runId,
      '--shards',
      String(count),
      ...(json ? ['--json'] : []),
    ]);

  it('prints and stores the engine the shards ran with', async () => {
    await put('same', [shard({ exitCode: 0 }), shard({ exitCode: 0 })]);
    const { code, stdout, stderr } = await merge('same', 2);
    expect(code, stderr).toBe(0);
    expect(JSON.parse(stdout).engine).toMatchObject({
      globalModel: false,
      combination: 'top3',
      outliers: 'clean',
      levelShifts: 'follow',
      weekdayProfile: 'catalogue',
      holidays: 'US-CA',
      events: { uri: 'events.csv', rows: 12 },
    });
    const text = await merge('same', 2, false);
    expect(text.stdout).toContain('engine          global model off, combination top3');
  });

  it("names every shard's as-of when they disagree, and a shard without engine settings once", async () => {
    const { engine: _, ...old } = summary;
    await put('days', [
      shard({ exitCode: 0, asOf: '2026-11-30' }),
      { ...old, exitCode: 0, asOf: '2026-11-29' } as RunSummary,
    ]);
    const { code, stderr } = await merge('days', 2, false);
    expect(code).toBe(1);
    expect(stderr).toContain(
      'shards of run days forecast from different as-of dates (shards of one run must use one --as-of): 2026-11-30 on shard 0/2; 2026-11-29 on shard 1/2',
    );
    expect(stderr.match(/recorded no engine settings/g)).toEqual(['recorded no engine settings']);
    expect(stderr).toContain(
      'shard 1/2 recorded no engine settings (written by an older version?)',
    );
    expect(stderr).not.toContain('ran with different engine settings');
  });

  it('names a setting deleted from a shard\'s engine record as not recorded, never "undefined"', async () => {
    const { combination: _, ...edited } = summary.engine;
    await put('edited', [
      shard({ exitCode: 0 }),
      shard({ exitCode: 0, engine: edited as EngineSettings }),
    ]);
    const { code, stdout, stderr } = await merge('edited', 2, false);
    expect(code).toBe(1);
    expect(stderr).toContain(
      'shards of run edited ran with different engine settings (shards of one run must use one engine): --combination: top3 on shard 0/2; not recorded on shard 1/2',
    );
    expect(stdout + stderr).not.toContain('undefined');
    await put('edited2', [
      shard({ exitCode: 0, engine: edited as EngineSettings }),
      shard({ exitCode: 0, engine: edited as EngineSettings }),
    ]);
    const both = await merge('edited2', 2, false);
    expect(both.code).toBe(1);
    expect(both.stderr).toContain(
      'shards of run edited2 did not record an engine setting, so they cannot be shown to share it (written by an older version?): --combination: not recorded on shards 0/2, 1/2',
    );
    expect(both.stdout + both.stderr).not.toContain('undefined');
  });

  it('exits 1 naming the shards and the setting when they ran different engines', async () => {
    await put('mixed', [
      shard({ exitCode: 0 }),
      shard({ exitCode: 0, engine: { ...summary.engine, outliers: 'keep' } }),
    ]);
    const { code, stdout, stderr } = await merge('mixed', 2);
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({ engine: null, exitCode: 1 });
    expect(stderr).toContain(
      'shards of run mixed ran with different engine settings (shards of one run must use one engine): --outliers: clean on shard 0/2; keep on shard 1/2',
    );
  });
});

describe('forecast merge-shards: nothing to merge writes nothing', () => {
  const dir = useTempDir('merge-nothing-');
  const put = async (runId: string, shards: RunSummary[]) => {
    for (const [index, s] of shards.entries()) {
      const file = join(dir.path, summaryKey(runId, { index, count: shards.length }));
      await mkdir(join(file, '..'), { recursive: true });
      await writeFile(file, JSON.stringify(s));
    }
  };
  const merge = (summaries: string, runId: string, count: number) =>
    runLocalCli([
      'merge-shards',
      '--summaries',
      summaries,
      '--run-id',
      runId,
      '--shards',
      String(count),
      '--json',
    ]);
  const stored = async (runId: string) =>
    JSON.parse(await readFile(join(dir.path, summaryKey(runId)), 'utf8'));

  it('refuses a --shards count no shard summary has, naming those found, and keeps the merged summary', async () => {
    await put('two', [shard({ exitCode: 0 }), shard({ exitCode: 0 })]);
    expect((await merge(dir.path, 'two', 2)).code).toBe(0);
    const { code, stdout, stderr } = await merge(dir.path, 'two', 3);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(
      '--shards 3 does not match the shard summaries of run two at ' +
        `${join(dir.path, 'run_id=two')}/: found shard=0-of-2, shard=1-of-2; nothing written`,
    );
    expect(await stored('two')).toMatchObject({ shardCount: 2, missing: [], exitCode: 0 });
  });

  it('checks --shards as run checks the N of --shard i/N, and refuses it given twice (exit 2, one line)', async () => {
    await put('strict', [shard({ exitCode: 0 }), shard({ exitCode: 0 })]);
    const mergeArgs = (...shards: string[]) =>
      runLocalCli(['merge-shards', '--summaries', dir.path, '--run-id', 'strict', ...shards]);
    for (const n of ['10001', '4.0', '1e1', '0', '2.5']) {
      const { code, stdout, stderr } = await mergeArgs('--shards', n);
      expect(code, n).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toBe(
        `ERROR: --shards "${n}" is not a shard count (expected a shard count N from 1 to 10000)\n`,
      );
    }
    const twice = await mergeArgs('--shards', '2', '--shards', '3');
    expect(twice.code).toBe(2);
    expect(twice.stderr).toBe(
      `error: option '--shards <n>' is given 2 times ("2", "3"); give it once\n`,
    );
    expect(existsSync(join(dir.path, summaryKey('strict')))).toBe(false);
    expect((await mergeArgs('--shards', ' 2 ')).code).toBe(0);
  });

  it('refuses an unknown --run-id, naming the runs there, and creates nothing', async () => {
    await put('known', [shard({ exitCode: 0 }), shard({ exitCode: 0 })]);
    const { code, stderr } = await merge(dir.path, 'nosuch', 2);
    expect(code).toBe(2);
    expect(stderr).toMatch(
      /no shard summary of run nosuch at .*run_id=nosuch\/ \(runs found there: .*known/,
    );
    expect(existsSync(join(dir.path, 'run_id=nosuch'))).toBe(false);
  });

  it('refuses a --summaries directory that does not exist, and does not create it', async () => {
    const nowhere = join(dir.path, 'nonexistent');
    const { code, stderr } = await merge(`${nowhere}/`, 'two', 2);
    expect(code).toBe(2);
    expect(stderr).toContain(`summaries location ${nowhere} is not a directory`);
    expect(existsSync(nowhere)).toBe(false);
  });

  it('names a shard summary that is not JSON or not a run summary, exits 2 and keeps the merged summary', async () => {
    await put('bad', [shard({ exitCode: 0 }), shard({ exitCode: 0 })]);
    expect((await merge(dir.path, 'bad', 2)).code).toBe(0);
    const file = join(dir.path, summaryKey('bad', { index: 1, count: 2 }));
    for (const [text, why] of [
      ['{not json', 'is not JSON'],
      ['{}', 'is not a run summary: asOf is missing (expected a date or null)'],
      ['[1]', 'is not a run summary: it is an array, not an object'],
      [
        JSON.stringify({ ...shard({ exitCode: 0 }), rows: { read: 'many' } }),
        'is not a run summary: rows.read is "many" (expected a number)',
      ],
      [
        JSON.stringify({
          ...shard({ exitCode: 0 }),
          engine: { ...summary.engine, sparseCalendar: undefined },
        }),
        'is not a run summary: engine.sparseCalendar is missing (expected a list)',
      ],
    ]) {
      await writeFile(file, text);
      const { code, stdout, stderr } = await merge(dir.path, 'bad', 2);
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toContain(`shard 1/2 summary at ${file} ${why}`);
      expect(stderr).not.toContain('"stack"');
      expect(await stored('bad')).toMatchObject({ shardCount: 2, missing: [], exitCode: 0 });
    }
  });

  it('merges a shard summary written before the outliers figures, counting it as 0', async () => {
    const older: Partial<RunSummary> = shard({ exitCode: 0 });
    delete older.outliers;
    await put('older', [shard({ exitCode: 0 }), older as RunSummary]);
    const { code, stdout } = await merge(dir.path, 'older', 2);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).outliers).toEqual(shard({ exitCode: 0 }).outliers);
  });

  it('merges a shard summary written before the level-shifts figure, counting it as 0', async () => {
    const older: Partial<RunSummary> = shard({ exitCode: 0 });
    delete older.levelShifts;
    await put('older-shifts', [shard({ exitCode: 0 }), older as RunSummary]);
    const { code, stdout } = await merge(dir.path, 'older-shifts', 2);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).levelShifts).toEqual(shard({ exitCode: 0 }).levelShifts);
  });

  it('merges a shard summary written before the weekday-profile figure, counting it as 0', async () => {
    const older: Partial<RunSummary> = shard({ exitCode: 0 });
    delete older.weekdayProfile;
    await put('older-profile', [shard({ exitCode: 0 }), older as RunSummary]);
    const { code, stdout } = await merge(dir.path, 'older-profile', 2);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).weekdayProfile).toEqual(shard({ exitCode: 0 }).weekdayProfile);
  });

  it('records a missing shard but never replaces a fuller merged summary with it', async () => {
    await put('lost', [shard({ exitCode: 0 }), shard({ exitCode: 0 })]);
    expect((await merge(dir.path, 'lost', 2)).code).toBe(0);
    await rm(join(dir.path, summaryKey('lost', { index: 1, count: 2 })));
    const { code, stdout, stderr } = await merge(dir.path, 'lost', 2);
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({ missing: ['1/2'], exitCode: 1 });
    expect(stderr).toContain(
      'it merged 2 of 2 shard summaries; this merge found 1 of 2 (nothing written)',
    );
    expect(await stored('lost')).toMatchObject({ missing: [], exitCode: 0 });
    // With no fuller one stored, the partial merge is written, missing shard and all.
    await rm(join(dir.path, summaryKey('lost')));
    expect((await merge(dir.path, 'lost', 2)).code).toBe(1);
    expect(await stored('lost')).toMatchObject({ missing: ['1/2'], exitCode: 1 });
  });
});
