import { EXIT_FAILED, EXIT_OK } from '@retail-forecast/util';
import { describeEngine } from './summary';
import type { EngineSettings, RunSummary, SparseCalendarColumn } from './types';

/** One shard's outcome as the merge saw it. */
export interface ShardOutcome {
  /** `i/N`. */
  shard: string;
  /** The shard's exit code; null when its summary is missing (it never finished). */
  exitCode: number | null;
  asOf: string | null;
  productsForecast: number;
  productsFailed: number;
}

/** The engine settings every shard of a run must share (`EngineSettings` without the calendar's
 * per-product limits, which are added up). */
export const SHARED_ENGINE_SETTINGS = [
  'globalModel',
  'combination',
  'outliers',
  'levelShifts',
  'weekdayProfile',
  'holidays',
  'events',
] as const;

/** How a shard's engine record says a setting it lacks (older versions recorded fewer). */
export const NOT_RECORDED = 'not recorded';

/**
 * An engine setting the shards of one run disagree on, or that some shard did not record (so
 * they cannot be shown to agree): each value ({@link NOT_RECORDED} where a shard's engine record
 * lacks the setting) and the shards that used it.
 */
export interface EngineMismatch {
  setting: (typeof SHARED_ENGINE_SETTINGS)[number];
  /** In shard order of first use (shards that recorded their engine; see `engineNotRecorded`). */
  values: { value: string; shards: string[] }[];
}

