/**
 * The bench's command line, checked once before any section runs: `npm run bench -- [section]
 * [--option value …]`, or `--help` (`-h`) for every section and its options. Each section accepts only its own options (node:util `parseArgs`, strict),
 * and every number must be what the section can use, so `--products abc` or `--items -5` stop
 * with a message naming the option, the value and what is allowed (exit 2) instead of a NaN
 * catalogue or a stack trace. The sections then read the values they were given.
 */
import { parseArgs } from 'node:util';
import { COMBINATION_EXPECTED, COMBINATION_PATTERN } from '@retail-forecast/job-contract';

/** A bad section, option or value; the bench exits 2 with its message. */
export class BenchUsageError extends Error {
  override name = 'BenchUsageError';
}

/** `count`: a whole number ≥ 1; `counts`: a comma-separated list of them; `whole`: ≥ 0. */
type OptionKind = 'count' | 'counts' | 'whole' | 'string' | 'flag';

/** One option of a section: its kind and one line for `--help` (what it sets, its default). */
interface OptionSpec {
  kind: OptionKind;
  about: string;
  /** How `--help` shows the value when the kind's own placeholder says too little. */
  value?: string;
  /** A comma-separated list whose every item must pass `valid` (else: expected `expected`). */
  list?: { valid: (item: string) => boolean; expected: string };
}

/** The sets `combination --sets` knows, in the order it runs them. */
export const COMBINATION_SETS = [
  'superstore',
  'gold',
  'smooth',
  'global',
  'calendar',
  'calendar-sporadic',
  'calendar-superstore',
  'cost',
] as const;

/** One section: one line for `--help` and the options it reads (none for most). */
interface SectionSpec {
  about: string;
  options: Readonly<Record<string, OptionSpec>>;
}

/**
 * Every section the runner knows, its `--help` line and the options it reads; the one list the
 * runner, `--help` and the README's list of sections (checked by a test) follow.
 */
