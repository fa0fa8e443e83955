import { randomUUID } from 'node:crypto';
import {
  DEFAULT_METRICS_SERVICE,
  DUPLICATE_POLICIES,
  GOLD_PREFIX,
  GUARDRAIL_MODES,
  JOB_DEFAULTS,
  MODEL_MODES,
  JOB_ENV,
  JOB_LOG_LEVELS,
  LOG_FORMATS,
  ON_OFF,
  COMBINATION_EXPECTED,
  OUTLIER_SETTINGS,
  LEVEL_SHIFT_SETTINGS,
  WEEKDAY_PROFILE_SETTINGS,
  parseJobEnv,
} from '@retail-forecast/job-contract';
import type { JobEnvKey } from '@retail-forecast/job-contract';
import { parseHolidayRegion } from '@retail-forecast/forecasting';
import { errorMessage, isIsoDate } from '@retail-forecast/util';
import { parseBadRowBudget } from '@retail-forecast/sales-data';
import { ConfigError } from './errors';
import { assertModelSupports, parseModelSpec } from './forecastStep';
import type { RunConfig, RunFlags } from './types';

/** Settings that have a flag as well as an environment variable (flag names are kebab-case). */
const FLAGGED = [
  'source',
  'table',
  'asOf',
  'horizon',
  'quantiles',
  'model',
  'guardrail',
  'modelMode',
  'batchThreshold',
  'concurrency',
  'workers',
  'globalModel',
  'combination',
  'outliers',
  'levelShifts',
  'weekdayProfile',
  'metricsFile',
  'logFormat',
  'timezone',
  'onDuplicate',
  'maxBadRows',
  'report',
  'deadlineMinutes',
  'leadTimeDays',
  'reviewPeriodDays',
  'serviceLevel',
  'archive',
  'shard',
  'summaries',
  'holidays',
  'events',
] as const satisfies readonly (JobEnvKey & keyof RunFlags)[];

/** The flag of a setting: `asOf` → `--as-of`. */
export const flagOf = (key: string) => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

const oneOf = (values: readonly string[]) =>
  `${values.slice(0, -1).join(', ')} or ${values[values.length - 1]}`;

/** What a setting allows, where the schema's own message says it less well. */
const EXPECTED: Partial<Record<JobEnvKey, string>> = {
  asOf: 'expected YYYY-MM-DD',
  model:
    'expected statistical, bedrock:<modelId or inference profile id>, chronos:<endpoint ARN or model id> or chronos2:<SageMaker endpoint name or ARN>',
  guardrail: `expected ${oneOf(GUARDRAIL_MODES)}`,
  modelMode: `expected ${oneOf(MODEL_MODES)}`,
  globalModel: `expected ${oneOf(ON_OFF)}`,
  combination: `expected ${COMBINATION_EXPECTED}`,
  outliers: `expected ${oneOf(OUTLIER_SETTINGS)}`,
  levelShifts: `expected ${oneOf(LEVEL_SHIFT_SETTINGS)}`,
  weekdayProfile: `expected ${oneOf(WEEKDAY_PROFILE_SETTINGS)}`,
  logFormat: `expected ${oneOf(LOG_FORMATS)}`,
  logLevel: `expected ${oneOf(JOB_LOG_LEVELS)}`,
  onDuplicate: `expected ${oneOf(DUPLICATE_POLICIES)}`,
  maxBadRows: 'expected a number of rows, e.g. 25, or a percentage of the rows read, e.g. 1%',
  timezone: 'expected an IANA time zone such as Europe/Berlin, or UTC',
  report: 'expected a file ending in .html or s3://bucket/prefix/',
  leadTimeDays: 'expected whole days from 0 to 365',
  holidays:
    'expected a country or country-region code such as US, US-CA, DE-BY or GB (see https://github.com/commenthol/date-holidays#supported-countries-states-regions)',
  reviewPeriodDays: 'expected whole days from 0 to 365',
};

const VERB: Partial<Record<JobEnvKey, string>> = {
  asOf: 'is not a date',
  model: 'is not a model',
  timezone: 'is not a time zone',
  shard: 'is not a shard',
  quantiles: 'is not a list of quantile levels',
  report: 'is not a report location',
};

const KEY_OF_NAME = new Map(
  Object.entries(JOB_ENV).map(([key, name]) => [name as string, key as JobEnvKey]),
);

/**
 * Flags win over environment variables; the merged values are validated with the job contract's
 * schema (the one the infrastructure validates what it writes against). Every missing value is
 * named in one error, and every invalid one in another, each by the flag or variable it came from,
 * so the EC2 user data's log says exactly what to set.
 * @throws ConfigError
 */
