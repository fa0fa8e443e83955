import { Command, InvalidArgumentError, Option } from 'commander';
import {
  DEFAULT_METRICS_SERVICE,
  DUPLICATE_POLICIES,
  GOLD_PREFIX,
  GUARDRAIL_MODES,
  MODEL_MODES,
  JOB_DEFAULTS,
  ON_OFF,
  OUTLIER_SETTINGS,
  LEVEL_SHIFT_SETTINGS,
  WEEKDAY_PROFILE_SETTINGS,
  JOB_ENV,
  JOB_LOG_LEVELS,
  LOG_FORMATS,
} from '@retail-forecast/job-contract';
import { EXIT_BAD_INPUT } from '@retail-forecast/util';
import pkg from '../package.json';
import { backtestAction } from './backtestCommand';
import type { BacktestFlags } from './backtestCommand';
import { mergeAction } from './mergeCommand';
import type { MergeFlags } from './mergeCommand';
import { runAction } from './runCommand';
import type { CliIo, RunFlags } from './types';

export type { CliIo } from './types';

const wholeNumber = (v: string) => {
  if (!/^\s*\d+\s*$/.test(v)) throw new InvalidArgumentError(`"${v}" is not a whole number`);
  return Number(v);
};

const positiveInt = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1)
    throw new InvalidArgumentError(`"${v}" is not a whole number ≥ 1`);
  return n;
};

const guardrailOption = () =>
  new Option('--guardrail <mode>', 'check model answers against the statistical forecast')
    .choices(GUARDRAIL_MODES)
    .default(JOB_DEFAULTS.guardrail)
    .env(JOB_ENV.guardrail);

/** `run` and `backtest` take the same settings of what the statistical engine may use. */
const globalModelOption = () =>
  new Option(
    '--global-model <setting>',
    "fit one model across all products and enter it into every product's model race (auto's, in a backtest)",
  )
    .choices(ON_OFF)
    .default(JOB_DEFAULTS.globalModel)
    .env(JOB_ENV.globalModel);

const outliersOption = () =>
  new Option(
    '--outliers <setting>',
    'smooth demand: fit the models with one-off outliers (holidays, closures, stock-outs) replaced (clean, default) or on every day as it was (keep)',
  )
    .choices(OUTLIER_SETTINGS)
    .default(JOB_DEFAULTS.outliers)
    .env(JOB_ENV.outliers);

const levelShiftsOption = () =>
  new Option(
    '--level-shifts <setting>',
    'demand that moved 2× or more 3–13 weeks ago: fit on the days since the shift (follow, default) or on the whole history (ignore)',
  )
    .choices(LEVEL_SHIFT_SETTINGS)
    .default(JOB_DEFAULTS.levelShifts)
    .env(JOB_ENV.levelShifts);

const weekdayProfileOption = () =>
  new Option(
    '--weekday-profile <setting>',
    "young products (under 26 weeks) whose models leave the week flat: spread it by the category's or catalogue's weekday profile (catalogue, default) or keep the models' week (own)",
  )
    .choices(WEEKDAY_PROFILE_SETTINGS)
    .default(JOB_DEFAULTS.weekdayProfile)
    .env(JOB_ENV.weekdayProfile);

const holidaysOption = () =>
  new Option(
    '--holidays <country[-region]>',
    'public holidays of this country or region (US, US-CA, DE-BY, GB) as regressors of the calendar candidate',
  ).env(JOB_ENV.holidays);

const eventsOption = () =>
  new Option(
    '--events <file or s3 uri>',
    'known-future events CSV (date,scope,event,value) as regressors of the calendar candidate',
  ).env(JOB_ENV.events);

/** How the data's dates are read: `run` and `backtest` load the data alike. */
const timezoneOption = () =>
  new Option(
    '--timezone <zone>',
    'IANA time zone whose local dates bare UTC instants in the data denote (offsets and plain dates are read as written)',
  )
    .default(JOB_DEFAULTS.timezone)
    .env(JOB_ENV.timezone);

const onDuplicateOption = () =>
  new Option(
    '--on-duplicate <policy>',
    'rows for one product and day with different daily_sales: keep the larger (max), add them (sum), keep the last read (last), or fail that product (error)',
  )
    .choices(DUPLICATE_POLICIES)
    .default(JOB_DEFAULTS.onDuplicate)
    .env(JOB_ENV.onDuplicate);

/** The rejected-row budget; `past` says what the command does past it. */
const maxBadRowsOption = (past: string) =>
  new Option(
    '--max-bad-rows <n|p%>',
    `rejected rows tolerated (a count, or a percentage of the rows read); past it ${past}, exit 2`,
  )
    .default(JOB_DEFAULTS.maxBadRows)
    .env(JOB_ENV.maxBadRows);

