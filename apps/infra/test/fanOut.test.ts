import { describe, expect, it } from 'vitest';
import { Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import {
  JOB_ENV,
  SUMMARIES_PREFIX,
  estimateMemoryBytes,
  parseJobEnv,
  planForCatalog,
} from '@retail-forecast/job-contract';
import { InfraConfigError, parseInfraConfig } from '../src/index';
import { buildStack, IMPORTING_CONTEXT, makeBuildDirs } from './fixtures';
import type { BuiltStack } from './fixtures';
import { afterAll } from 'vitest';

const dirs = makeBuildDirs();
afterAll(() => dirs.cleanup());

/** A 8M-product catalog in 8 shards: 1M products per shard (r7g.large, 90-minute watchdog). */
const SHARDED = { shards: 8, catalogProducts: 8_000_000 };
let sharded: BuiltStack | undefined;
const shardedStack = () => (sharded ??= buildStack(dirs, SHARDED));

interface TaskState {
  Resource: string;
  Next?: string;
  Catch: { ErrorEquals: string[]; Next: string }[];
  Arguments: {
    JobDefinition: string;
    ArrayProperties?: unknown;
    Timeout?: unknown;
    ContainerOverrides: { Environment: { Name: string; Value: string }[] };
  };
}

interface Definition {
  QueryLanguage: string;
  StartAt: string;
  States: Record<string, TaskState>;
}

interface JobDefinition {
  Timeout: unknown;
  RetryStrategy: unknown;
  ContainerProperties: {
    Image: string;
    Command: unknown[];
    ResourceRequirements: unknown;
    Environment: { Name: string; Value: unknown }[];
  };
}

/** The state machine's definition with the intrinsics replaced by their logical ids. */
function definition(b: BuiltStack): Definition {
  const machines = b.template.findResources('AWS::StepFunctions::StateMachine');
  const [machine] = Object.values(machines);
  const join = machine.Properties.DefinitionString['Fn::Join'][1] as unknown[];
  const text = join
    .map((part) => (typeof part === 'string' ? part : JSON.stringify(part).replace(/"/g, "'")))
    .join('');
  return JSON.parse(text) as Definition;
}

function jobDefinition(b: BuiltStack, idPart: string): JobDefinition {
  const defs = b.template.findResources('AWS::Batch::JobDefinition');
  const key = Object.keys(defs).find((k) => k.includes(idPart))!;
  return defs[key].Properties as JobDefinition;
}

describe('the sharded stack (shards > 1): AWS Batch fan-out', () => {
  it('keeps the one-instance template when shards is 1', () => {
    const plain = buildStack(dirs).template.toJSON();
    expect(buildStack(dirs, { shards: 1 }).template.toJSON()).toEqual(plain);
    const types = Object.values(plain.Resources as Record<string, { Type: string }>).map(
      (r) => r.Type,
    );
    expect(types.filter((t) => /Batch|StepFunctions/.test(t))).toEqual([]);
    expect(JSON.stringify(plain)).not.toContain('DISABLED');
  });

  it('submits one array job of N shards, then the merge, which also runs when the array fails', () => {
    const d = definition(shardedStack());
    expect(d.QueryLanguage).toBe('JSONata');
    expect(d.StartAt).toBe('RunShards');
    const shards = d.States.RunShards;
    expect(shards.Resource).toMatch(/:states:::batch:submitJob\.sync$/);
    expect(shards.Arguments.ArrayProperties).toEqual({ Size: 8 });
    expect(shards.Next).toBe('MergeShards');
    expect(shards.Catch).toEqual([{ ErrorEquals: ['States.ALL'], Next: 'MergeShards' }]);
    // No per-submit time-out: it would replace the job definition's watchdog.
    expect(shards.Arguments.Timeout).toBeUndefined();
    const merge = d.States.MergeShards;
    expect(merge.Resource).toMatch(/:states:::batch:submitJob\.sync$/);
    expect(merge.Arguments.JobDefinition).toContain('MergeJob');
    expect(merge.Catch[0].Next).toBe('RunFailed');
    // Every shard and the merge share the run id; every shard the as-of.
    const env = (s: TaskState) =>
      Object.fromEntries(s.Arguments.ContainerOverrides.Environment.map((e) => [e.Name, e.Value]));
    expect(env(shards)[JOB_ENV.runId]).toBe('{% $states.context.Execution.Name %}');
    expect(env(merge)[JOB_ENV.runId]).toBe(env(shards)[JOB_ENV.runId]);
    expect(env(shards)[JOB_ENV.asOf]).toContain('$states.input.asOf');
  });

  it('runs the shard job with the job contract environment, the shard index from Batch, and the watchdog', () => {
    const job = jobDefinition(shardedStack(), 'ShardJob');
    const plan = planForCatalog(1_000_000);
    expect(job.Timeout).toEqual({ AttemptDurationSeconds: plan.watchdogMinutes * 60 });
    expect(job.RetryStrategy).toEqual({
      Attempts: 3,
      EvaluateOnExit: [
        { Action: 'RETRY', OnStatusReason: 'Host EC2*' },
        { Action: 'EXIT', OnExitCode: '*' },
      ],
    });
    const c = job.ContainerProperties;
    expect(c.Image).toBe('public.ecr.aws/amazonlinux/amazonlinux:2023');
    const text = JSON.stringify(c.Command[2]);
    expect(text).toContain('dnf install -y nodejs22 unzip awscli-2');
    expect(text).toContain(
      'exec node-22 /opt/forecast/main.mjs run --shard \\"$AWS_BATCH_JOB_ARRAY_INDEX/8\\"',
    );
    expect(c.ResourceRequirements).toEqual([
      { Type: 'MEMORY', Value: String(Math.ceil(estimateMemoryBytes(1_000_000) / 1024 ** 2)) },
      { Type: 'VCPU', Value: '2' },
    ]);
    const env = Object.fromEntries(
      c.Environment.filter((e) => typeof e.Value === 'string').map((e) => [
        e.Name,
        e.Value as string,
      ]),
    );
    expect(env[JOB_ENV.metricsFile]).toBe('/dev/stdout');
    // What the container adds (the shard, from the array index) passes the job's own schema.
    for (const i of [0, 7])
      expect(
        parseJobEnv({ ...env, [JOB_ENV.shard]: `${i}/8`, [JOB_ENV.asOf]: '2026-11-28' }).ok,
      ).toBe(true);
    const names = c.Environment.map((e) => e.Name);
    expect(names).toEqual(
      expect.arrayContaining([
        JOB_ENV.goldBucket,
        JOB_ENV.table,
        JOB_ENV.summaries,
        JOB_ENV.archive,
      ]),
    );
  });

  it('runs on Spot capacity of the sizing table instance type, in the job subnets', () => {
    shardedStack().template.hasResourceProperties('AWS::Batch::ComputeEnvironment', {
      Type: 'managed',
      ComputeResources: Match.objectLike({
        Type: 'SPOT',
        AllocationStrategy: 'SPOT_PRICE_CAPACITY_OPTIMIZED',
        InstanceTypes: ['r7g.large'],
        MinvCpus: 0,
        Ec2Configuration: [{ ImageType: 'ECS_AL2023' }],
      }),
    });
  });

  it('schedules the state machine and leaves the launcher unscheduled', () => {
    const { template } = shardedStack();
    const rules = Object.values(template.findResources('AWS::Events::Rule'));
    expect(rules.map((r) => r.Properties.State).sort()).toEqual(['DISABLED', 'ENABLED']);
    const enabled = rules.find((r) => r.Properties.State === 'ENABLED')!;
    expect(JSON.stringify(enabled.Properties.Targets)).toContain('FanOutStateMachine');
  });

  it('lets the containers write run summaries only under forecast_runs/', () => {
    shardedStack().template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'WriteRunSummaries',
            Action: ['s3:GetObject', 's3:PutObject'],
            Resource: Match.objectLike({
              'Fn::Join': ['', Match.arrayWith([`/${SUMMARIES_PREFIX}*`])],
            }),
          }),
        ]),
      },
    });
  });

  it.each([
    ['created resources', () => shardedStack().stack],
    [
      'imported resources',
      () =>
        buildStack(dirs, {
          ...IMPORTING_CONTEXT,
          subnetEgress: 'nat',
          maxRunMinutes: 90,
          ...SHARDED,
        }).stack,
    ],
  ])('reports no unacknowledged cdk-nag finding (%s)', (_name, get) => {
    const report = new AwsSolutionsChecks().validateScope(get());
    expect(report.violations.map((v) => `${v.ruleName}: ${v.description}`)).toEqual([]);
  });
});