/** The run summary of a sharded run: the shards' summaries added up (`forecast merge-shards`). */
export interface MergedRunSummary {
  runId: string;
  /** The shards' common as-of; null when they disagree or none finished. */
  asOf: string | null;
  shardCount: number;
  shards: ShardOutcome[];
  /** Shards without a summary: they did not finish (or wrote nowhere). */
  missing: string[];
  /** Shards whose as-of differs from the first shard's. */
  asOfMismatch: string[];
  /**
   * The shards' common engine settings, as an unsharded run's summary records them, with
   * `sparseCalendar` (products per holiday or event) and `calendarTooShort` added up over the
   * shards; null when no shard finished or they disagree on a setting (`engineMismatch`).
   */
  engine: EngineSettings | null;
  /** The engine settings the shards disagree on (shards of one run must use one engine). */
  engineMismatch: EngineMismatch[];
  /**
   * Shards whose summary has no `engine` record (written by an older version): their settings
   * are unknown, so the run's `engine` is null and the merge fails as for a mismatch.
   */
  engineNotRecorded: string[];
  files: number;
  rows: { read: number; used: number; rejected: number; skipped: number };
  products: {
    read: number;
    forecast: number;
    written: number;
    skippedNewer: number;
    failed: { productId: string; error: string }[];
    stockNotRead: number;
  };
  models: Record<string, number>;
  /**
   * The shards' `outliers` added up: days the outlier cleaning replaced, products with any. When
   * the shards disagree on `--outliers` the sum mixes settings; when some did not record theirs
   * (no engine record, or one without `outliers`) it may.
   */
  outliers: { daysReplaced: number; products: number };
  /**
   * The shards' `levelShifts` added up: products fitted after a level shift. When the shards
   * disagree on `--level-shifts` the sum mixes settings; when some did not record theirs (no
   * engine record, or one without `levelShifts`) it may.
   */
  levelShifts: { products: number };
  /**
   * The shards' `weekdayProfile` added up: products whose week the catalogue's weekday profile
   * spread, and of them those by their category's. When the shards disagree on
   * `--weekday-profile` the sum mixes settings; when some did not record theirs (no engine
   * record, or one without `weekdayProfile`) it may.
   */
  weekdayProfile: { products: number; category: number };
  fallbacks: number;
  inputTokens: number;
  outputTokens: number;
  /** The slowest shard's duration (they run in parallel). */
  durationSeconds: number;
  /**
   * 0 only when every shard exited 0 on the same as-of and engine; else the worst shard's code,
   * at least 1.
   */
  exitCode: number;
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/**
 * A setting's value in the words of the summary's engine line (`describeEngine`), or
 * {@link NOT_RECORDED} when the shard's engine record lacks it (a summary written before the
 * setting existed, or a hand edit).
 */
function settingValue(e: EngineSettings, setting: EngineMismatch['setting']): string {
  if ((e as Partial<EngineSettings>)[setting] === undefined) return NOT_RECORDED;
  switch (setting) {
    case 'globalModel':
      return e.globalModel ? 'on' : 'off';
    case 'holidays':
      return e.holidays ?? 'none';
    case 'events':
      return e.events ? `${e.events.uri} (${e.events.rows} rows)` : 'none';
    default:
      return String(e[setting]);
  }
}

/**
 * The settings on which the shards that finished differ, or that some of them did not record,
 * each value with its shards.
 */
function engineMismatches(shards: { label: string; engine: EngineSettings }[]): EngineMismatch[] {
  const out: EngineMismatch[] = [];
  for (const setting of SHARED_ENGINE_SETTINGS) {
    const byValue = new Map<string, string[]>();
    for (const s of shards) {
      const v = settingValue(s.engine, setting);
      byValue.set(v, [...(byValue.get(v) ?? []), s.label]);
    }
    if (byValue.size > 1 || byValue.has(NOT_RECORDED))
      out.push({ setting, values: [...byValue].map(([value, on]) => ({ value, shards: on })) });
  }
  return out;
}

/** The shards' common engine with the calendar's per-product limits added up over them. */
function mergedEngine(engines: EngineSettings[]): EngineSettings {
  const sparse = new Map<string, number>();
  for (const e of engines)
    for (const c of e.sparseCalendar) sparse.set(c.name, (sparse.get(c.name) ?? 0) + c.products);
  const sparseCalendar: SparseCalendarColumn[] = [...sparse]
    .map(([name, products]) => ({ name, products }))
    .sort((a, b) => b.products - a.products || a.name.localeCompare(b.name));
  return {
    ...engines[0],
    sparseCalendar,
    calendarTooShort: sum(engines.map((e) => e.calendarTooShort)),
  };
}

const SETTING_FLAG: Record<EngineMismatch['setting'], string> = {
  globalModel: '--global-model',
  combination: '--combination',
  outliers: '--outliers',
  levelShifts: '--level-shifts',
  weekdayProfile: '--weekday-profile',
  holidays: '--holidays',
  events: '--events',
};

/**
 * `--combination: top3 on shards 0/4, 1/4; top1 on shards 2/4, 3/4`, or
 * `--outliers: not recorded on shards 0/2, 1/2`.
 */
export function describeEngineMismatch(m: EngineMismatch): string {
  return `${SETTING_FLAG[m.setting]}: ${m.values.map((v) => `${v.value} on shard${v.shards.length === 1 ? '' : 's'} ${v.shards.join(', ')}`).join('; ')}`;
}

/** A shard summary's `outliers`, `levelShifts` or `weekdayProfile` figures; undefined in
 * summaries written before they existed. */
function recordedFigures<K extends 'outliers' | 'levelShifts' | 'weekdayProfile'>(
  s: RunSummary,
  key: K,
): RunSummary[K] | undefined {
  return (s as Partial<RunSummary>)[key];
}

/**
 * What makes `value` (a parsed shard summary file) unusable as a `RunSummary` for
 * `mergeShardSummaries`, or undefined when it is usable: not an object, or a field the merge adds
 * up missing or of the wrong type (the first such field, by its path). A shard killed while
 * writing, a hand edit or another tool's file must be named, not crash the merge.
 */
export function shardSummaryProblem(value: unknown): string | undefined {
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObject(value))
    return `it is ${Array.isArray(value) ? 'an array' : String(value)}, not an object`;
  const at = (path: string): unknown =>
    path.split('.').reduce<unknown>((v, k) => (isObject(v) ? v[k] : undefined), value);
  const checks: [string, (v: unknown) => boolean, string][] = [
    ['asOf', (v) => v === null || typeof v === 'string', 'a date or null'],
    ['exitCode', (v) => Number.isInteger(v), 'an exit code'],
    ['files', (v) => typeof v === 'number', 'a number'],
    ['durationSeconds', (v) => typeof v === 'number', 'a number'],
    [
      'models',
      (v) => isObject(v) && Object.values(v).every((n) => typeof n === 'number'),
      'counts by model',
    ],
    ['rows.read', (v) => typeof v === 'number', 'a number'],
    ['rows.used', (v) => typeof v === 'number', 'a number'],
    ['rows.rejected', (v) => typeof v === 'number', 'a number'],
    ['rows.skipped', isObject, 'counts by reason'],
    ['products.read', (v) => typeof v === 'number', 'a number'],
    ['products.forecast', (v) => typeof v === 'number', 'a number'],
    ['products.written', (v) => typeof v === 'number', 'a number'],
    ['products.skippedNewer', (v) => typeof v === 'number', 'a number'],
    ['products.failed', Array.isArray, 'a list'],
    ['products.stockNotRead', Array.isArray, 'a list'],
    ['fallbacks.count', (v) => typeof v === 'number', 'a number'],
    ['engine', (v) => v === undefined || v === null || isObject(v), 'engine settings'],
  ];
  // Every version that records --outliers also records the calendar's per-product limits, which
  // the merge adds up; older engine records lack both and are merged as "not recorded".
  if (at('engine.outliers') !== undefined)
    checks.push(
      ['engine.sparseCalendar', Array.isArray, 'a list'],
      ['engine.calendarTooShort', (v) => typeof v === 'number', 'a number'],
    );
  for (const [path, ok, what] of checks) {
    const v = at(path);
    if (!ok(v))
      return `${path} is ${v === undefined ? 'missing' : JSON.stringify(v)} (expected ${what})`;
  }
  return undefined;
}

