import { S3Client } from '@aws-sdk/client-s3';
import { DEFAULT_METRICS_SERVICE, JOB_ENV, summaryKey } from '@retail-forecast/job-contract';
import { EXIT_FAILED, errorMessage } from '@retail-forecast/util';
import { ConfigError } from './errors';
import { reportFailure } from './exitCodes';
import { createLogger } from './logger';
import { describeEngineMismatch, formatMergedSummary, mergeShardSummaries } from './mergeShards';
import { appendMetrics, mergedEmfRecord } from './metrics';
import { readSummaryObject, summaryLocation, writeSummaryObject } from './summaryStore';
import type { CliIo, RunSummary } from './types';

export interface MergeFlags {
  summaries?: string;
  runId?: string;
  shards?: number;
  metricsFile?: string;
  json?: boolean;
  logFormat?: string;
}

/**
 * `forecast merge-shards`: reads the summaries of shards 0..N-1 of one run, writes the run's
 * merged summary next to them, prints it and appends the run-level metrics record (RunSuccess).
 * Resolves to 0 when every shard succeeded on the same as-of and engine settings, else the worst
 * shard's code (1 for a missing shard or shards that disagree, each named in an error).
 */
export async function mergeAction(flags: MergeFlags, io: CliIo): Promise<number> {
  const logFormat = flags.logFormat ?? io.env[JOB_ENV.logFormat];
  const logger = createLogger({ json: logFormat === 'json', stream: io.stderr });
  const metricsFile = flags.metricsFile ?? io.env[JOB_ENV.metricsFile];
  const service = io.env[JOB_ENV.metricsService] || DEFAULT_METRICS_SERVICE;
  let s3: S3Client | undefined;
  try {
    const location = flags.summaries ?? io.env[JOB_ENV.summaries];
    const runId = flags.runId ?? io.env[JOB_ENV.runId];
    const missing = [
      ...(location ? [] : [`--summaries (or ${JOB_ENV.summaries})`]),
      ...(runId ? [] : [`--run-id (or ${JOB_ENV.runId})`]),
    ];
    if (missing.length > 0) throw new ConfigError(`missing configuration: ${missing.join(', ')}`);
    const count = flags.shards as number;
    if (location!.startsWith('s3://'))
      s3 = new S3Client({
        forcePathStyle: Boolean(io.env.AWS_ENDPOINT_URL_S3 ?? io.env.AWS_ENDPOINT_URL),
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
      });
    const summaries: (RunSummary | undefined)[] = [];
    for (let index = 0; index < count; index++) {
      const key = summaryKey(runId!, { index, count });
      const found = (await readSummaryObject(location!, key, s3)) as RunSummary | undefined;
      if (!found)
        logger.error(
          `shard ${index}/${count} left no summary at ${summaryLocation(location!, key)}`,
        );
      summaries.push(found);
    }
    const merged = mergeShardSummaries(runId!, summaries);
    for (const f of merged.products.failed)
      logger.error(`product ${f.productId} was not forecast or written: ${f.error}`);
    if (merged.asOfMismatch.length > 0)
      logger.error(
        `shards ${merged.asOfMismatch.join(', ')} forecast from another as-of than shard 0/${count} (${summaries[0]?.asOf})`,
      );
    for (const m of merged.engineMismatch)
      logger.error(
        `shards of run ${runId} ran with different engine settings (shards of one run must use one engine): ${describeEngineMismatch(m)}`,
      );
    try {
      const where = await writeSummaryObject(location!, summaryKey(runId!), merged, s3);
      logger.info(`wrote the merged run summary to ${where}`);
    } catch (err) {
      logger.error(`the merged run summary was not written: ${errorMessage(err)}`);
      merged.exitCode = Math.max(merged.exitCode, EXIT_FAILED);
    }
    io.stdout.write(
      flags.json ? `${JSON.stringify(merged, null, 2)}\n` : formatMergedSummary(merged),
    );
    if (metricsFile)
      await appendMetrics(metricsFile, mergedEmfRecord(merged, { service })).catch((err) =>
        logger.warn(`could not write metrics to ${metricsFile}: ${errorMessage(err)}`),
      );
    return merged.exitCode;
  } catch (err) {
    return reportFailure(logger, 'merge-shards', err);
  } finally {
    s3?.destroy();
  }
}
