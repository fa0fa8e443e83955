import { z } from 'zod';
import { parseShardSpec } from './shard';

/**
 * The environment variables through which the infrastructure (launch template user data) and the
 * local demo configure the job. The job's CLI flags override them; the CDK stack writes them.
 * Region, credentials and endpoints are not here: they are the AWS SDK's own settings
 * (`AWS_REGION`, `AWS_ENDPOINT_URL_S3`, …).
 */
export const JOB_ENV = {
  /** `s3://bucket/prefix/` or a local path of the Gold data; wins over `goldBucket`. */
  source: 'FORECAST_SOURCE',
  /** Gold bucket name; the source is then `s3://<bucket>/forecast_ready/`. */
  goldBucket: 'GOLD_BUCKET',
  /** DynamoDB inventory table name. */
  table: 'FORECAST_TABLE',
  /** Last day of history, `YYYY-MM-DD` (default: the latest `event_date` in the data). */
  asOf: 'FORECAST_AS_OF',
  /** Days to forecast. */
  horizon: 'FORECAST_HORIZON',
  /**
   * Quantile levels to publish, comma-separated (`0.05,0.1,0.5,0.9,0.95`); 0.1, 0.5 and 0.9 are
   * always published (as p10/p50/p90), other levels go to each day's `quantiles`.
   */
  quantiles: 'FORECAST_QUANTILES',
  /** `statistical`, `bedrock:<modelId>`, `chronos:<endpoint ARN or model id>` or `chronos2:<SageMaker endpoint name or ARN>`. */
  model: 'FORECAST_MODEL',
  /** `enforce`, `warn` or `off`. */
  guardrail: 'FORECAST_GUARDRAIL',
  /** Parallel DynamoDB updates. */
  concurrency: 'FORECAST_CONCURRENCY',
  /** Forecasting worker threads, 0 = automatic. */
  workers: 'FORECAST_WORKERS',
  /** `on` or `off`: the global model across products joins every product's model race. */
  globalModel: 'FORECAST_GLOBAL_MODEL',
  /** How each product's best-validated models are combined: `top3` (default), `top1`, `topN`,
   * `meanN`, `weighted`, `all`, `select` or `class` (forecasting's `AutoOptions.combination`). */
  combination: 'FORECAST_COMBINATION',
  /**
   * `clean` (default) or `keep`: smooth demand is fitted with its one-off outliers (holidays,
   * closures, stock-outs) replaced, or on every day as it was (forecasting's
   * `AutoOptions.cleanOutliers`).
   */
  outliers: 'FORECAST_OUTLIERS',
  /**
   * `follow` (default) or `ignore`: demand that moved 2× or more 3–13 weeks ago is fitted on the
   * days since the shift, or on the whole history (forecasting's `AutoOptions.levelShifts`).
   */
  levelShifts: 'FORECAST_LEVEL_SHIFTS',
  /**
   * `catalogue` (default) or `own`: a young product (under 26 weeks) whose models leave its week
   * flat is spread by its category's or catalogue's weekday profile, or keeps its models' week
   * (forecasting's `AutoOptions.catalogueProfile`).
   */
  weekdayProfile: 'FORECAST_WEEKDAY_PROFILE',
  /** File the job appends one CloudWatch EMF record per run to. */
  metricsFile: 'FORECAST_METRICS_FILE',
  /** `Service` dimension of the job's metrics; the alarms watch the same value. */
  metricsService: 'FORECAST_METRICS_SERVICE',
  /** `text` or `json`. */
  logFormat: 'FORECAST_LOG_FORMAT',
  /** `debug`, `info`, `warn` or `error`. */
  logLevel: 'FORECAST_LOG_LEVEL',
  /** Run id recorded in every item and metric (default: a fresh UUID). */
  runId: 'FORECAST_RUN_ID',
  /** IANA zone whose local dates bare UTC instants in the Gold data denote (default UTC). */
  timezone: 'FORECAST_TIMEZONE',
  /** Rows for one product and day with different daily_sales: `max`, `sum`, `last` or `error`. */
  onDuplicate: 'FORECAST_ON_DUPLICATE',
  /** Rejected rows tolerated before the run stops unwritten: a row count (`25`) or `1%`. */
  maxBadRows: 'FORECAST_MAX_BAD_ROWS',
  /** Where the run's HTML report goes: a local `.html` file or `s3://bucket/prefix/`. */
  report: 'FORECAST_REPORT',
  /**
   * Minutes after the job starts by which the run must be done: model requests stop early enough
   * to leave time for the writes, and the products not answered by then fall back.
   */
  deadlineMinutes: 'FORECAST_DEADLINE_MINUTES',
  /** Forecast archive: `s3://bucket/prefix/` or a local directory (Hive-partitioned Parquet). */
  archive: 'FORECAST_ARCHIVE',
  /** Lead time in days for items without `lead_time_days`. */
  leadTimeDays: 'FORECAST_LEAD_TIME_DAYS',
  /** Review period in days for items without `review_period_days`. */
  reviewPeriodDays: 'FORECAST_REVIEW_PERIOD_DAYS',
  /** Cycle service level in (0, 1) for items without `service_level`. */
  serviceLevel: 'FORECAST_SERVICE_LEVEL',
  /** `AccuracyDegraded` is 1 when the last week's horizon-total WAPE exceeds this × its 28-day median. */
  accuracyAlarmFactor: 'FORECAST_ACCURACY_ALARM_FACTOR',
  /**
   * How a Converse model is asked: `sync` (one Converse call per prompt batch), `batch` (one Bedrock
   * batch inference job) or `auto` (batch from `batchThreshold` products on).
   */
  modelMode: 'FORECAST_MODEL_MODE',
  /** Products from which `auto` uses a batch inference job. */
  batchThreshold: 'FORECAST_BATCH_THRESHOLD',
  /** The batch service role Bedrock assumes to read the input and write the output. */
  batchRoleArn: 'FORECAST_BATCH_ROLE_ARN',
  /** `s3://bucket/prefix/` under which batch input (`input/`) and output (`output/`) go. */
  batchS3: 'FORECAST_BATCH_S3',
  /** Seconds between status polls of a batch inference job. */
  batchPollSeconds: 'FORECAST_BATCH_POLL_SECONDS',
  /**
   * `i/N`: forecast only the products whose `crc32(product_id) mod N` is `i` (see `shard.ts`).
   * On AWS Batch the shard job's command sets it from `AWS_BATCH_JOB_ARRAY_INDEX`.
   */
  shard: 'FORECAST_SHARD',
  /**
   * `s3://bucket/prefix/` or a local directory where each run writes its JSON summary
   * (`run_id=<id>/shard=<i>-of-<N>/summary.json` for a shard, see `summaryKey`), and where
   * `forecast merge-shards` reads the shards' and writes the run's.
   */
  summaries: 'FORECAST_SUMMARIES',
  /**
   * Public holidays of this country or region (`US`, `US-CA`, `DE-BY`, `GB`) become regressors of
   * the calendar candidate (`dhr`); unset = no holiday effects.
   */
  holidays: 'FORECAST_HOLIDAYS',
  /** Known-future events CSV (`date,scope,event,value`): a local path or `s3://bucket/key`. */
  events: 'FORECAST_EVENTS',
} as const;