export function resolveRunConfig(flags: RunFlags, env: NodeJS.ProcessEnv): RunConfig {
  const merged: Record<string, string | undefined> = { ...env };
  const fromFlag = new Set<string>();
  for (const key of FLAGGED) {
    const v = flags[key];
    if (v !== undefined) {
      merged[JOB_ENV[key]] = String(v);
      fromFlag.add(key);
    }
  }
  const name = (key: JobEnvKey) => (fromFlag.has(key) ? flagOf(key) : JOB_ENV[key]);
  const parsed = parseJobEnv(merged);
  const invalid = parsed.ok
    ? []
    : parsed.issues.map((issue) => {
        const key = KEY_OF_NAME.get(issue.name)!;
        return `${name(key)} "${issue.value}" ${VERB[key] ?? 'is not valid'} (${EXPECTED[key] ?? issue.message})`;
      });
  const asOf = merged[JOB_ENV.asOf] || undefined;
  if (parsed.ok && asOf !== undefined && !isIsoDate(asOf))
    invalid.push(`${name('asOf')} "${asOf}" is not a date (${EXPECTED.asOf})`);
  if (!parsed.ok || invalid.length > 0) throw new ConfigError(invalid.join('; '));
  const v = parsed.value;

  const missing: string[] = [];
  const source =
    v[JOB_ENV.source] ??
    (v[JOB_ENV.goldBucket] ? `s3://${v[JOB_ENV.goldBucket]}/${GOLD_PREFIX}` : undefined);
  if (!source) missing.push(`--source (or ${JOB_ENV.goldBucket} / ${JOB_ENV.source})`);
  const dryRun = Boolean(flags.dryRun);
  const table = v[JOB_ENV.table];
  if (!dryRun && !table) missing.push(`--table (or ${JOB_ENV.table})`);
  const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  const report = v[JOB_ENV.report];
  const archive = v[JOB_ENV.archive];
  const needsAws =
    !dryRun ||
    [source, report, archive, v[JOB_ENV.summaries]].some(
      (uri) => uri?.startsWith('s3://') ?? false,
    );
  const model = parseModelSpec(v[JOB_ENV.model] ?? JOB_DEFAULTS.model);
  if (!region && (needsAws || model.kind !== 'statistical')) missing.push('AWS_REGION');
  const modelMode = v[JOB_ENV.modelMode] ?? JOB_DEFAULTS.modelMode;
  if (modelMode === 'batch' && (model.kind === 'chronos' || model.kind === 'chronos2')) {
    const served =
      model.kind === 'chronos2'
        ? 'Chronos-2 on a SageMaker real-time endpoint'
        : 'Chronos-Bolt on a Bedrock Marketplace endpoint';
    throw new ConfigError(
      `${name('modelMode')} "batch" is for Converse models (bedrock:<id>); ${model.kind}:${model.id} is ${served}, which has no batch inference, and is asked on demand (use sync or auto)`,
    );
  }
  // `auto` with Chronos(-2) stays on demand; with a Converse model it needs the batch settings.
  const wantsBatch = model.kind === 'bedrock' && modelMode !== 'sync';
  const batchRoleArn = v[JOB_ENV.batchRoleArn];
  const batchS3 = v[JOB_ENV.batchS3];
  if (wantsBatch && !batchRoleArn)
    missing.push(`${JOB_ENV.batchRoleArn} (for ${name('modelMode')} ${modelMode})`);
  if (wantsBatch && !batchS3)
    missing.push(`${JOB_ENV.batchS3} (for ${name('modelMode')} ${modelMode})`);
  if (missing.length > 0) throw new ConfigError(`missing configuration: ${missing.join(', ')}`);
  const horizon = v[JOB_ENV.horizon] ?? JOB_DEFAULTS.horizon;
  assertModelSupports(model, horizon, name('horizon'));
  const holidays = v[JOB_ENV.holidays];
  if (holidays !== undefined) {
    try {
      parseHolidayRegion(holidays);
    } catch (err) {
      throw new ConfigError(`${name('holidays')} "${holidays}": ${errorMessage(err)}`, {
        cause: err,
      });
    }
  }
  const shard = v[JOB_ENV.shard];
  // Each shard sees only its products, so the latest event_date it finds may be another's; the
  // shards of one run must forecast from the same day.
  if (shard && shard.count > 1 && v[JOB_ENV.asOf] === undefined)
    throw new ConfigError(
      `${name('shard')} "${shard.index}/${shard.count}" needs ${flagOf('asOf')} (or ` +
        `${JOB_ENV.asOf}): every shard of a run must forecast from the same day, and a shard ` +
        `sees only its own products' latest event_date`,
    );

  // The global model is fitted on the products a run sees: a shard would fit its own, and its
  // forecasts would no longer be the unsharded run's.
  if (shard && shard.count > 1 && v[JOB_ENV.globalModel] === 'on')
    throw new ConfigError(
      `${name('globalModel')} on cannot be combined with ${name('shard')} ` +
        `"${shard.index}/${shard.count}": the global model is fitted on the products a run sees, ` +
        `so each shard would fit its own and the shards together would not equal the unsharded run`,
    );

  // The class rule is chosen from the nested errors of every product of a class the run sees.
  if (shard && shard.count > 1 && v[JOB_ENV.combination] === 'class')
    throw new ConfigError(
      `${name('combination')} class cannot be combined with ${name('shard')} ` +
        `"${shard.index}/${shard.count}": the rule is chosen per demand class over the products a ` +
        `run sees, so each shard could choose another and the shards together would not equal ` +
        `the unsharded run`,
    );

  // The catalogue's weekday profile is read across the products a run sees: a shard would read
  // its own. Unset, a sharded run keeps each product's own week; asked for, it is refused.
  const sharded = shard !== undefined && shard.count > 1;
  if (sharded && v[JOB_ENV.weekdayProfile] === 'catalogue')
    throw new ConfigError(
      `${name('weekdayProfile')} catalogue cannot be combined with ${name('shard')} ` +
        `"${shard.index}/${shard.count}": the weekday profile is read across the products a run ` +
        `sees, so each shard would read its own and the shards together would not equal the ` +
        `unsharded run (without ${flagOf('weekdayProfile')}, a sharded run keeps each product's ` +
        `own week, as own does)`,
    );

  return {
    runId: v[JOB_ENV.runId] ?? randomUUID(),
    source: source as string,
    table,
    asOf: v[JOB_ENV.asOf],
    horizon,
    ...(v[JOB_ENV.quantiles] ? { quantiles: v[JOB_ENV.quantiles] } : {}),
    model,
    guardrail: v[JOB_ENV.guardrail] ?? JOB_DEFAULTS.guardrail,
    modelMode,
    ...(wantsBatch
      ? {
          batch: {
            roleArn: batchRoleArn as string,
            s3: (batchS3 as string).endsWith('/') ? (batchS3 as string) : `${batchS3}/`,
            threshold: v[JOB_ENV.batchThreshold] ?? JOB_DEFAULTS.batchThreshold,
            pollSeconds: v[JOB_ENV.batchPollSeconds] ?? JOB_DEFAULTS.batchPollSeconds,
          },
        }
      : {}),
    output: flags.output,
    report,
    dryRun,
    json: Boolean(flags.json),
    concurrency: v[JOB_ENV.concurrency] ?? JOB_DEFAULTS.concurrency,
    workers: v[JOB_ENV.workers] ?? JOB_DEFAULTS.workers,
    globalModel: (v[JOB_ENV.globalModel] ?? JOB_DEFAULTS.globalModel) === 'on',
    combination: v[JOB_ENV.combination] ?? JOB_DEFAULTS.combination,
    cleanOutliers: (v[JOB_ENV.outliers] ?? JOB_DEFAULTS.outliers) === 'clean',
    followLevelShifts: (v[JOB_ENV.levelShifts] ?? JOB_DEFAULTS.levelShifts) === 'follow',
    catalogueProfile:
      !sharded && (v[JOB_ENV.weekdayProfile] ?? JOB_DEFAULTS.weekdayProfile) === 'catalogue',
    metricsFile: v[JOB_ENV.metricsFile],
    metricsService: v[JOB_ENV.metricsService] ?? DEFAULT_METRICS_SERVICE,
    logFormat: v[JOB_ENV.logFormat] ?? JOB_DEFAULTS.logFormat,
    logLevel: v[JOB_ENV.logLevel] ?? JOB_DEFAULTS.logLevel,
    region,
    timezone: v[JOB_ENV.timezone] ?? JOB_DEFAULTS.timezone,
    onDuplicate: v[JOB_ENV.onDuplicate] ?? JOB_DEFAULTS.onDuplicate,
    maxBadRows: parseBadRowBudget(v[JOB_ENV.maxBadRows] ?? JOB_DEFAULTS.maxBadRows),
    deadlineMinutes: v[JOB_ENV.deadlineMinutes] ?? JOB_DEFAULTS.deadlineMinutes,
    reorder: {
      leadTimeDays: v[JOB_ENV.leadTimeDays] ?? JOB_DEFAULTS.leadTimeDays,
      reviewPeriodDays: v[JOB_ENV.reviewPeriodDays] ?? JOB_DEFAULTS.reviewPeriodDays,
      serviceLevel: v[JOB_ENV.serviceLevel] ?? JOB_DEFAULTS.serviceLevel,
    },
    archive,
    accuracyAlarmFactor: v[JOB_ENV.accuracyAlarmFactor] ?? JOB_DEFAULTS.accuracyAlarmFactor,
    shard: shard && shard.count > 1 ? shard : undefined,
    summaries: v[JOB_ENV.summaries],
    holidays: holidays?.toUpperCase(),
    events: v[JOB_ENV.events],
  };
}