export const SECTIONS: Readonly<Record<string, SectionSpec>> = {
  accuracy: {
    about:
      "the superstore, smooth, gold and generated holiday leaderboards, then the README's tables they make",
    options: {
      write: {
        kind: 'flag',
        about: 'write tools/bench/results/accuracy.json and the README table (needs ../shared)',
      },
    },
  },
  prompt: { about: 'estimated input tokens of the Bedrock prompt on three sets', options: {} },
  speed: {
    about: 'series/s of forecastAuto (one thread, 2 workers) and R ets; then arima-speed',
    options: {},
  },
  superstore: {
    about:
      'leaderboard of every model on the Superstore intermittent daily set (17 series), R figures alongside',
    options: {},
  },
  smooth: {
    about:
      'leaderboard on generated smooth weekly-seasonal series (60 × 400 days), cached R figures',
    options: {},
  },
  gold: {
    about:
      'leaderboard on the retail-ai-insights Gold data (61 products × 61 days), first forecasts',
    options: {},
  },
  'arima-speed': {
    about: "seconds per series of the arima model's search, next to R's auto.arima",
    options: {},
  },
  'r-accuracy': {
    about: "R forecast's auto.arima and ets on the smooth set (slow: about 20 minutes)",
    options: {},
  },
  engine: {
    about:
      'CPU per product of the engine on an issue-13-shaped catalogue, by class and by model; then global-cost',
    options: {
      products: { kind: 'count', about: 'products in the catalogue (default 2000)' },
      days: { kind: 'count', about: 'days of history (default 730)' },
      seed: { kind: 'count', about: 'seed of the generated catalogue (default 13)' },
      workers: { kind: 'count', about: 'worker threads of the forecastMany run (default 2)' },
    },
  },
  'global-cost': {
    about: "the global model's fitting time by catalogue size",
    options: {
      products: { kind: 'counts', about: 'catalogue sizes (default 1000,10000)' },
    },
  },
  faults: {
    about:
      'DynamoDB writes under throttling, then Bedrock under throttling and time-outs (minutes)',
    options: {},
  },
  'model-costs': {
    about: 'cost per 1,000 products per day of each model mode, through the local stand-ins',
    options: {},
  },
  scale: {
    about: 'load, forecast and end-to-end dry run of generated Gold Parquet from local S3',
    options: {
      products: { kind: 'counts', about: 'catalogue sizes (default 10000,100000)' },
      parts: { kind: 'count', about: 'Parquet part files (default 64)' },
      days: { kind: 'count', about: 'days of history (default 730)' },
      'data-dir': {
        kind: 'string',
        value: '<dir>',
        about: 'where the generated data are cached (default the OS temp dir)',
      },
      phases: {
        kind: 'string',
        value: '<phase,…>',
        about: 'among load,forecast,dry-run (default all three)',
      },
      'decode-workers': {
        kind: 'whole',
        about: "Parquet decoding threads, 0 = main thread (default the job's automatic setting)",
      },
    },
  },
  shifts: {
    about:
      'leaderboards on generated products whose demand changed: turned to cartons, a stock-out gap, a fall, daily again, a rise',
    options: {},
  },
  young: {
    about:
      "young products' weeks with and without the catalogue's weekday profile: a generated catalogue, and Chicago stations cut young",
    options: {},
  },
  closed: {
    about:
      'leaderboards on generated products of stores closed on 1–3 weekdays, sparse and daily demand',
    options: {},
  },
  sparse: {
    about:
      'leaderboard on generated very sparse products (0.03–0.43 a day, Poisson or orders of 1–4)',
    options: {},
  },
  calendar: {
    about:
      'the calendar candidate dhr and auto with and without US holidays, real and generated sets',
    options: { series: { kind: 'count', about: 'series per generated set (default 30)' } },
  },
  transit: {
    about:
      'the engine on Chicago L ridership (needs R modeldata): 20 stations × 5 windows × 393 days',
    options: {
      r: { kind: 'flag', about: "add R forecast's ets, thetaf and auto.arima (about 15 minutes)" },
      spread: {
        kind: 'flag',
        about: '40 windows spread over the calendar instead of the 5 fixed ones',
      },
    },
  },
  combination: {
    about: "forecastAuto's combination rules side by side, with their nested-validation scores",
    options: {
      sets: {
        kind: 'string',
        value: '<set,…>',
        about: `${COMBINATION_SETS.join(', ')} (default the first five)`,
        list: {
          valid: (set) => (COMBINATION_SETS as readonly string[]).includes(set),
          expected: `sets among ${COMBINATION_SETS.join(', ')}`,
        },
      },
      series: { kind: 'count', about: 'series per generated calendar set (default 10)' },
      rules: {
        kind: 'string',
        value: '<rule,…>',
        about: 'the rules to compare (default every rule, select and class)',
        list: {
          valid: (rule) => COMBINATION_PATTERN.test(rule),
          expected: `rules among ${COMBINATION_EXPECTED}`,
        },
      },
    },
  },
  writes: {
    about: "the DynamoDB client's CPU per item and items/s, to fast-dynamo in a child process",
    options: {
      items: { kind: 'count', about: 'items written (default 20000)' },
      concurrency: { kind: 'count', about: 'requests in flight (default 16)' },
      rounds: { kind: 'count', about: 'rounds per client setting (default 2)' },
      workers: { kind: 'count', about: 'also measure the writer with this many worker threads' },
      profile: { kind: 'flag', about: 'print self time by area from a V8 profile' },
      dynalite: { kind: 'flag', about: 'add a smaller run against dynalite' },
    },
  },
};

/**
 * What `npm run bench` runs without a section (`accuracy` is the superstore, smooth, gold and holiday
 * leaderboards; `speed` includes `arima-speed`).
 */
export const DEFAULT_SECTIONS = ['accuracy', 'prompt', 'speed'] as const;

const VALUE: Record<OptionKind, string> = {
  count: ' <n>',
  counts: ' <n,n,…>',
  whole: ' <n ≥ 0>',
  string: ' <value>',
  flag: '',
};

function sectionHelp(name: string, spec: SectionSpec, width: number): string[] {
  const lines = [`  ${name.padEnd(width)}  ${spec.about}`];
  const options = Object.entries(spec.options).map(([o, opt]) => [
    `--${o}${opt.value ? ` ${opt.value}` : VALUE[opt.kind]}`,
    opt.about,
  ]);
  const optionWidth = Math.max(0, ...options.map(([o]) => o.length));
  for (const [o, about] of options)
    lines.push(`  ${' '.repeat(width)}    ${o.padEnd(optionWidth)}  ${about}`);
  return lines;
}

/**
 * The `--help` text: usage, then every section (or only `section`) with its line and its options,
 * `<n>` a whole number ≥ 1 and `<n,n,…>` a comma-separated list of them.
 */
