import { DescribeInstancesCommand, RunInstancesCommand } from '@aws-sdk/client-ec2';
import type { _InstanceType, Instance, Tag } from '@aws-sdk/client-ec2';
import { noopLogger } from '@retail-forecast/util';
import { LauncherError, LaunchTemplateNotFoundError, NoCapacityError } from './errors';
import type { HandlerDeps, LaunchAttempt, LaunchEvent, LaunchResult } from './types';

export const JOB_TAG = 'forecast:job';
export const RUN_DATE_TAG = 'forecast:run-date';

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

/**
 * Builds the scheduled handler: it launches one forecast instance from the launch template
 * unless one of this job's instances is still pending or running, trying each instance type
 * (then each subnet) in turn while EC2 reports no capacity.
 */
export function createHandler(deps: HandlerDeps): (event?: LaunchEvent) => Promise<LaunchResult> {
  const { ec2, config } = deps;
  const logger = deps.logger ?? noopLogger;
  const now = deps.now ?? (() => new Date());

  async function findRunning(): Promise<Instance | undefined> {
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
      const found = page.Reservations?.flatMap((r) => r.Instances ?? [])[0];
      if (found) return found;
      nextToken = page.NextToken;
    } while (nextToken);
    return undefined;
  }

  return async function handler(event?: LaunchEvent): Promise<LaunchResult> {
    const runDate = runDateOf(event, now);

    const running = await findRunning();
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
        try {
          const out = await ec2.send(
            new RunInstancesCommand({
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
          const instanceId = out.Instances?.[0]?.InstanceId;
          if (!instanceId) {
            throw new LauncherError(
              `RunInstances returned no instance id for ${instanceType} in ${subnetId} (expected one instance)`,
            );
          }
          const result: LaunchResult = {
            status: 'launched',
            instanceId,
            instanceType,
            subnetId,
            runDate,
            attempts,
          };
          logger.info('forecast instance launched', { ...result });
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
