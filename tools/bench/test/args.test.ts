import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  BenchUsageError,
  DEFAULT_SECTIONS,
  SECTIONS,
  benchHelp,
  checkBenchArgs,
} from '../src/args';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

describe('checkBenchArgs', () => {
  it('knows every section run.ts runs, so none is refused before it can run', () => {
    const run = readFileSync(path.join(ROOT, 'tools/bench/src/run.ts'), 'utf8');
    const sections = [...run.matchAll(/only === '([a-z-]+)'/g)].map((m) => m[1]);
    expect(sections).toContain('combination');
    for (const s of new Set(sections)) expect(Object.keys(SECTIONS)).toContain(s);
    expect(
      checkBenchArgs(['combination', '--sets', 'superstore', '--rules', 'top3,class']),
    ).toEqual({ section: 'combination' });
  });

  it('accepts a section with its own options, and no section at all', () => {
    expect(checkBenchArgs([])).toEqual({});
    expect(checkBenchArgs(['engine', '--products', '200', '--days', '400'])).toEqual({
      section: 'engine',
    });
    expect(checkBenchArgs(['scale', '--products', '1000,10000', '--decode-workers', '0'])).toEqual({
      section: 'scale',
    });
    expect(checkBenchArgs(['writes', '--items', '500', '--dynalite'])).toEqual({
      section: 'writes',
    });
    expect(checkBenchArgs(['transit', '--r'])).toEqual({ section: 'transit' });
    expect(checkBenchArgs(['transit', '--spread'])).toEqual({ section: 'transit' });
    expect(
      checkBenchArgs(['combination', '--sets', 'gold,cost', '--rules', 'top7,mean2,weighted']),
    ).toEqual({ section: 'combination' });
  });

  it.each([
    [
      ['engine', '--products', 'abc'],
      'engine --products "abc" is not allowed (expected a whole number ≥ 1)',
    ],
    [
      ['writes', '--items', '-5'],
      'writes --items "-5" is not allowed (expected a whole number ≥ 1)',
    ],
    [['writes', '--items=-5'], 'writes --items "-5" is not allowed (expected a whole number ≥ 1)'],
    [['writes', '--items', '0'], 'writes --items "0" is not allowed'],
    [['calendar', '--series', '2.5'], 'calendar --series "2.5" is not allowed'],
    [
      ['scale', '--products', '1000,x'],
      'scale --products "1000,x" is not allowed (expected whole numbers ≥ 1',
    ],
    [
      ['scale', '--phases', 'load,fit'],
      'scale --phases "load,fit" is not allowed (expected phases among load, forecast, dry-run)',
    ],
    [['engine', '--itmes', '5'], "engine: Unknown option '--itmes'"],
    [['writes', '--items'], "writes: Option '--items <value>' argument missing"],
    [['transit', '--r', 'yes'], 'transit: Unexpected argument'],
    [
      ['enigne'],
      '"enigne" is not a bench section (expected one of accuracy, prompt, speed, superstore,',
    ],
    [
      ['combination', '--sets', 'nosuch'],
      'combination --sets "nosuch" is not allowed (expected sets among superstore, gold, smooth, global, calendar, calendar-sporadic, calendar-superstore, cost, comma-separated; not "nosuch")',
    ],
    [
      ['combination', '--sets', 'gold,nosuch', '--rules', 'top1'],
      'combination --sets "gold,nosuch" is not allowed (expected sets among superstore,',
    ],
    [
      ['combination', '--rules', 'bogus'],
      'combination --rules "bogus" is not allowed (expected rules among top3 (the default), top1, top2, top<N> or mean<N> (the median or mean of the N best, N = 1, 2, 3, …; all of them when there are fewer), weighted, all, select or class, comma-separated; not "bogus")',
    ],
    [['combination', '--rules', 'top3,top0,class'], 'not "top0"'],
    [
      ['calendar', '--series', '5', '--series', '6'],
      'calendar --series is given 2 times ("5", "6"); give it once',
    ],
    [['transit', '--r', '--r'], 'transit --r is given 2 times; give it once'],
  ])('rejects %j, naming the option and value', (argv, message) => {
    expect(() => checkBenchArgs(argv)).toThrow(BenchUsageError);
    expect(() => checkBenchArgs(argv)).toThrow(message);
  });
});