const ENV_ONLY_HELP = `
Environment only:
  ${JOB_ENV.goldBucket}                the Gold bucket: the source is then s3://$${JOB_ENV.goldBucket}/${GOLD_PREFIX}
  ${JOB_ENV.logLevel}         ${JOB_LOG_LEVELS.join(' | ')} (default: ${JOB_DEFAULTS.logLevel})
  ${JOB_ENV.metricsService}   Service dimension of the metrics (default: ${DEFAULT_METRICS_SERVICE})
  ${JOB_ENV.runId}            run id recorded in every item and metric (default: a fresh UUID)
  ${JOB_ENV.accuracyAlarmFactor}  AccuracyDegraded = 1 above this × the 28-day median (default: ${JOB_DEFAULTS.accuracyAlarmFactor})
  ${JOB_ENV.batchRoleArn}    the batch service role Bedrock assumes (--model-mode batch|auto)
  ${JOB_ENV.batchS3}          s3://bucket/prefix/ of batch input (input/) and output (output/)
  ${JOB_ENV.batchPollSeconds} seconds between batch job status polls (default: ${JOB_DEFAULTS.batchPollSeconds})
  AWS_REGION, AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL_DYNAMODB, AWS_ENDPOINT_URL_BEDROCK_RUNTIME,
  AWS_ENDPOINT_URL_BEDROCK, …
                             the AWS SDK's own settings
Flags win over the environment.`;

/**
 * An empty value of a setting that has an environment variable — `--holidays ''` as much as
 * `FORECAST_HOLIDAYS=` — is the same as not giving it: the next source applies (the flag, then
 * the environment variable, then the default), instead of failing one way for a flag and another
 * for a variable. Commander passes both through an option's parser, so the rule sits there.
 */
function emptyMeansUnset(cmd: Command): void {
  for (const option of cmd.options) {
    if (option.envVar === undefined || !option.required) continue;
    const parse = option.parseArg;
    option.argParser((value: string, previous: unknown) =>
      value.trim() === '' ? '' : parse ? parse(value, previous) : value,
    );
  }
}

/**
 * A value-taking option given twice (`--shard 0/4 --shard 1/4`) is refused with one usage line
 * naming both values (exit 2), where commander would keep the last one silently.
 */
function refuseRepeats(cmd: Command): void {
  const given = new Map<string, string[]>();
  for (const option of cmd.options) {
    if (!option.required && !option.optional) continue;
    cmd.on(`option:${option.name()}`, (value: unknown) => {
      const values = [...(given.get(option.long!) ?? []), String(value)];
      given.set(option.long!, values);
      if (values.length > 1)
        cmd.error(
          `error: option '${option.flags}' is given ${values.length} times (${values.map((v) => `"${v}"`).join(', ')}); give it once`,
          { exitCode: EXIT_BAD_INPUT, code: 'forecast.repeatedOption' },
        );
    });
  }
}

/**
 * The command's option values without those commander took from `process.env` or from a
 * default of an environment-backed option: `resolveRunConfig` reads those from `io.env`, so the
 * CLI works on the environment it is given (tests, the demo) and flags still win.
 */
function flagValues<T>(cmd: Command): T {
  const values = cmd.opts();
  for (const option of cmd.options) {
    const key = option.attributeName();
    const fromCli = cmd.getOptionValueSource(key) === 'cli';
    // An empty flag value (kept as '' by emptyMeansUnset): the environment or the default decides.
    if (option.envVar !== undefined && (!fromCli || values[key] === '')) delete values[key];
  }
  return values as T;
}

