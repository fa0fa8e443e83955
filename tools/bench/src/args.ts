/**
 * The bench's command line, checked once before any section runs: `npm run bench -- [section]
 * [--option value …]`. Each section accepts only its own options (node:util `parseArgs`, strict),
 * and every number must be what the section can use, so `--products abc` or `--items -5` stop
 * with a message naming the option, the value and what is allowed (exit 2) instead of a NaN
 * catalogue or a stack trace. The sections then read the values they were given.
 */
import { parseArgs } from 'node:util';

/** A bad section, option or value; the bench exits 2 with its message. */
export class BenchUsageError extends Error {
  override name = 'BenchUsageError';
}

/** `count`: a whole number ≥ 1; `counts`: a comma-separated list of them; `whole`: ≥ 0. */
type OptionKind = 'count' | 'counts' | 'whole' | 'string' | 'flag';

/** Every section and the options it reads (sections without options take none). */
export const SECTIONS: Readonly<Record<string, Readonly<Record<string, OptionKind>>>> = {
  superstore: {},
  smooth: {},
  gold: {},
  prompt: {},
  speed: {},
  'arima-speed': {},
  'r-accuracy': {},
  engine: { products: 'count', days: 'count', seed: 'count', workers: 'count' },
  'global-cost': { products: 'counts' },
  faults: {},
  'model-costs': {},
  scale: {
    products: 'counts',
    parts: 'count',
    days: 'count',
    'data-dir': 'string',
    phases: 'string',
    'decode-workers': 'whole',
  },
  calendar: { series: 'count' },
  transit: { r: 'flag', spread: 'flag' },
  combination: { sets: 'string', series: 'count', rules: 'string' },
  writes: {
    items: 'count',
    concurrency: 'count',
    rounds: 'count',
    workers: 'count',
    profile: 'flag',
    dynalite: 'flag',
  },
};

const SCALE_PHASES = ['load', 'forecast', 'dry-run'];

function checkValue(section: string, name: string, kind: OptionKind, value: string): void {
  const bad = (expected: string) =>
    new BenchUsageError(`${section} --${name} "${value}" is not allowed (expected ${expected})`);
  if (kind === 'count' && !(/^\d+$/.test(value) && Number(value) >= 1))
    throw bad('a whole number ≥ 1');
  if (kind === 'whole' && !/^\d+$/.test(value)) throw bad('a whole number ≥ 0');
  if (kind === 'counts' && !value.split(',').every((v) => /^\d+$/.test(v) && Number(v) >= 1))
    throw bad('whole numbers ≥ 1, comma-separated, e.g. 1000,10000');
  if (kind === 'string' && value.trim() === '') throw bad('a value');
  if (section === 'scale' && name === 'phases') {
    const unknown = value.split(',').find((p) => !SCALE_PHASES.includes(p));
    if (unknown !== undefined) throw bad(`phases among ${SCALE_PHASES.join(', ')}`);
  }
}

/**
 * Checks `argv` (what follows `npm run bench --`): an optional known section, then only that
 * section's options, each with a usable value.
 * @throws BenchUsageError naming the section, option and value
 */
export function checkBenchArgs(argv: string[]): { section?: string } {
  const [section, ...rest] = argv;
  if (section === undefined) return {};
  const options = SECTIONS[section];
  if (!options) {
    throw new BenchUsageError(
      `"${section}" is not a bench section (expected one of ${Object.keys(SECTIONS).join(', ')})`,
    );
  }
  // `--items -5`: parseArgs would call the negative number an ambiguous option; it is a value.
  const args: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const next = rest[i + 1];
    if (/^--[a-z-]+$/.test(rest[i]) && next !== undefined && /^-\.?\d/.test(next)) {
      args.push(`${rest[i]}=${next}`);
      i++;
    } else args.push(rest[i]);
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: Object.fromEntries(
        Object.entries(options).map(([name, kind]) => [
          name,
          { type: kind === 'flag' ? ('boolean' as const) : ('string' as const) },
        ]),
      ),
    });
  } catch (err) {
    const accepted = Object.keys(options).map((o) => `--${o}`);
    throw new BenchUsageError(
      `${section}: ${(err as Error).message.split('\n')[0]} (accepted: ${accepted.length > 0 ? accepted.join(', ') : 'no options'})`,
    );
  }
  for (const [name, value] of Object.entries(parsed.values)) {
    if (typeof value === 'string') checkValue(section, name, options[name], value);
  }
  return { section };
}
