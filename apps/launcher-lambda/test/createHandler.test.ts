import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { exitKindOf } from '@retail-forecast/util';
import {
  DescribeInstancesCommand,
  EC2Client,
  EC2ServiceException,
  RunInstancesCommand,
} from '@aws-sdk/client-ec2';
import {
  createHandler,
  LaunchTemplateNotFoundError,
  NoCapacityError,
  type LauncherConfig,
} from '../src/index';

const ec2Mock = mockClient(EC2Client);

const config: LauncherConfig = {
  launchTemplateId: 'lt-0abc1234def567890',
  launchTemplateVersion: '3',
  instanceTypes: ['t4g.small', 't4g.medium', 'm7g.medium'],
  subnetIds: ['subnet-0aaaaaaaaaaaaaaa1', 'subnet-0bbbbbbbbbbbbbbb2'],
  jobName: 'demand-forecast',
};

const ec2Error = (name: string) =>
  new EC2ServiceException({
    name,
    $fault: 'client',
    $metadata: { httpStatusCode: 400 },
    message: name,
  });

const scheduled = { time: '2025-03-14T01:00:00Z' };

describe('launcher handler', () => {
  beforeEach(() => {
    ec2Mock.reset();
    ec2Mock.on(DescribeInstancesCommand).resolves({ Reservations: [] });
  });
  afterEach(() => ec2Mock.reset());

  it('launches one instance from the launch template when none of the job is active', async () => {
    ec2Mock
      .on(RunInstancesCommand)
      .resolves({ Instances: [{ InstanceId: 'i-0123456789abcdef0' }] });
    const handler = createHandler({ ec2: new EC2Client({ region: 'eu-west-1' }), config });

    const result = await handler(scheduled);

    expect(result).toEqual({
      status: 'launched',
      instanceId: 'i-0123456789abcdef0',
      instanceType: 't4g.small',
      subnetId: 'subnet-0aaaaaaaaaaaaaaa1',
      runDate: '2025-03-14',
      attempts: [],
    });
    const [describe] = ec2Mock.commandCalls(DescribeInstancesCommand);
    expect(describe.args[0].input.Filters).toEqual([
      { Name: 'tag:forecast:job', Values: ['demand-forecast'] },
      { Name: 'instance-state-name', Values: ['pending', 'running'] },
    ]);
    const runs = ec2Mock.commandCalls(RunInstancesCommand);
    expect(runs).toHaveLength(1);
    const input = runs[0].args[0].input;
    expect(input.LaunchTemplate).toEqual({
      LaunchTemplateId: 'lt-0abc1234def567890',
      Version: '3',
    });
    expect(input.MinCount).toBe(1);
    expect(input.MaxCount).toBe(1);
    const expectedTags = [
      { Key: 'Name', Value: 'demand-forecast-2025-03-14' },
      { Key: 'forecast:job', Value: 'demand-forecast' },
      { Key: 'forecast:run-date', Value: '2025-03-14' },
    ];
    expect(input.TagSpecifications).toEqual([
      { ResourceType: 'instance', Tags: expectedTags },
      { ResourceType: 'volume', Tags: expectedTags },
    ]);
  });

  it('takes the run date from the clock when the event has no time', async () => {
    ec2Mock.on(RunInstancesCommand).resolves({ Instances: [{ InstanceId: 'i-1' }] });
    const handler = createHandler({
      ec2: new EC2Client({ region: 'eu-west-1' }),
      config,
      now: () => new Date('2024-12-31T23:59:00Z'),
    });

    const result = await handler({});

    expect(result.runDate).toBe('2024-12-31');
  });

  it('returns the active instance and launches none when one is already running', async () => {
    ec2Mock.on(DescribeInstancesCommand).resolves({
      Reservations: [
        {
          Instances: [
            {
              InstanceId: 'i-0running0000000001',
              State: { Name: 'running', Code: 16 },
              Tags: [{ Key: 'forecast:run-date', Value: '2025-03-13' }],
            },
          ],
        },
      ],
    });
    const handler = createHandler({ ec2: new EC2Client({ region: 'eu-west-1' }), config });

    const result = await handler(scheduled);

    expect(result).toEqual({
      status: 'already-running',
      instanceId: 'i-0running0000000001',
      state: 'running',
      runDate: '2025-03-14',
      instanceRunDate: '2025-03-13',
    });
    expect(ec2Mock.commandCalls(RunInstancesCommand)).toHaveLength(0);
  });

  it('follows DescribeInstances pages to find an active instance', async () => {
    ec2Mock
      .on(DescribeInstancesCommand)
      .resolvesOnce({ Reservations: [], NextToken: 'page-2' })
      .resolvesOnce({
        Reservations: [{ Instances: [{ InstanceId: 'i-0pending', State: { Name: 'pending' } }] }],
      });
    const handler = createHandler({ ec2: new EC2Client({ region: 'eu-west-1' }), config });

    const result = await handler(scheduled);

    expect(result).toMatchObject({
      status: 'already-running',
      instanceId: 'i-0pending',
      state: 'pending',
    });
    expect(ec2Mock.commandCalls(DescribeInstancesCommand)[1].args[0].input.NextToken).toBe(
      'page-2',
    );
    expect(ec2Mock.commandCalls(RunInstancesCommand)).toHaveLength(0);
  });

  it('falls back to the next instance type on InsufficientInstanceCapacity', async () => {
    ec2Mock
      .on(RunInstancesCommand)
      .rejectsOnce(ec2Error('InsufficientInstanceCapacity'))
      .resolvesOnce({ Instances: [{ InstanceId: 'i-0second' }] });
    const handler = createHandler({ ec2: new EC2Client({ region: 'eu-west-1' }), config });

    const result = await handler(scheduled);

    expect(result).toMatchObject({
      status: 'launched',
      instanceId: 'i-0second',
      instanceType: 't4g.medium',
      attempts: [
        {
          instanceType: 't4g.small',
          subnetId: 'subnet-0aaaaaaaaaaaaaaa1',
          errorCode: 'InsufficientInstanceCapacity',
        },
      ],
    });
    const types = ec2Mock
      .commandCalls(RunInstancesCommand)
      .map((c) => c.args[0].input.InstanceType);
    expect(types).toEqual(['t4g.small', 't4g.medium']);
  });

  it('moves to the next subnet once every type is out of capacity in the first', async () => {
    ec2Mock
      .on(RunInstancesCommand)
      .rejectsOnce(ec2Error('InsufficientInstanceCapacity'))
      .rejectsOnce(ec2Error('Unsupported'))
      .rejectsOnce(ec2Error('InsufficientInstanceCapacity'))
      .resolvesOnce({ Instances: [{ InstanceId: 'i-0other-az' }] });
    const handler = createHandler({ ec2: new EC2Client({ region: 'eu-west-1' }), config });

    const result = await handler(scheduled);

    expect(result).toMatchObject({
      status: 'launched',
      instanceType: 't4g.small',
      subnetId: 'subnet-0bbbbbbbbbbbbbbb2',
    });
    expect(result.status === 'launched' && result.attempts).toHaveLength(3);
  });

  it('throws NoCapacityError listing every attempt when nothing has capacity', async () => {
    ec2Mock.on(RunInstancesCommand).rejects(ec2Error('InsufficientInstanceCapacity'));
    const handler = createHandler({ ec2: new EC2Client({ region: 'eu-west-1' }), config });

    const err = await handler(scheduled).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(NoCapacityError);
    expect(exitKindOf(err)).toBe('failure');
    expect((err as NoCapacityError).attempts).toHaveLength(6);
    expect((err as Error).message).toContain(
      'm7g.medium@subnet-0bbbbbbbbbbbbbbb2: InsufficientInstanceCapacity',
    );
  });

  it.each(['InvalidLaunchTemplateId.NotFound', 'InvalidLaunchTemplateName.NotFoundException'])(
    'explains a missing launch template (%s) without trying other types',
    async (code) => {
      ec2Mock.on(RunInstancesCommand).rejects(ec2Error(code));
      const handler = createHandler({ ec2: new EC2Client({ region: 'eu-west-1' }), config });

      const err = await handler(scheduled).catch((e: unknown) => e);

      expect(err).toBeInstanceOf(LaunchTemplateNotFoundError);
      expect(exitKindOf(err)).toBe('config');
      expect((err as Error).message).toContain(
        'launch template "lt-0abc1234def567890" version "3" was not found',
      );
      expect((err as Error).message).toContain(code);
      expect((err as Error).cause).toBeInstanceOf(EC2ServiceException);
      expect(ec2Mock.commandCalls(RunInstancesCommand)).toHaveLength(1);
    },
  );

  it('rethrows other EC2 errors untouched, e.g. a denied launch', async () => {
    const denied = ec2Error('UnauthorizedOperation');
    ec2Mock.on(RunInstancesCommand).rejects(denied);
    const handler = createHandler({ ec2: new EC2Client({ region: 'eu-west-1' }), config });

    await expect(handler(scheduled)).rejects.toBe(denied);
    expect(ec2Mock.commandCalls(RunInstancesCommand)).toHaveLength(1);
  });

  it('rejects an event time that is not a date', async () => {
    const handler = createHandler({ ec2: new EC2Client({ region: 'eu-west-1' }), config });

    await expect(handler({ time: 'yesterday' })).rejects.toThrow(
      'event time "yesterday" is not a date',
    );
    expect(ec2Mock.commandCalls(DescribeInstancesCommand)).toHaveLength(0);
  });
});