/**
 * Adds up the summaries of shards 0..N-1 (`summaries[i]` is shard i's, undefined when missing).
 * Missing shards and shards on another as-of make the run fail (exit 1, or the worst shard code):
 * a run is a success only when every product of the catalog was handled once.
 */
export function mergeShardSummaries(
  runId: string,
  summaries: readonly (RunSummary | undefined)[],
): MergedRunSummary {
  const count = summaries.length;
  const present = summaries.filter((s): s is RunSummary => s !== undefined);
  const label = (i: number) => `${i}/${count}`;
  const missing = summaries.flatMap((s, i) => (s ? [] : [label(i)]));
  const asOf = present[0]?.asOf ?? null;
  const asOfMismatch = summaries.flatMap((s, i) => (s && s.asOf !== asOf ? [label(i)] : []));
  const models: Record<string, number> = {};
  for (const s of present)
    for (const [m, n] of Object.entries(s.models)) models[m] = (models[m] ?? 0) + n;
  const engineMismatch = engineMismatches(
    summaries.flatMap((s, i) => (s?.engine ? [{ label: label(i), engine: s.engine }] : [])),
  );
  const engineNotRecorded = summaries.flatMap((s, i) => (s && !s.engine ? [label(i)] : []));
  const engines = present.map((s) => s.engine).filter((e): e is EngineSettings => e !== undefined);
  const worst = Math.max(EXIT_OK, ...present.map((s) => s.exitCode));
  const exitCode =
    missing.length > 0 ||
    asOfMismatch.length > 0 ||
    engineMismatch.length > 0 ||
    engineNotRecorded.length > 0
      ? Math.max(worst, EXIT_FAILED)
      : worst;
  return {
    runId,
    asOf: asOfMismatch.length > 0 ? null : asOf,
    shardCount: count,
    shards: summaries.map((s, i) => ({
      shard: label(i),
      exitCode: s?.exitCode ?? null,
      asOf: s?.asOf ?? null,
      productsForecast: s?.products.forecast ?? 0,
      productsFailed: s?.products.failed.length ?? 0,
    })),
    missing,
    asOfMismatch,
    engine:
      engineMismatch.length > 0 || engineNotRecorded.length > 0 || engines.length === 0
        ? null
        : mergedEngine(engines),
    engineMismatch,
    engineNotRecorded,
    files: sum(present.map((s) => s.files)),
    rows: {
      read: sum(present.map((s) => s.rows.read)),
      used: sum(present.map((s) => s.rows.used)),
      rejected: sum(present.map((s) => s.rows.rejected)),
      skipped: sum(present.map((s) => sum(Object.values(s.rows.skipped)))),
    },
    products: {
      read: sum(present.map((s) => s.products.read)),
      forecast: sum(present.map((s) => s.products.forecast)),
      written: sum(present.map((s) => s.products.written)),
      skippedNewer: sum(present.map((s) => s.products.skippedNewer)),
      failed: present.flatMap((s) => s.products.failed),
      stockNotRead: sum(present.map((s) => s.products.stockNotRead.length)),
    },
    models,
    outliers: {
      // A shard summary written before the field has none: it adds 0.
      daysReplaced: sum(present.map((s) => recordedFigures(s, 'outliers')?.daysReplaced ?? 0)),
      products: sum(present.map((s) => recordedFigures(s, 'outliers')?.products ?? 0)),
    },
    levelShifts: {
      // A shard summary written before the field has none: it adds 0.
      products: sum(present.map((s) => recordedFigures(s, 'levelShifts')?.products ?? 0)),
    },
    weekdayProfile: {
      // A shard summary written before the field has none: it adds 0.
      products: sum(present.map((s) => recordedFigures(s, 'weekdayProfile')?.products ?? 0)),
      category: sum(present.map((s) => recordedFigures(s, 'weekdayProfile')?.category ?? 0)),
    },
    fallbacks: sum(present.map((s) => s.fallbacks.count)),
    inputTokens: sum(present.map((s) => s.bedrock?.inputTokens ?? 0)),
    outputTokens: sum(present.map((s) => s.bedrock?.outputTokens ?? 0)),
    durationSeconds: Math.max(0, ...present.map((s) => s.durationSeconds)),
    exitCode,
  };
}

