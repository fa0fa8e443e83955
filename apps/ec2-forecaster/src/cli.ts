import { Command, InvalidArgumentError } from 'commander';
import { backtestAction } from './backtestCommand';
import type { BacktestFlags } from './backtestCommand';
import { resolveRunConfig } from './config';
import type { RunFlags } from './config';
import { createJobClients } from './clients';
import { EXIT_BAD_INPUT, ForecastJobError } from './errors';
import { runForecastJob } from './job';
import type { RunSummary } from './job';
import { createLogger } from './logger';
import { appendMetrics, emfRecord } from './metrics';
import { createProgress, noProgress } from './progress';
import { formatSummary } from './summary';

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WriteStream | NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  /** Forecasting worker entry (the bundle passes its own URL). */
  workerUrl?: URL;
}

const positiveInt = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1)
    throw new InvalidArgumentError(`"${v}" is not a whole number ≥ 1`);
  return n;
};

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Runs the CLI and resolves to the process exit code: 0 all written, 1 some products failed
 * (or the run broke unexpectedly), 2 bad input or configuration.
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let exitCode = 0;
  const program = new Command()
    .name('forecast')
    .description('Daily 7-day product demand forecasts: S3 Gold data → forecasts → DynamoDB')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    });

  program
    .command('run')
    .description('forecast every product and write the results')
    .option(
      '--source <uri>',
      'Gold data: s3://bucket/prefix/ or a local file/directory (default s3://$GOLD_BUCKET/forecast_ready/)',
    )
    .option('--table <name>', 'DynamoDB inventory table (default $FORECAST_TABLE)')
    .option(
      '--as-of <date>',
      'last day of history to use, YYYY-MM-DD (default: latest event_date in the data)',
    )
    .option('--horizon <days>', 'days to forecast', '7')
    .option(
      '--model <model>',
      'statistical | bedrock:<modelId or inference profile> | chronos:<endpoint ARN>',
    )
    .option(
      '--guardrail <mode>',
      'check model answers against the statistical forecast: enforce | warn | off',
    )
    .option('--output <file.jsonl>', 'also write one JSON object per product to this file')
    .option('--dry-run', 'do not touch DynamoDB')
    .option('--json', 'print the run summary as JSON')
    .option('--concurrency <n>', 'parallel DynamoDB updates / Bedrock requests')
    .option('--workers <n>', 'forecasting worker threads (0 = automatic)')
    .option(
      '--metrics-file <path>',
      'append a CloudWatch EMF record to this file (default $FORECAST_METRICS_FILE)',
    )
    .option('--log-format <format>', 'text | json (default json when FORECAST_LOG_FORMAT=json)')
    .action(async (opts: RunFlags & { logFormat?: string }) => {
      exitCode = await runAction(opts, io);
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
      'comma-separated: statistical names, auto, bedrock:<modelId>, chronos:<endpoint ARN or model id>',
      'snaive,naive,ets,theta,croston,tsb,auto',
    )
    .option('--as-of <date>', 'last day of history to use, YYYY-MM-DD')
    .option(
      '--guardrail <mode>',
      'check model answers against the statistical forecast: enforce | warn | off',
    )
    .option('--yes', 'allow requests to a paid (non-local) Bedrock endpoint')
    .option('--json', 'print the report as JSON')
    .action(async (opts: BacktestFlags) => {
      exitCode = await backtestAction(opts, io);
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    // commander throws on --help/--version (exit 0) and on usage errors (exit 2).
    const code = (err as { exitCode?: number }).exitCode;
    return code === 0 ? 0 : EXIT_BAD_INPUT;
  }
  return exitCode;
}

async function runAction(flags: RunFlags & { logFormat?: string }, io: CliIo): Promise<number> {
  const json = (flags.logFormat ?? io.env.FORECAST_LOG_FORMAT) === 'json';
  const logger = createLogger({
    json,
    level: (io.env.FORECAST_LOG_LEVEL as 'debug') ?? 'info',
    stream: io.stderr,
  });
  const started = performance.now();
  let metricsFile = flags.metricsFile ?? io.env.FORECAST_METRICS_FILE;
  let summary: RunSummary | null = null;
  let exitCode: number;
  try {
    const config = resolveRunConfig(flags, io.env);
    metricsFile = config.metricsFile;
    const clients = createJobClients(config, io.env);
    const stderr = io.stderr as NodeJS.WriteStream;
    try {
      summary = await runForecastJob(config, {
        ...clients,
        logger,
        progress: config.json ? noProgress : createProgress(stderr),
        workerUrl: io.workerUrl,
      });
    } finally {
      clients.destroy();
    }
    io.stdout.write(config.json ? `${JSON.stringify(summary, null, 2)}\n` : formatSummary(summary));
    exitCode = summary.exitCode;
  } catch (err) {
    if (err instanceof ForecastJobError) {
      logger.error(err.message);
      exitCode = err.exitCode;
    } else {
      logger.error(`run failed: ${errorMessage(err)}`, {
        stack: err instanceof Error ? err.stack : undefined,
      });
      exitCode = 1;
    }
  }
  if (metricsFile) {
    await appendMetrics(
      metricsFile,
      emfRecord(summary, exitCode === 0, (performance.now() - started) / 1000),
    ).catch((err) =>
      logger.warn(`could not write metrics to ${metricsFile}: ${errorMessage(err)}`),
    );
  }
  return exitCode;
}