export function benchHelp(section?: string): string {
  const names = section === undefined ? Object.keys(SECTIONS) : [section];
  const width = Math.max(...names.map((n) => n.length));
  return [
    'Usage: npm run bench -- [section] [--option value …]',
    `Without a section: ${DEFAULT_SECTIONS.join(', ')}. Figures are printed, never asserted.`,
    '',
    section === undefined ? 'Sections and their options:' : 'Section and its options:',
    ...names.flatMap((n) => sectionHelp(n, SECTIONS[n], width)),
    '',
    'Numbers: <n> a whole number ≥ 1, <n,n,…> a comma-separated list of them. ' +
      '`npm run bench -- <section> --help` shows one section.',
    '',
  ].join('\n');
}

const SCALE_PHASES = ['load', 'forecast', 'dry-run'];

function checkValue(section: string, name: string, spec: OptionSpec, value: string): void {
  const kind = spec.kind;
  const bad = (expected: string) =>
    new BenchUsageError(`${section} --${name} "${value}" is not allowed (expected ${expected})`);
  if (kind === 'count' && !(/^\d+$/.test(value) && Number(value) >= 1))
    throw bad('a whole number ≥ 1');
  if (kind === 'whole' && !/^\d+$/.test(value)) throw bad('a whole number ≥ 0');
  if (kind === 'counts' && !value.split(',').every((v) => /^\d+$/.test(v) && Number(v) >= 1))
    throw bad('whole numbers ≥ 1, comma-separated, e.g. 1000,10000');
  if (kind === 'string' && value.trim() === '') throw bad('a value');
  if (spec.list) {
    const wrong = value.split(',').filter((item) => !spec.list!.valid(item.trim()));
    if (wrong.length > 0)
      throw bad(
        `${spec.list.expected}, comma-separated; not ${wrong.map((w) => `"${w}"`).join(', ')}`,
      );
  }
  if (section === 'scale' && name === 'phases') {
    const unknown = value.split(',').find((p) => !SCALE_PHASES.includes(p));
    if (unknown !== undefined) throw bad(`phases among ${SCALE_PHASES.join(', ')}`);
  }
}

/**
 * Checks `argv` (what follows `npm run bench --`): `--help`/`-h` (alone or after a section), or an
 * optional known section, then only that section's options, each with a usable value.
 * @returns the section to run, or `help` with the text to print (exit 0)
 * @throws BenchUsageError naming the section, option and value
 */
export function checkBenchArgs(argv: string[]): { section?: string; help?: string } {
  const [section, ...rest] = argv;
  if (section === undefined) return {};
  if (section === '--help' || section === '-h') return { help: benchHelp() };
  const spec = SECTIONS[section];
  if (!spec) {
    throw new BenchUsageError(
      `"${section}" is not a bench section (expected one of ${Object.keys(SECTIONS).join(', ')}; --help lists them)`,
    );
  }
  const options = spec.options;
  if (rest.includes('--help') || rest.includes('-h')) return { section, help: benchHelp(section) };
  // `--items -5`: parseArgs would call the negative number an ambiguous option; it is a value.
  const args: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const next = rest[i + 1];
    if (/^--[a-z-]+$/.test(rest[i]) && next !== undefined && /^-\.?\d/.test(next)) {
      args.push(`${rest[i]}=${next}`);
      i++;
    } else args.push(rest[i]);
  }
  const config = {
    args,
    strict: true,
    allowPositionals: false,
    tokens: true,
    options: Object.fromEntries(
      Object.entries(options).map(([name, opt]) => [
        name,
        { type: opt.kind === 'flag' ? ('boolean' as const) : ('string' as const) },
      ]),
    ),
  } as const;
  let parsed: ReturnType<typeof parseArgs<typeof config>>;
  try {
    parsed = parseArgs(config);
  } catch (err) {
    const accepted = Object.keys(options).map((o) => `--${o}`);
    throw new BenchUsageError(
      `${section}: ${(err as Error).message.split('\n')[0]} (accepted: ${accepted.length > 0 ? accepted.join(', ') : 'no options'})`,
    );
  }
  // parseArgs keeps the last of a repeated option: `--series 5 --series 6` would drop the 5 silently.
  const given = new Map<string, string[]>();
  for (const t of parsed.tokens)
    if (t.kind === 'option') given.set(t.name, [...(given.get(t.name) ?? []), t.value ?? '']);
  for (const [name, values] of given)
    if (values.length > 1)
      throw new BenchUsageError(
        `${section} --${name} is given ${values.length} times${values.some((v) => v !== '') ? ` (${values.map((v) => `"${v}"`).join(', ')})` : ''}; give it once`,
      );
  for (const [name, value] of Object.entries(parsed.values)) {
    if (typeof value === 'string') checkValue(section, name, options[name], value);
  }
  return { section };
}