/** Every finished shard's as-of: `2025-06-30 on shard 0/2; 2025-06-29 on shard 1/2`. */
export function describeShardAsOfs(m: Pick<MergedRunSummary, 'shards'>): string {
  const byDay = new Map<string, string[]>();
  for (const s of m.shards)
    if (s.asOf !== null) byDay.set(s.asOf, [...(byDay.get(s.asOf) ?? []), s.shard]);
  return [...byDay]
    .map(([day, on]) => `${day} on shard${on.length === 1 ? '' : 's'} ${on.join(', ')}`)
    .join('; ');
}

/** `shard 1/2 recorded no engine settings (written by an older version?)`. */
export function describeEngineNotRecorded(shards: readonly string[]): string {
  return `shard${shards.length === 1 ? '' : 's'} ${shards.join(', ')} recorded no engine settings (written by an older version?)`;
}

/**
 * Whether the shards' engine records differ (two values of a setting, or some shards with an
 * engine record and some without), rather than all lacking the same thing.
 */
function engineMixed(m: MergedRunSummary): boolean {
  const finished = m.shards.filter((s) => s.exitCode !== null).length;
  return (
    m.engineMismatch.some((x) => x.values.length > 1) ||
    (m.engineNotRecorded.length > 0 && m.engineNotRecorded.length < finished)
  );
}

