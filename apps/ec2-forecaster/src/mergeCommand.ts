import { S3Client } from '@aws-sdk/client-s3';
import {
  DEFAULT_METRICS_SERVICE,
  JOB_ENV,
  parseShardCount,
  summaryKey,
} from '@retail-forecast/job-contract';
import { EXIT_FAILED, errorMessage } from '@retail-forecast/util';
import { ConfigError, ForecastJobError } from './errors';
import { reportFailure } from './exitCodes';
import { createLogger } from './logger';
import type { Logger } from '@retail-forecast/util';
import {
  describeEngineMismatch,
  describeEngineNotRecorded,
  describeShardAsOfs,
  formatMergedSummary,
  mergeShardSummaries,
  shardSummaryProblem,
} from './mergeShards';
import type { MergedRunSummary } from './mergeShards';
import { appendMetrics, mergedEmfRecord } from './metrics';
import {
  listRunSummaries,
  readSummaryObject,
  summaryLocation,
  writeSummaryObject,
} from './summaryStore';
import type { RunSummaryListing } from './summaryStore';
import type { CliIo, RunSummary } from './types';

export interface MergeFlags {
  summaries?: string;
  runId?: string;
  /** `--shards N` as given; checked as the N of `run --shard i/N` is (`parseShardCount`). */
  shards?: string;
  metricsFile?: string;
  json?: boolean;
  logFormat?: string;
}

/**
 * Refuses a merge with nothing to merge (ConfigError, exit 2, nothing written): no shard summary
 * of the run below the location (naming the runs it does hold), or none of `--shards`' count
 * (naming the `shard=<i>-of-<N>` found). Shard summaries of another count next to those of
 * `--shards` are named in a warning and left out.
 */
function assertShardsFound(
  listing: RunSummaryListing,
  ctx: { runId: string; count: number; where: string; logger: Pick<Logger, 'warn'> },
): void {
  const names = (shards: RunSummaryListing['shards']) =>
    shards.map((s) => `shard=${s.index}-of-${s.count}`).join(', ');
  if (listing.shards.length === 0) {
    const held = listing.runSummary
      ? 'it holds only the run summary (summary.json), no shard summaries'
      : listing.otherRuns.length > 0
        ? `runs found there: ${listing.otherRuns.join(', ')}`
        : 'the location holds no run summaries';
    throw new ConfigError(
      `no shard summary of run ${ctx.runId} at ${ctx.where} (${held}); check --run-id and --summaries; nothing written`,
    );
  }
  const matching = listing.shards.filter((s) => s.count === ctx.count);
  const other = listing.shards.filter((s) => s.count !== ctx.count);
  if (matching.length === 0) {
    throw new ConfigError(
      `--shards ${ctx.count} does not match the shard summaries of run ${ctx.runId} at ${ctx.where}: found ${names(other)}; nothing written`,
    );
  }
  if (other.length > 0)
    ctx.logger.warn(
      `run ${ctx.runId} also has shard summaries of another shard count, left out of this merge of --shards ${ctx.count}: ${names(other)}`,
    );
}

/**
 * Why the run summary already stored must not be replaced by `merged` (which misses shards): it is
 * a whole run's, or a merge of the same shard count that missed fewer shards. Null to write.
 */
async function fullerSummary(
  location: string,
  merged: MergedRunSummary,
  s3: S3Client | undefined,
): Promise<string | null> {
  const stored = (await readSummaryObject(location, summaryKey(merged.runId), s3)) as
    Partial<MergedRunSummary> | undefined;
  if (!stored) return null;
  if (stored.shardCount === undefined) return 'it is the summary of a whole (unsharded) run';
  if (!Array.isArray(stored.missing)) return null;
  if (stored.shardCount !== merged.shardCount || stored.missing.length >= merged.missing.length)
    return null;
  return `it merged ${stored.shardCount - stored.missing.length} of ${stored.shardCount} shard summaries`;
}

/**
 * `forecast merge-shards`: reads the summaries of shards 0..N-1 of one run, writes the run's
 * merged summary next to them, prints it and appends the run-level metrics record (RunSuccess).
 * Resolves to 0 when every shard succeeded on the same as-of and engine settings, else the worst
 * shard's code (1 for a missing shard or shards that disagree, each named in an error; 2 when
 * there is nothing to merge: see `assertShardsFound`). A merge that misses shards does not replace
 * a stored run summary that is fuller (`fullerSummary`).
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
    const shards = parseShardCount(flags.shards ?? '');
    if (!shards.ok)
      throw new ConfigError(`--shards "${flags.shards}" is not a shard count (${shards.message})`);
    const count = shards.value;
    if (location!.startsWith('s3://'))
      s3 = new S3Client({
        forcePathStyle: Boolean(io.env.AWS_ENDPOINT_URL_S3 ?? io.env.AWS_ENDPOINT_URL),
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
      });
    assertShardsFound(await listRunSummaries(location!, runId!, s3), {
      runId: runId!,
      count,
      where: summaryLocation(location!, summaryKey(runId!).replace(/summary\.json$/, '')),
      logger,
    });
    const summaries: (RunSummary | undefined)[] = [];
    for (let index = 0; index < count; index++) {
      const key = summaryKey(runId!, { index, count });
      const where = summaryLocation(location!, key);
      let found: RunSummary | undefined;
      try {
        found = (await readSummaryObject(location!, key, s3)) as RunSummary | undefined;
      } catch (err) {
        if (!(err instanceof SyntaxError)) throw err;
        throw new ForecastJobError(
          `shard ${index}/${count} summary at ${where} is not JSON (${err.message}); nothing written`,
          'input',
        );
      }
      const problem = found === undefined ? undefined : shardSummaryProblem(found);
      if (problem)
        throw new ForecastJobError(
          `shard ${index}/${count} summary at ${where} is not a run summary: ${problem}; nothing written`,
          'input',
        );
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
        `shards of run ${runId} forecast from different as-of dates (shards of one run must use one --as-of): ${describeShardAsOfs(merged)}`,
      );
    if (merged.engineNotRecorded.length > 0)
      logger.error(describeEngineNotRecorded(merged.engineNotRecorded));
    for (const m of merged.engineMismatch)
      logger.error(
        m.values.length > 1
          ? `shards of run ${runId} ran with different engine settings (shards of one run must use one engine): ${describeEngineMismatch(m)}`
          : `shards of run ${runId} did not record an engine setting, so they cannot be shown to share it (written by an older version?): ${describeEngineMismatch(m)}`,
      );
    try {
      const fuller = merged.missing.length > 0 ? await fullerSummary(location!, merged, s3) : null;
      if (fuller) {
        logger.error(
          `kept the run summary at ${summaryLocation(location!, summaryKey(runId!))}: ${fuller}; this merge found ${count - merged.missing.length} of ${count} (nothing written)`,
        );
      } else {
        const where = await writeSummaryObject(location!, summaryKey(runId!), merged, s3);
        logger.info(`wrote the merged run summary to ${where}`);
      }
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
