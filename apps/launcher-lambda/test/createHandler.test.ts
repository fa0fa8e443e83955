import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { exitKindOf } from '@retail-forecast/util';
import {
  DescribeInstancesCommand,
  EC2Client,
  EC2ServiceException,
  RunInstancesCommand,
  TerminateInstancesCommand,
  type RunInstancesCommandInput,
} from '@aws-sdk/client-ec2';
import { LAUNCHER_METRICS, METRICS_NAMESPACE } from '@retail-forecast/job-contract';
import {
  clientTokenFor,
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
  maxRunMinutes: 60,
  metricsService: 'demand-forecast',
};

const ec2Error = (name: string) =>
  new EC2ServiceException({
    name,
    $fault: 'client',
    $metadata: { httpStatusCode: 400 },
    message: name,
  });

const scheduled = { time: '2025-03-14T01:00:00Z' };

beforeEach(() => {
  ec2Mock.reset();
  ec2Mock.on(DescribeInstancesCommand).resolves({ Reservations: [] });
});
afterEach(() => ec2Mock.reset());

describe('launcher handler', () => {
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

  it('sends a client token for the job, the run date and the attempt', async () => {
    ec2Mock.on(RunInstancesCommand).resolves({ Instances: [{ InstanceId: 'i-1' }] });
    const handler = createHandler({ ec2: new EC2Client({ region: 'eu-west-1' }), config });

    await handler(scheduled);

    const token = ec2Mock.commandCalls(RunInstancesCommand)[0].args[0].input.ClientToken;
    expect(token).toBe(
      clientTokenFor(config, {
        runDate: '2025-03-14',
        subnetId: 'subnet-0aaaaaaaaaaaaaaa1',
        instanceType: 't4g.small',
      }),
    );
    expect(token).toMatch(/^2025-03-14-[0-9a-f]{48}$/);
    expect(token!.length).toBeLessThanOrEqual(64);
  });
});

describe('client token', () => {
  const attempt = {
    runDate: '2025-03-14',
    subnetId: 'subnet-0aaaaaaaaaaaaaaa1',
    instanceType: 't4g.small',
  };

  it('is the same for the same job, date and attempt, and differs when any of them does', () => {
    const token = clientTokenFor(config, attempt);
    expect(clientTokenFor({ ...config }, { ...attempt })).toBe(token);
    const variants = [
      clientTokenFor({ ...config, jobName: 'other' }, attempt),
      clientTokenFor(config, { ...attempt, runDate: '2025-03-15' }),
      clientTokenFor(config, { ...attempt, rerun: '2' }),
      clientTokenFor({ ...config, launchTemplateVersion: '4' }, attempt),
      clientTokenFor({ ...config, launchTemplateId: 'lt-0fff1234def567890' }, attempt),
      clientTokenFor(config, { ...attempt, subnetId: 'subnet-0bbbbbbbbbbbbbbb2' }),
      clientTokenFor(config, { ...attempt, instanceType: 't4g.medium' }),
    ];
    expect(new Set([token, ...variants]).size).toBe(variants.length + 1);
  });
});

/**
 * RunInstances with EC2's documented idempotency: a repeated token with the same parameters
 * answers with the instance already launched, a repeated token with other parameters fails
 * with IdempotentParameterMismatch. `noCapacity` lists instance types EC2 has none of.
 */
function idempotentEc2(noCapacity: string[] = []) {
  const byToken = new Map<string, { params: string; instanceId: string }>();
  const launched: string[] = [];
  ec2Mock.on(RunInstancesCommand).callsFake((input: RunInstancesCommandInput) => {
    const { ClientToken, ...rest } = input;
    const params = JSON.stringify(rest);
    const seen = ClientToken ? byToken.get(ClientToken) : undefined;
    if (seen) {
      if (seen.params !== params) throw ec2Error('IdempotentParameterMismatch');
      return { Instances: [{ InstanceId: seen.instanceId, State: { Name: 'pending' } }] };
    }
    if (noCapacity.includes(String(input.InstanceType))) {
      throw ec2Error('InsufficientInstanceCapacity');
    }
    const instanceId = `i-${String(launched.length + 1).padStart(17, '0')}`;
    launched.push(instanceId);
    if (ClientToken) byToken.set(ClientToken, { params, instanceId });
    return { Instances: [{ InstanceId: instanceId, State: { Name: 'pending' } }] };
  });
  return { launched };
}

