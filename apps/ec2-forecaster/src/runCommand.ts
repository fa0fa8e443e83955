import {
  DEFAULT_METRICS_SERVICE,
  JOB_ENV,
  formatShard,
  summaryKey,
} from '@retail-forecast/job-contract';
import { EXIT_FAILED, errorMessage } from '@retail-forecast/util';
import { writeSummaryObject } from './summaryStore';
import { createJobClients } from './clients';
import { resolveRunConfig } from './config';
import { reportFailure } from './exitCodes';
import { runForecastJob } from './job';
import { createLogger } from './logger';
import { appendMetrics, emfRecord } from './metrics';
import { createProgress, noProgress } from './progress';
import { formatSummary } from './summary';
import type { CliIo, RunFlags, RunSummary } from './types';

/**
 * The `run` command: resolves the settings, runs the job, prints the summary and appends the
 * run's metrics record (also when the settings were bad, so the alarm sees the failed run).
 * Resolves to the exit code.
 */
export async function runAction(flags: RunFlags, io: CliIo): Promise<number> {
  const started = performance.now();
  // Until the settings are validated, report in the format asked for at the default level.
  let logger = createLogger({
    json: (flags.logFormat ?? io.env[JOB_ENV.logFormat]) === 'json',
    stream: io.stderr,
  });
  let metricsFile = flags.metricsFile ?? io.env[JOB_ENV.metricsFile];
  let metricsService = io.env[JOB_ENV.metricsService] || DEFAULT_METRICS_SERVICE;
  let summary: RunSummary | null = null;
  let shard: string | undefined;
  let exitCode: number;
  try {
    const config = resolveRunConfig(flags, io.env);
    logger = createLogger({
      json: config.logFormat === 'json',
      level: config.logLevel,
      stream: io.stderr,
    });
    metricsFile = config.metricsFile;
    metricsService = config.metricsService;
    shard = config.shard && formatShard(config.shard);
    const clients = createJobClients(config, io.env);
    const stderr = io.stderr as NodeJS.WriteStream;
    try {
      summary = await runForecastJob(config, {
        ...clients,
        logger,
        progress: config.json ? noProgress : createProgress(stderr),
        workerUrl: io.workerUrl,
      });
      // Where merge-shards finds it; not written → the run failed (the merge would miss it).
      if (config.summaries) {
        const key = summaryKey(config.runId, config.shard);
        try {
          const where = await writeSummaryObject(config.summaries, key, summary, clients.s3);
          logger.info(`wrote the run summary to ${where}`);
        } catch (err) {
          logger.error(
            `the run summary was not written to ${config.summaries}: ${errorMessage(err)}`,
          );
          summary.exitCode = Math.max(summary.exitCode, EXIT_FAILED);
        }
      }
    } finally {
      clients.destroy();
    }
    io.stdout.write(config.json ? `${JSON.stringify(summary, null, 2)}\n` : formatSummary(summary));
    exitCode = summary.exitCode;
  } catch (err) {
    exitCode = reportFailure(logger, 'run', err);
  }
  if (metricsFile) {
    const record = emfRecord(summary, {
      success: exitCode === 0,
      durationSeconds: (performance.now() - started) / 1000,
      service: metricsService,
      shard,
    });
    await appendMetrics(metricsFile, record).catch((err) =>
      logger.warn(`could not write metrics to ${metricsFile}: ${errorMessage(err)}`),
    );
  }
  return exitCode;
}