/**
 * Why the merged figures of a setting (`outliers`, `levelShifts`, `weekdayProfile`) are no run's
 * figure, or
 * undefined when every finished shard recorded the same value of it: the shards mix settings
 * (days replaced under `--outliers clean`, none under `keep`), or some did not record theirs
 * (`--outliers not recorded on shard 1/2`).
 */
function describeFigureCaveat(
  m: MergedRunSummary,
  setting: 'outliers' | 'levelShifts' | 'weekdayProfile',
): string | undefined {
  const flag = SETTING_FLAG[setting];
  const values = m.engineMismatch.find((x) => x.setting === setting)?.values ?? [];
  if (values.filter((v) => v.value !== NOT_RECORDED).length > 1)
    return `shards mix ${flag} settings`;
  const unknown = [
    ...m.engineNotRecorded,
    ...values.filter((v) => v.value === NOT_RECORDED).flatMap((v) => v.shards),
  ].sort((a, b) => Number(a.split('/')[0]) - Number(b.split('/')[0]));
  if (unknown.length === 0) return undefined;
  return `${flag} ${NOT_RECORDED} on shard${unknown.length === 1 ? '' : 's'} ${unknown.join(', ')}`;
}

/** The merged summary as text. */
export function formatMergedSummary(m: MergedRunSummary): string {
  const engineTrouble = [
    ...m.engineMismatch.map(describeEngineMismatch),
    ...(m.engineNotRecorded.length > 0 ? [describeEngineNotRecorded(m.engineNotRecorded)] : []),
  ];
  const outliersCaveat = describeFigureCaveat(m, 'outliers');
  const levelShiftsCaveat = describeFigureCaveat(m, 'levelShifts');
  const weekdayProfileCaveat = describeFigureCaveat(m, 'weekdayProfile');
  const out = [
    '',
    `Forecast run ${m.runId} (${m.shardCount} shards)`,
    `  as of           ${m.asOf ?? (m.asOfMismatch.length > 0 ? `(shards disagree: ${describeShardAsOfs(m)})` : '(no shard finished)')}`,
    `  engine          ${m.engine ? describeEngine(m.engine) : engineTrouble.length > 0 ? `(${engineMixed(m) ? 'shards disagree' : 'not recorded'}: ${engineTrouble.join('; ')})` : '(not recorded)'}`,
    `  shards          ${m.shards.filter((s) => s.exitCode === EXIT_OK).length} of ${m.shardCount} succeeded` +
      (m.missing.length > 0 ? `; missing: ${m.missing.join(', ')}` : ''),
    `  rows read       ${m.rows.read}  (used ${m.rows.used}, rejected ${m.rows.rejected})`,
    `  products        ${m.products.forecast} forecast, ${m.products.written} written, ${m.products.failed.length} failed`,
    outliersCaveat
      ? `  outliers        ${m.outliers.daysReplaced} days replaced in ${m.outliers.products} products (${outliersCaveat}; not a share of the run)`
      : `  outliers        ${m.outliers.daysReplaced} days replaced in ${m.outliers.products} of ${m.products.forecast} products`,
    levelShiftsCaveat
      ? `  level shifts    fitted after a shift in ${m.levelShifts.products} products (${levelShiftsCaveat}; not a share of the run)`
      : `  level shifts    fitted after a shift in ${m.levelShifts.products} of ${m.products.forecast} products`,
    weekdayProfileCaveat
      ? `  weekday profile spread in ${m.weekdayProfile.products} products (${weekdayProfileCaveat}; not a share of the run)`
      : `  weekday profile spread in ${m.weekdayProfile.products} of ${m.products.forecast} products`,
    `  fallbacks       ${m.fallbacks}`,
  ];
  for (const s of m.shards.filter((x) => x.exitCode !== EXIT_OK))
    out.push(
      `  shard ${s.shard}: ${s.exitCode === null ? 'no summary (did not finish)' : `exit ${s.exitCode}`}`,
    );
  out.push(`  exit code       ${m.exitCode}`, '');
  return out.join('\n');
}