describe('duplicate invocations', () => {
  // The file's hooks list no active instance: EC2's eventual consistency, neither invocation
  // sees the other's instance yet.
  it('start one instance when the same event is delivered twice at once', async () => {
    const ec2 = idempotentEc2();
    const handler = createHandler({ ec2: new EC2Client({ region: 'eu-west-1' }), config });

    const [first, second] = await Promise.all([handler(scheduled), handler(scheduled)]);

    const runs = ec2Mock.commandCalls(RunInstancesCommand).map((c) => c.args[0].input);
    expect(runs).toHaveLength(2);
    expect(runs[0].ClientToken).toBeDefined();
    expect(runs[1]).toEqual(runs[0]);
    expect(ec2.launched).toEqual(['i-00000000000000001']);
    expect(first).toMatchObject({ status: 'launched', instanceId: 'i-00000000000000001' });
    expect(second).toMatchObject({ status: 'launched', instanceId: 'i-00000000000000001' });
  });

  it('start one instance through the capacity fallback, without a parameter mismatch', async () => {
    const ec2 = idempotentEc2(['t4g.small']);
    const handler = createHandler({ ec2: new EC2Client({ region: 'eu-west-1' }), config });

    const first = await handler(scheduled);
    const second = await handler(scheduled);

    expect(ec2.launched).toEqual(['i-00000000000000001']);
    for (const result of [first, second]) {
      expect(result).toMatchObject({
        status: 'launched',
        instanceId: 'i-00000000000000001',
        instanceType: 't4g.medium',
        attempts: [{ instanceType: 't4g.small', errorCode: 'InsufficientInstanceCapacity' }],
      });
    }
    const tokens = ec2Mock
      .commandCalls(RunInstancesCommand)
      .map((c) => c.args[0].input.ClientToken);
    expect(tokens[0]).not.toBe(tokens[1]);
    expect(tokens.slice(2)).toEqual(tokens.slice(0, 2));
  });

  it('reports a replayed launch whose instance already finished, and a rerun launches anew', async () => {
    ec2Mock.on(RunInstancesCommand).callsFake((input: RunInstancesCommandInput) => ({
      Instances: [
        input.ClientToken ===
        clientTokenFor(config, {
          runDate: '2025-03-14',
          subnetId: 'subnet-0aaaaaaaaaaaaaaa1',
          instanceType: 't4g.small',
        })
          ? { InstanceId: 'i-0earlier', State: { Name: 'terminated' } }
          : { InstanceId: 'i-0rerun', State: { Name: 'pending' } },
      ],
    }));
    const handler = createHandler({ ec2: new EC2Client({ region: 'eu-west-1' }), config });

    const replay = await handler(scheduled);
    const rerun = await handler({ ...scheduled, rerun: 'manual-1' });

    expect(replay).toMatchObject({
      status: 'already-launched',
      instanceId: 'i-0earlier',
      state: 'terminated',
      runDate: '2025-03-14',
    });
    expect(rerun).toMatchObject({ status: 'launched', instanceId: 'i-0rerun' });
    await expect(handler({ ...scheduled, rerun: 'a b' })).rejects.toThrow(
      'event rerun "a b" is not valid',
    );
  });
});

describe('stale instances', () => {
  const launchedAt = new Date('2025-03-13T01:00:00Z');
  const metrics: string[] = [];

  beforeEach(() => {
    ec2Mock.reset();
    metrics.length = 0;
    ec2Mock.on(TerminateInstancesCommand).resolves({});
    ec2Mock.on(RunInstancesCommand).resolves({ Instances: [{ InstanceId: 'i-0today' }] });
  });
  afterEach(() => ec2Mock.reset());

  const active = (id: string, launchTime: Date) => ({
    InstanceId: id,
    State: { Name: 'running' as const },
    LaunchTime: launchTime,
    Tags: [{ Key: 'forecast:run-date', Value: launchTime.toISOString().slice(0, 10) }],
  });

  /** A handler whose clock reads `at`, while DescribeInstances lists `instances` as active. */
  function handlerAt(at: string, instances: ReturnType<typeof active>[]) {
    ec2Mock.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: instances }] });
    return createHandler({
      ec2: new EC2Client({ region: 'eu-west-1' }),
      config,
      now: () => new Date(at),
      emitMetrics: (line) => metrics.push(line),
    });
  }

  it('terminates an instance older than the maximum run time, reports it and launches', async () => {
    const handler = handlerAt('2025-03-14T01:00:05Z', [active('i-0stuck', launchedAt)]);

    const result = await handler(scheduled);

    const terminate = ec2Mock.commandCalls(TerminateInstancesCommand);
    expect(terminate).toHaveLength(1);
    expect(terminate[0].args[0].input.InstanceIds).toEqual(['i-0stuck']);
    expect(result).toMatchObject({
      status: 'launched',
      instanceId: 'i-0today',
      staleTerminated: [
        {
          instanceId: 'i-0stuck',
          launchTime: '2025-03-13T01:00:00.000Z',
          instanceRunDate: '2025-03-13',
        },
      ],
    });
    expect(metrics).toHaveLength(1);
    const record = JSON.parse(metrics[0]);
    expect(record._aws.CloudWatchMetrics).toEqual([
      {
        Namespace: METRICS_NAMESPACE,
        Dimensions: [['Service']],
        Metrics: [
          {
            Name: 'StaleInstancesTerminated',
            Unit: LAUNCHER_METRICS.StaleInstancesTerminated,
          },
        ],
      },
    ]);
    expect(record).toMatchObject({ Service: 'demand-forecast', StaleInstancesTerminated: 1 });
  });

  it('leaves an instance within its run time (plus grace) alone', async () => {
    // 60 min watchdog + 15 min grace: 74 minutes old is still a live run.
    const handler = handlerAt('2025-03-13T02:14:00Z', [active('i-0busy', launchedAt)]);

    const result = await handler(scheduled);

    expect(result).toMatchObject({ status: 'already-running', instanceId: 'i-0busy' });
    expect(ec2Mock.commandCalls(TerminateInstancesCommand)).toHaveLength(0);
    expect(ec2Mock.commandCalls(RunInstancesCommand)).toHaveLength(0);
    expect(metrics).toEqual([]);
  });

  it('terminates only the stale one when a live run is also active', async () => {
    const handler = handlerAt('2025-03-14T01:00:05Z', [
      active('i-0stuck', launchedAt),
      active('i-0live', new Date('2025-03-14T00:50:00Z')),
    ]);

    const result = await handler(scheduled);

    expect(ec2Mock.commandCalls(TerminateInstancesCommand)[0].args[0].input.InstanceIds).toEqual([
      'i-0stuck',
    ]);
    expect(result).toMatchObject({ status: 'already-running', instanceId: 'i-0live' });
    expect(ec2Mock.commandCalls(RunInstancesCommand)).toHaveLength(0);
    expect(metrics).toHaveLength(1);
  });
});
