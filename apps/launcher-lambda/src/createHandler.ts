import { createHash } from 'node:crypto';
import {
  DescribeInstancesCommand,
  RunInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import type { _InstanceType, Instance, Tag } from '@aws-sdk/client-ec2';
import { buildLauncherEmfRecord, LAUNCH_TAGS } from '@retail-forecast/job-contract';
import { noopLogger } from '@retail-forecast/util';
import { LauncherError, LaunchTemplateNotFoundError, NoCapacityError } from './errors';
import type {
  HandlerDeps,
  LaunchAttempt,
  LaunchEvent,
  LauncherConfig,
  LaunchResult,
  StaleInstance,
} from './types';

export const JOB_TAG = LAUNCH_TAGS.job;
export const RUN_DATE_TAG = LAUNCH_TAGS.runDate;

/**
 * Errors after which another instance type or subnet may still succeed. `Unsupported` is what
 * EC2 says when an instance type is not offered in the subnet's AZ.
 */
const CAPACITY_ERRORS = new Set(['InsufficientInstanceCapacity', 'Unsupported']);

const TEMPLATE_NOT_FOUND_ERRORS = new Set([
  'InvalidLaunchTemplateId.NotFound',
  'InvalidLaunchTemplateName.NotFoundException',
  'InvalidLaunchTemplateId.VersionNotFound',
  'InvalidLaunchTemplateId.Malformed',
]);

function errorCode(err: unknown): string {
  if (err && typeof err === 'object' && 'name' in err && typeof err.name === 'string') {
    return err.name;
  }
  return 'Unknown';
}

function runDateOf(event: LaunchEvent | undefined, now: () => Date): string {
  const when = event?.time ? new Date(event.time) : now();
  if (Number.isNaN(when.getTime())) {
    throw new LauncherError(
      `event time "${String(event?.time)}" is not a date (expected an ISO 8601 timestamp)`,
    );
  }
  return when.toISOString().slice(0, 10);
}

const tagValue = (tags: Tag[] | undefined, key: string) => tags?.find((t) => t.Key === key)?.Value;

const RERUN = /^[A-Za-z0-9._-]{1,32}$/;

/**
 * Time an instance may stay active past the watchdog before it counts as stale: the exit trap
 * waits for the log agent and the shutdown itself takes a while.
 */
export const STALE_GRACE_MINUTES = 15;

/**
 * The RunInstances idempotency token of one launch attempt. EC2 answers a repeated token with
 * the instance it already launched, and rejects it with `IdempotentParameterMismatch` when any
 * parameter differs, so the token covers exactly what makes the request: the job, the run date
 * (and a manual re-run's id), the launch template version, and the subnet and instance type of
 * this attempt. Two invocations for the same day walk the same attempts with the same tokens;
 * a capacity fallback is a new request with its own token. At most 64 ASCII characters.
 */
export function clientTokenFor(
  config: Pick<LauncherConfig, 'jobName' | 'launchTemplateId' | 'launchTemplateVersion'>,
  attempt: { runDate: string; rerun?: string; subnetId: string; instanceType: string },
): string {
  const digest = createHash('sha256')
    .update(
      JSON.stringify([
        config.jobName,
        attempt.runDate,
        attempt.rerun ?? '',
        config.launchTemplateId,
        config.launchTemplateVersion,
        attempt.subnetId,
        attempt.instanceType,
      ]),
    )
    .digest('hex');
  return `${attempt.runDate}-${digest.slice(0, 48)}`;
}

function rerunOf(event: LaunchEvent | undefined): string | undefined {
  const rerun = event?.rerun;
  if (rerun === undefined) return undefined;
  if (typeof rerun !== 'string' || !RERUN.test(rerun)) {
    throw new LauncherError(
      `event rerun ${JSON.stringify(rerun)} is not valid (expected 1-32 letters, digits, ".", "_" or "-")`,
    );
  }
  return rerun;
}

const ACTIVE_STATES = new Set(['pending', 'running']);

/**
 * Builds the scheduled handler: it launches one forecast instance from the launch template
 * unless one of this job's instances is still pending or running, trying each instance type
 * (then each subnet) in turn while EC2 reports no capacity. An instance active for longer than
 * the maximum run time is terminated (and reported as a metric) rather than blocking the day's
 * run, and every launch carries a client token, so duplicate invocations start one instance.
 */
export function createHandler(deps: HandlerDeps): (event?: LaunchEvent) => Promise<LaunchResult> {
  const { ec2, config } = deps;
  const logger = deps.logger ?? noopLogger;
  const now = deps.now ?? (() => new Date());
  const emitMetrics = deps.emitMetrics ?? ((line: string) => process.stdout.write(`${line}\n`));
  const staleAfterMs = (config.maxRunMinutes + STALE_GRACE_MINUTES) * 60_000;

  async function findActive(): Promise<Instance[]> {
    const found: Instance[] = [];
    let nextToken: string | undefined;
    do {
      const page = await ec2.send(
        new DescribeInstancesCommand({
          Filters: [
            { Name: `tag:${JOB_TAG}`, Values: [config.jobName] },
            { Name: 'instance-state-name', Values: ['pending', 'running'] },
          ],
          NextToken: nextToken,
        }),
      );
      found.push(...(page.Reservations?.flatMap((r) => r.Instances ?? []) ?? []));
      nextToken = page.NextToken;
    } while (nextToken);
    return found;
  }

  /** True when the instance has outlived its watchdog: something kept it from powering off. */
  function isStale(instance: Instance): boolean {
    const launched = instance.LaunchTime ? new Date(instance.LaunchTime).getTime() : NaN;
    return Number.isFinite(launched) && now().getTime() - launched > staleAfterMs;
  }

  async function terminateStale(instances: Instance[]): Promise<StaleInstance[]> {
    const stale = instances
      .filter((i): i is Instance & { InstanceId: string } => !!i.InstanceId)
      .map((i) => ({
        instanceId: i.InstanceId,
        launchTime: new Date(i.LaunchTime ?? 0).toISOString(),
        instanceRunDate: tagValue(i.Tags, RUN_DATE_TAG),
      }));
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: stale.map((i) => i.instanceId) }));
    logger.error('terminated forecast instances still active past the maximum run time', {
      maxRunMinutes: config.maxRunMinutes,
      graceMinutes: STALE_GRACE_MINUTES,
      instances: stale,
    });
    emitMetrics(
      JSON.stringify(
        buildLauncherEmfRecord({
          service: config.metricsService,
          values: { StaleInstancesTerminated: stale.length },
          properties: { instanceIds: stale.map((i) => i.instanceId).join(',') },
          timestamp: now().getTime(),
        }),
      ),
    );
    return stale;
  }

  return async function handler(event?: LaunchEvent): Promise<LaunchResult> {
    const runDate = runDateOf(event, now);
    const rerun = rerunOf(event);

    const active = await findActive();
    const staleOnes = active.filter(isStale);
    const staleTerminated = staleOnes.length > 0 ? await terminateStale(staleOnes) : undefined;
    const running = active.find((i) => !isStale(i));
    if (running?.InstanceId) {
      const result: LaunchResult = {
        status: 'already-running',
        instanceId: running.InstanceId,
        state: running.State?.Name ?? 'unknown',
        runDate,
        instanceRunDate: tagValue(running.Tags, RUN_DATE_TAG),
      };
      logger.warn('forecast instance already active; not launching another', { ...result });
      return result;
    }

    const tags: Tag[] = [
      { Key: 'Name', Value: `${config.jobName}-${runDate}` },
      { Key: JOB_TAG, Value: config.jobName },
      { Key: RUN_DATE_TAG, Value: runDate },
    ];
    const attempts: LaunchAttempt[] = [];

    for (const subnetId of config.subnetIds) {
      for (const instanceType of config.instanceTypes) {
        const clientToken = clientTokenFor(config, { runDate, rerun, subnetId, instanceType });
        try {
          const out = await ec2.send(
            new RunInstancesCommand({
              ClientToken: clientToken,
              LaunchTemplate: {
                LaunchTemplateId: config.launchTemplateId,
                Version: config.launchTemplateVersion,
              },
              // Validated by parseLauncherConfig; EC2 adds types faster than the SDK's union.
              InstanceType: instanceType as _InstanceType,
              SubnetId: subnetId,
              MinCount: 1,
              MaxCount: 1,
              TagSpecifications: [
                { ResourceType: 'instance', Tags: tags },
                { ResourceType: 'volume', Tags: tags },
              ],
            }),
          );
          const instance = out.Instances?.[0];
          const instanceId = instance?.InstanceId;
          if (!instanceId) {
            throw new LauncherError(
              `RunInstances returned no instance id for ${instanceType} in ${subnetId} (expected one instance)`,
            );
          }
          const state = instance.State?.Name;
          if (state && !ACTIVE_STATES.has(state)) {
            // The token was used before: EC2 answered with that earlier, finished launch.
            const replay: LaunchResult = {
              status: 'already-launched',
              instanceId,
              state,
              runDate,
              clientToken,
            };
            logger.warn(
              'this run date was already launched; invoke with {"rerun":"<id>"} to run it again',
              { ...replay },
            );
            return replay;
          }
          const result: LaunchResult = {
            status: 'launched',
            instanceId,
            instanceType,
            subnetId,
            runDate,
            attempts,
            ...(staleTerminated ? { staleTerminated } : {}),
          };
          logger.info('forecast instance launched', { ...result, clientToken });
          return result;
        } catch (err) {
          const code = errorCode(err);
          if (TEMPLATE_NOT_FOUND_ERRORS.has(code)) {
            throw new LaunchTemplateNotFoundError(
              config.launchTemplateId,
              config.launchTemplateVersion,
              code,
              { cause: err },
            );
          }
          if (!CAPACITY_ERRORS.has(code)) throw err;
          attempts.push({ instanceType, subnetId, errorCode: code });
          logger.warn('no capacity; trying the next instance type', {
            instanceType,
            subnetId,
            code,
          });
        }
      }
    }
    throw new NoCapacityError(attempts);
  };
}