export type JobEnvKey = keyof typeof JOB_ENV;
export type JobEnvName = (typeof JOB_ENV)[JobEnvKey];

/** Where the job reads Gold data under a bucket when only `GOLD_BUCKET` is set. */
export const GOLD_PREFIX = 'forecast_ready/';

/**
 * Under a `s3://bucket/prefix/` report location, each run writes `<prefix>reports/as_of=<asOf>/index.html`
 * and a copy at `<prefix>reports/latest/index.html`.
 */
export const REPORTS_PREFIX = 'reports/';

/** Report locations: a local file ending in `.html`/`.htm`, or `s3://bucket[/prefix/]`. */
export const REPORT_TARGET_PATTERN =
  /^(s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?|.*[^/\\]\.html?)$/i;

/** Holiday settings: an ISO 3166-1 country code, optionally `-` and a region code. */
export const HOLIDAYS_PATTERN = /^[A-Za-z]{2}(-[A-Za-z0-9]{1,3})?$/;

/** Model settings: `statistical`, `bedrock:<id>`, `chronos:<id>` or `chronos2:<endpoint>`. */
export const MODEL_SPEC_PATTERN = /^(statistical|stat|(bedrock|chronos2|chronos):.+)$/;
export const GUARDRAIL_MODES = ['enforce', 'warn', 'off'] as const;
/** How a Converse model is asked: one call per prompt batch, a batch inference job, or by size. */
export const MODEL_MODES = ['sync', 'batch', 'auto'] as const;
export const LOG_FORMATS = ['text', 'json'] as const;
/** Settings of a feature switch such as the global model. */
export const ON_OFF = ['on', 'off'] as const;
/** `AutoOptions.combination` of the forecasting lib: `topN`, `meanN` (N >= 1) or a named rule. */
export const COMBINATION_PATTERN = /^(?:(?:top|mean)[1-9][0-9]*|weighted|all|select|class)$/;
export const COMBINATION_EXPECTED =
  'top3 (the default), top1, top2, top<N> or mean<N> (the median or mean of the N best, N = 1, 2, 3, …; all of them when there are fewer), weighted, all, select or class';