describe('parseInfraConfig sizing', () => {
  const issues = (context: Record<string, unknown>) => {
    try {
      parseInfraConfig(context);
      return [];
    } catch (err) {
      expect(err).toBeInstanceOf(InfraConfigError);
      return (err as InfraConfigError).issues;
    }
  };

  it('derives the instance type and watchdog from catalogProducts', () => {
    expect(parseInfraConfig({ catalogProducts: 150_000 })).toMatchObject({
      instanceTypes: ['t4g.medium'],
      maxRunMinutes: 60,
      shards: 1,
    });
    expect(parseInfraConfig({ catalogProducts: '10000000', shards: '10' })).toMatchObject({
      instanceTypes: ['r7g.large'],
      maxRunMinutes: 90,
      shards: 10,
      shardPlan: { productsPerShard: 1_000_000 },
    });
  });

  it('names what the sizing table needs', () => {
    expect(issues({ shards: 4 })).toEqual([
      "shards 4 needs catalogProducts (expected the catalog's product count: it sizes each shard's container memory, instance type and time-out)",
    ]);
    expect(issues({ catalogProducts: 10_000_000 })).toEqual([
      'catalogProducts 10000000 in shards 1 gives 10000000 products per run, more than the largest instance type of the sizing table holds (expected shards of at least 10)',
    ]);
    expect(issues({ catalogProducts: 1_000_000, maxRunMinutes: 60 })).toEqual([
      'maxRunMinutes 60 is below the 90 minutes the sizing table gives 1000000 products per run on r7g.large (expected at least 90, or leave it unset)',
    ]);
    expect(
      issues({
        ...IMPORTING_CONTEXT,
        subnetEgress: 'vpc-endpoints',
        maxRunMinutes: 90,
        ...SHARDED,
      })[0],
    ).toContain('shards 8 with subnetEgress "vpc-endpoints" is not supported');
  });
});