describe('npm run bench with a bad option', () => {
  it('prints the message and exits 2 before any section runs', async () => {
    const run = promisify(execFile);
    const err = await run(
      process.execPath,
      ['--import', 'tsx', 'tools/bench/src/run.ts', 'writes', '--items', '-5'],
      { cwd: ROOT },
    ).catch((e: { code: number; stderr: string; stdout: string }) => e);
    expect('code' in err ? err.code : 0).toBe(2);
    expect('stderr' in err ? err.stderr : '').toMatch(
      /^bench: writes --items "-5" is not allowed \(expected a whole number ≥ 1\)/,
    );
    expect('stdout' in err ? err.stdout : 'x').toBe('');
  }, 60_000);

  it('refuses an unknown combination rule with one line and exit 2, not a stack trace', async () => {
    const run = promisify(execFile);
    const err = await run(
      process.execPath,
      ['--import', 'tsx', 'tools/bench/src/run.ts', 'combination', '--rules', 'bogus'],
      { cwd: ROOT },
    ).catch((e: { code: number; stderr: string; stdout: string }) => e);
    expect('code' in err ? err.code : 0).toBe(2);
    expect('stderr' in err ? err.stderr : '').toMatch(
      /^bench: combination --rules "bogus" is not allowed \(expected rules among [^\n]*\n$/,
    );
  }, 60_000);
});

describe('bench --help', () => {
  it('lists every section in a line, with the options each takes', () => {
    const help = benchHelp();
    for (const [name, spec] of Object.entries(SECTIONS)) {
      expect(help).toMatch(new RegExp(`^  ${name} +\\S`, 'm'));
      expect(spec.about.length).toBeGreaterThan(0);
      for (const [option, o] of Object.entries(spec.options)) {
        expect(o.about.length).toBeGreaterThan(0);
        expect(help).toContain(`--${option}`);
      }
    }
    expect(help).toMatch(/^ +--products <n,n,…> +catalogue sizes \(default 1000,10000\)$/m);
    expect(help).toMatch(/^ +--spread +40 windows/m);
    expect(checkBenchArgs(['--help'])).toEqual({ help });
    expect(checkBenchArgs(['-h'])).toEqual({ help });
  });

  it("shows one section's help after its name, and refuses an unknown section still", () => {
    const { section, help } = checkBenchArgs(['writes', '--items', '5', '--help']);
    expect(section).toBe('writes');
    expect(help).toContain('--dynalite');
    expect(help).not.toContain('  transit');
    expect(checkBenchArgs(['transit', '-h']).help).toContain('--spread');
    expect(() => checkBenchArgs(['enigne', '--help'])).toThrow(
      '"enigne" is not a bench section (expected one of accuracy, prompt, speed, superstore,',
    );
  });

  it('names in the README every section the runner accepts, and no other', () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const list = /Reproduce with `npm run bench` \(sections: ([^;]*);/.exec(readme);
    expect(list).not.toBeNull();
    const named = [...list![1].matchAll(/`([a-z-]+)`/g)].map((m) => m[1]);
    expect(named).toEqual(Object.keys(SECTIONS));
    expect(readme).toContain('without one it runs the first three');
    expect(named.slice(0, 3)).toEqual([...DEFAULT_SECTIONS]);
  });

  it('runs without a section what the help says it runs', () => {
    const run = readFileSync(path.join(ROOT, 'tools/bench/src/run.ts'), 'utf8');
    const byDefault = [...run.matchAll(/!only \|\| only === '([a-z-]+)'/g)].map((m) => m[1]);
    expect([...new Set(byDefault)]).toEqual([...DEFAULT_SECTIONS]);
  });

  it('prints the help on stdout and exits 0 (npm run bench -- --help)', async () => {
    const run = promisify(execFile);
    const { stdout, stderr } = await run(
      process.execPath,
      ['--import', 'tsx', 'tools/bench/src/run.ts', '--help'],
      { cwd: ROOT },
    );
    expect(stdout).toBe(benchHelp());
    expect(stderr).toBe('');
  }, 60_000);
});