/** Settings of the outlier cleaning of smooth demand: `clean` (replace them) or `keep`. */
export const OUTLIER_SETTINGS = ['clean', 'keep'] as const;
/** Settings of the level-shift cut: `follow` (fit on the days since a recent shift) or `ignore`. */
export const LEVEL_SHIFT_SETTINGS = ['follow', 'ignore'] as const;
/** Settings of young products' weekly pattern: `catalogue` (the catalogue's weekday profile where
 * their models left the week flat) or `own` (their models' week). */
export const WEEKDAY_PROFILE_SETTINGS = ['catalogue', 'own'] as const;
export const JOB_LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
/** Policies for rows of one product and day whose daily_sales differ. */
export const DUPLICATE_POLICIES = ['max', 'sum', 'last', 'error'] as const;
/** A bad-row budget: a whole number of rows, or a percentage (up to 100) of the rows read. */
export const BAD_ROW_BUDGET_PATTERN = /^(\d+|(100(\.0+)?|\d{1,2}(\.\d+)?)%)$/;

/** True when `Intl` knows the zone (an IANA name such as `Europe/Berlin`, or `UTC`). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * Parses a comma-separated list of quantile levels (`0.05,0.1,0.5,0.9,0.95`): each a decimal
 * strictly between 0 and 1 with at most 4 decimals, none twice. Returns the levels sorted, or a
 * message naming the first bad entry.
 */
export function parseQuantileLevels(
  text: string,
): { ok: true; value: number[] } | { ok: false; message: string } {
  const parts = text.split(',').map((p) => p.trim());
  const seen = new Set<number>();
  for (const p of parts) {
    const v = Number(p);
    if (!/^0?\.\d{1,4}$/.test(p) || !(v > 0 && v < 1)) {
      return {
        ok: false,
        message: `level "${p}" is not a quantile level (expected decimals strictly between 0 and 1 with at most 4 decimals, comma-separated, e.g. 0.05,0.1,0.5,0.9,0.95)`,
      };
    }
    if (seen.has(v)) return { ok: false, message: `level "${p}" is listed twice` };
    seen.add(v);
  }
  return { ok: true, value: [...seen].sort((a, b) => a - b) };
}