/**
 * Runs the CLI and resolves to the process exit code: 0 all written, 1 some products failed
 * (or the run broke unexpectedly), 2 bad input or configuration.
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let exitCode = 0;
  const program = new Command()
    .name('forecast')
    .description('Daily product demand forecasts: S3 Gold data → forecasts → DynamoDB')
    .version(pkg.version)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    });

  program
    .command('run')
    .description('forecast every product and write the results')
    .addOption(
      new Option(
        '--source <uri>',
        `Gold data: s3://bucket/prefix/ or a local file/directory (default: s3://$${JOB_ENV.goldBucket}/${GOLD_PREFIX})`,
      ).env(JOB_ENV.source),
    )
    .addOption(
      new Option('--table <name>', 'DynamoDB inventory table (not needed with --dry-run)').env(
        JOB_ENV.table,
      ),
    )
    .addOption(
      new Option(
        '--as-of <date>',
        'last day of history to use, YYYY-MM-DD (default: latest event_date in the data)',
      ).env(JOB_ENV.asOf),
    )
    .addOption(
      new Option('--horizon <days>', 'days to forecast, 1 to 90')
        .argParser(wholeNumber)
        .default(JOB_DEFAULTS.horizon)
        .env(JOB_ENV.horizon),
    )
    .addOption(
      new Option(
        '--quantiles <levels>',
        'quantile levels to publish, comma-separated, e.g. 0.05,0.1,0.5,0.9,0.95 (0.1, 0.5 and 0.9 always)',
      ).env(JOB_ENV.quantiles),
    )
    .addOption(
      new Option(
        '--model <model>',
        'statistical | bedrock:<modelId or inference profile> | chronos:<endpoint ARN or model id> | chronos2:<SageMaker endpoint name or ARN>',
      )
        .default(JOB_DEFAULTS.model)
        .env(JOB_ENV.model),
    )
    .addOption(guardrailOption())
    .addOption(
      new Option(
        '--model-mode <mode>',
        `how a bedrock:<id> model is asked: sync (a Converse call per prompt batch), batch (one Bedrock batch inference job at about half the price; needs ${JOB_ENV.batchRoleArn} and ${JOB_ENV.batchS3}) or auto (batch from --batch-threshold products on)`,
      )
        .choices(MODEL_MODES)
        .default(JOB_DEFAULTS.modelMode)
        .env(JOB_ENV.modelMode),
    )
    .addOption(
      new Option(
        '--batch-threshold <products>',
        'products from which --model-mode auto sends a batch job',
      )
        .argParser(wholeNumber)
        .default(JOB_DEFAULTS.batchThreshold)
        .env(JOB_ENV.batchThreshold),
    )
    .option('--output <file.jsonl>', 'also write one JSON object per product to this file')
    .addOption(
      new Option(
        '--report <file.html|s3://bucket/prefix/>',
        "write the run's HTML report to a file, or to <prefix>reports/as_of=<date>/index.html and <prefix>reports/latest/index.html",
      ).env(JOB_ENV.report),
    )
    .option('--dry-run', 'do not touch DynamoDB')
    .option('--json', 'print the run summary as JSON')
    .addOption(
      new Option(
        '--concurrency <n>',
        'parallel DynamoDB updates, 1 to 256 (Bedrock requests are capped at 8)',
      )
        .argParser(wholeNumber)
        .default(JOB_DEFAULTS.concurrency)
        .env(JOB_ENV.concurrency),
    )
    .addOption(
      new Option(
        '--workers <n>',
        'forecasting and Parquet-decoding worker threads, 0 (automatic) to 64',
      )
        .argParser(wholeNumber)
        .default(JOB_DEFAULTS.workers)
        .env(JOB_ENV.workers),
    )
    .addOption(globalModelOption())
    .addOption(
      new Option(
        '--combination <rule>',
        "how each product's best-validated models are combined: top3 (median of the 3 best), top1, top2, top<N> or mean<N> (median or mean of the N best, N = 1, 2, 3, …), weighted, all, select (per product by nested validation) or class (per demand class over the catalogue; not with --shard)",
      )
        .default(JOB_DEFAULTS.combination)
        .env(JOB_ENV.combination),
    )
    .addOption(outliersOption())
    .addOption(levelShiftsOption())
    .addOption(weekdayProfileOption())
    .addOption(
      new Option(
        '--metrics-file <path>',
        'append a CloudWatch EMF record per run to this file',
      ).env(JOB_ENV.metricsFile),
    )
    .addOption(
      new Option(
        '--deadline-minutes <n>',
        'the run must be done this many minutes after it starts: model requests stop early enough to leave time for the writes, and unanswered products fall back (1 to 1440)',
      )
        .argParser(wholeNumber)
        .default(JOB_DEFAULTS.deadlineMinutes)
        .env(JOB_ENV.deadlineMinutes),
    )
    .addOption(
      new Option('--log-format <format>', 'log line format')
        .choices(LOG_FORMATS)
        .default(JOB_DEFAULTS.logFormat)
        .env(JOB_ENV.logFormat),
    )
    .addOption(timezoneOption())
    .addOption(onDuplicateOption())
    .addOption(maxBadRowsOption('the run stops before writing'))
    .addOption(
      new Option(
        '--archive <uri>',
        'forecast archive: s3://bucket/prefix/ or a local directory (Hive-partitioned Parquet); also scores earlier forecasts',
      ).env(JOB_ENV.archive),
    )
    .addOption(
      new Option('--lead-time-days <days>', 'lead time for items without lead_time_days, 0 to 365')
        .argParser(wholeNumber)
        .default(JOB_DEFAULTS.leadTimeDays)
        .env(JOB_ENV.leadTimeDays),
    )
    .addOption(
      new Option(
        '--review-period-days <days>',
        'review period for items without review_period_days, 0 to 365',
      )
        .argParser(wholeNumber)
        .default(JOB_DEFAULTS.reviewPeriodDays)
        .env(JOB_ENV.reviewPeriodDays),
    )
    .addOption(
      new Option(
        '--service-level <p>',
        'cycle service level for items without service_level, above 0 and below 1',
      )
        .default(JOB_DEFAULTS.serviceLevel)
        .env(JOB_ENV.serviceLevel),
    )
    .addOption(
      new Option(
        '--shard <i/N>',
        'forecast only shard i of N (0 ≤ i < N): the products with crc32(product_id) mod N = i; needs --as-of. With a product_bucket=NN/ layout and N dividing 64 only those folders are read',
      ).env(JOB_ENV.shard),
    )
    .addOption(
      new Option(
        '--summaries <uri>',
        'also write the run summary as JSON under s3://bucket/prefix/ or a directory: run_id=<id>/summary.json, or run_id=<id>/shard=<i>-of-<N>/summary.json for a shard',
      ).env(JOB_ENV.summaries),
    )
    .addOption(holidaysOption())
    .addOption(eventsOption())
    .addHelpText('after', ENV_ONLY_HELP)
    .action(async (_opts: unknown, cmd: Command) => {
      exitCode = await runAction(flagValues<RunFlags>(cmd), io);
    });

  program
    .command('merge-shards')
    .description(
      "add up the summaries of a sharded run's shards into the run's summary and metrics (RunSuccess); exit 1 when a shard is missing or failed",
    )
    .addOption(
      new Option('--summaries <uri>', 'where the shards wrote their summaries').env(
        JOB_ENV.summaries,
      ),
    )
    .addOption(new Option('--run-id <id>', 'the run whose shards to merge').env(JOB_ENV.runId))
    .requiredOption('--shards <n>', 'the number of shards N, 1 to 10000 (the N of --shard i/N)')
    .addOption(
      new Option('--metrics-file <path>', 'append the run-level EMF record to this file').env(
        JOB_ENV.metricsFile,
      ),
    )
    .addOption(
      new Option('--log-format <format>', 'log line format')
        .choices(LOG_FORMATS)
        .env(JOB_ENV.logFormat),
    )
    .option('--json', 'print the merged summary as JSON')
    .action(async (_opts: unknown, cmd: Command) => {
      exitCode = await mergeAction(flagValues<MergeFlags>(cmd), io);
    });

  program
    .command('backtest')
    .description(
      'rolling-origin backtest of statistical, Bedrock and Chronos models; prints a leaderboard',
    )
    .requiredOption('--source <uri>', 'Gold data: s3://bucket/prefix/ or a local file/directory')
    .option('--horizon <days>', 'days to forecast at each origin', positiveInt, 7)
    .option(
      '--origins <n>',
      'number of forecast origins (the last horizon·n days are held out)',
      positiveInt,
      4,
    )
    .option(
      '--models <list>',
      'comma-separated: statistical names, auto, bedrock:<modelId>, chronos:<endpoint ARN or model id>, chronos2:<SageMaker endpoint>',
      'snaive,naive,ets,theta,croston,tsb,auto',
    )
    .addOption(
      new Option(
        '--model-mode <mode>',
        'how bedrock:<id> models are asked at each origin: sync, batch or auto (as in run; batch needs FORECAST_BATCH_ROLE_ARN and FORECAST_BATCH_S3)',
      )
        .choices(MODEL_MODES)
        .env(JOB_ENV.modelMode),
    )
    .addOption(
      new Option(
        '--batch-threshold <products>',
        'products from which --model-mode auto sends a batch job',
      )
        .argParser(wholeNumber)
        .env(JOB_ENV.batchThreshold),
    )
    .addOption(
      new Option('--as-of <date>', 'last day of history to use, YYYY-MM-DD').env(JOB_ENV.asOf),
    )
    .addOption(guardrailOption())
    .addOption(globalModelOption())
    .addOption(holidaysOption())
    .addOption(eventsOption())
    .addOption(
      new Option(
        '--combination <rule>',
        "how auto combines each product's best-validated models, as in run (class: per demand class over each origin's products)",
      ).env(JOB_ENV.combination),
    )
    .addOption(outliersOption())
    .addOption(levelShiftsOption())
    .addOption(weekdayProfileOption())
    .addOption(timezoneOption())
    .addOption(onDuplicateOption())
    .addOption(maxBadRowsOption('the backtest stops before any model runs'))
    .option('--yes', 'allow requests to a paid (non-local) Bedrock endpoint')
    .option('--json', 'print the report as JSON')
    .action(async (_opts: unknown, cmd: Command) => {
      exitCode = await backtestAction(flagValues<BacktestFlags>(cmd), io);
    });

  for (const cmd of program.commands) {
    emptyMeansUnset(cmd);
    refuseRepeats(cmd);
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    // commander throws on --help/--version (exit 0) and on usage errors (exit 2).
    const code = (err as { exitCode?: number }).exitCode;
    return code === 0 ? 0 : EXIT_BAD_INPUT;
  }
  return exitCode;
}