/** Defaults the job applies when neither a flag nor the environment sets a value. */
export const JOB_DEFAULTS = {
  horizon: 7,
  leadTimeDays: 7,
  reviewPeriodDays: 7,
  serviceLevel: 0.95,
  accuracyAlarmFactor: 1.5,
  model: 'statistical',
  guardrail: 'enforce',
  concurrency: 16,
  workers: 0,
  /**
   * Off until the benchmarks show it pays: it wins on the sparse superstore set and costs a
   * one-off fit per run, but adds little where per-product models are already good (README
   * "Accuracy and speed").
   */
  globalModel: 'off',
  /**
   * The median of each product's three best-validated models. `class` (the pool depth chosen per
   * demand class by nested validation over the catalogue) won or tied on every bench set, by most
   * with the global model, but depends on the whole catalogue, so it is opt-in and refuses
   * `--shard` (README "Combination rule").
   */
  combination: 'top3',
  /**
   * One-off outliers of smooth demand are replaced before the models are fitted (the race still
   * scores the real days): a holiday, closure or stock-out otherwise moves ETS's level and repeats
   * in seasonal naive a week later (README "Outliers in smooth demand (`outliers.ts`)").
   */
  outliers: 'clean',
  /**
   * Demand that moved 2× or more 3–13 weeks ago (a fall to a tenth, a relaunch) is fitted on the
   * days since the shift, so it is forecast at its new level rather than at the mean of both
   * (README "Level shifts").
   */
  levelShifts: 'follow',
  /**
   * A young product (under 26 whole weeks since its first sale) whose models left its week flat
   * is spread by the weekday profile its category's (or the whole catalogue's) products share,
   * blended with its own weeks (README "Young products' weekly pattern").
   */
  weekdayProfile: 'catalogue',
  logFormat: 'text',
  logLevel: 'info',
  timezone: 'UTC',
  onDuplicate: 'max',
  /**
   * Gold data is machine-written: a systematic fault (a changed export format, a locale's number
   * format, a schema drift) rejects far more than 1 % of the rows, while a few stray rows in a
   * large table stay below it and are flagged per product. On small inputs (< 100 rows) it
   * tolerates no bad row, where each row weighs much.
   */
  maxBadRows: '1%',
  /**
   * Well inside the instance's 60-minute watchdog (`shutdown -h +60` at boot): boot, installing
   * Node and fetching the bundle take a few minutes before the job starts, and shipping logs and
   * metrics some after it, so a run that ends by 45 minutes still reports its summary and metrics
   * instead of being powered off mid-write.
   */
  deadlineMinutes: 45,
  modelMode: 'sync',
  /**
   * `auto` sends a batch job from this many products: a job takes at least 100 records (Bedrock's
   * quota), so smaller catalogs gain little, and a job may wait in a queue for hours, which a
   * daily run only affords for a catalog whose on-demand cost is worth halving.
   */
  batchThreshold: 1000,
  batchPollSeconds: 60,
} as const;

const wholeNumber = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, `expected a whole number from ${min} to ${max}`)
    .transform(Number)
    .pipe(
      z
        .number()
        .int()
        .min(min, `expected a whole number from ${min} to ${max}`)
        .max(max, `expected a whole number from ${min} to ${max}`),
    );

/** A decimal number strictly between `min` and `max` (or up to `max` inclusive). */
const decimal = (min: number, max: number, expected: string, maxInclusive = false) =>
  z
    .string()
    .trim()
    .regex(/^\d+(\.\d+)?$/, expected)
    .transform(Number)
    .pipe(
      z
        .number()
        .refine((v) => v > min && (maxInclusive ? v <= max : v < max), { message: expected }),
    );

/**
 * Schema of the job's environment: every value is optional here (flags may supply it), and a
 * present value must be valid. The infrastructure validates what it writes against the same
 * schema, so a typo fails `cdk synth`, not the 01:00 run.
 */
export const jobEnvSchema = z.object({
  [JOB_ENV.source]: z.string().min(1).optional(),
  [JOB_ENV.goldBucket]: z.string().min(1).optional(),
  [JOB_ENV.table]: z.string().min(1).optional(),
  [JOB_ENV.asOf]: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD')
    .optional(),
  [JOB_ENV.horizon]: wholeNumber(1, 90).optional(),
  [JOB_ENV.quantiles]: z
    .string()
    .trim()
    .transform((text, ctx) => {
      const parsed = parseQuantileLevels(text);
      if (parsed.ok) return parsed.value;
      ctx.addIssue({ code: 'custom', message: parsed.message });
      return z.NEVER;
    })
    .optional(),
  [JOB_ENV.model]: z
    .string()
    .regex(
      MODEL_SPEC_PATTERN,
      'expected statistical, bedrock:<modelId>, chronos:<endpoint> or chronos2:<endpoint>',
    )
    .optional(),
  [JOB_ENV.guardrail]: z.enum(GUARDRAIL_MODES).optional(),
  [JOB_ENV.concurrency]: wholeNumber(1, 256).optional(),
  [JOB_ENV.workers]: wholeNumber(0, 64).optional(),
  [JOB_ENV.globalModel]: z.enum(ON_OFF).optional(),
  [JOB_ENV.combination]: z
    .string()
    .trim()
    .regex(COMBINATION_PATTERN, `expected ${COMBINATION_EXPECTED}`)
    .optional(),
  [JOB_ENV.outliers]: z.enum(OUTLIER_SETTINGS).optional(),
  [JOB_ENV.levelShifts]: z.enum(LEVEL_SHIFT_SETTINGS).optional(),
  [JOB_ENV.weekdayProfile]: z.enum(WEEKDAY_PROFILE_SETTINGS).optional(),
  [JOB_ENV.metricsFile]: z.string().min(1).optional(),
  [JOB_ENV.metricsService]: z.string().min(1).max(255).optional(),
  [JOB_ENV.logFormat]: z.enum(LOG_FORMATS).optional(),
  [JOB_ENV.logLevel]: z.enum(JOB_LOG_LEVELS).optional(),
  [JOB_ENV.runId]: z.string().min(1).optional(),
  [JOB_ENV.timezone]: z
    .string()
    .trim()
    .refine(isTimeZone, 'expected an IANA time zone such as Europe/Berlin, or UTC')
    .optional(),
  [JOB_ENV.onDuplicate]: z.enum(DUPLICATE_POLICIES).optional(),
  [JOB_ENV.maxBadRows]: z
    .string()
    .trim()
    .regex(BAD_ROW_BUDGET_PATTERN, 'expected a number of rows (e.g. 25) or a percentage (e.g. 1%)')
    .optional(),
  [JOB_ENV.report]: z
    .string()
    .regex(REPORT_TARGET_PATTERN, 'expected a file ending in .html or s3://bucket/prefix/')
    .optional(),
  [JOB_ENV.deadlineMinutes]: wholeNumber(1, 1440).optional(),
  [JOB_ENV.archive]: z.string().min(1).optional(),
  [JOB_ENV.leadTimeDays]: wholeNumber(0, 365).optional(),
  [JOB_ENV.reviewPeriodDays]: wholeNumber(0, 365).optional(),
  [JOB_ENV.serviceLevel]: decimal(0, 1, 'expected a probability above 0 and below 1').optional(),
  [JOB_ENV.modelMode]: z.enum(MODEL_MODES).optional(),
  [JOB_ENV.batchThreshold]: wholeNumber(1, 10_000_000).optional(),
  [JOB_ENV.batchPollSeconds]: wholeNumber(1, 3600).optional(),
  [JOB_ENV.batchRoleArn]: z
    .string()
    .regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/, 'expected arn:aws:iam::<account>:role/<name>')
    .optional(),
  [JOB_ENV.batchS3]: z
    .string()
    .regex(/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/, 'expected s3://bucket/prefix/')
    .optional(),
  [JOB_ENV.accuracyAlarmFactor]: decimal(
    1,
    100,
    'expected a factor above 1 and at most 100',
    true,
  ).optional(),
  [JOB_ENV.shard]: z
    .string()
    .trim()
    .transform((text, ctx) => {
      const parsed = parseShardSpec(text);
      if (parsed.ok) return parsed.value;
      ctx.addIssue({ code: 'custom', message: parsed.message });
      return z.NEVER;
    })
    .optional(),
  [JOB_ENV.summaries]: z.string().min(1).optional(),
  [JOB_ENV.holidays]: z
    .string()
    .trim()
    .regex(HOLIDAYS_PATTERN, 'expected a country or country-region code such as US, US-CA or DE-BY')
    .optional(),
  [JOB_ENV.events]: z.string().min(1).optional(),
});

export type JobEnv = z.infer<typeof jobEnvSchema>;

/** One invalid environment value. */
export interface JobEnvIssue {
  name: string;
  value: string | undefined;
  message: string;
}

/**
 * Parses the job's variables out of a process environment (other variables are ignored; an empty
 * or blank value counts as unset, as an empty flag value does in the CLI).
 * @returns the typed values, or every invalid one with its name, value and what was expected.
 */
export function parseJobEnv(
  env: Record<string, string | undefined>,
): { ok: true; value: JobEnv } | { ok: false; issues: JobEnvIssue[] } {
  const picked: Record<string, string> = {};
  for (const name of Object.values(JOB_ENV)) {
    const v = env[name];
    if (v !== undefined && v.trim() !== '') picked[name] = v;
  }
  const parsed = jobEnvSchema.safeParse(picked);
  if (parsed.success) return { ok: true, value: parsed.data };
  return {
    ok: false,
    issues: parsed.error.issues.map((i) => {
      const name = String(i.path[0]);
      return { name, value: picked[name], message: i.message };
    }),
  };
}
