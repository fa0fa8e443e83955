import { describe, expect, it } from 'vitest';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { BATCH_INPUT_PREFIX, BATCH_OUTPUT_PREFIX, JOB_ENV } from '@retail-forecast/job-contract';
import {
  asArray,
  buildStack,
  flatten,
  iamStatements,
  IMPORTING_CONTEXT,
  testStacks,
  userDataOf,
} from './fixtures';

const stacks = testStacks();
const MODEL = 'us.anthropic.claude-3-5-haiku-20241022-v1:0';
const JOBS = 'arn:<AWS::Partition>:bedrock:<AWS::Region>:<AWS::AccountId>:model-invocation-job/*';

let built: ReturnType<typeof buildStack> | undefined;
/** The created-resources stack in `auto` mode with a Converse model through a profile. */
const batchStack = () =>
  (built ??= buildStack(stacks.dirs, {
    forecastModel: `bedrock:${MODEL}`,
    forecastModelMode: 'auto',
    batchThreshold: '2000',
  }));

const statementsOf = (template: Template, policy: RegExp) =>
  iamStatements(template).filter((s) => policy.test(s.policy));
const bySid = (template: Template, policy: RegExp, sid: string) =>
  statementsOf(template, policy).find((s) => s.Sid === sid);

describe('Bedrock batch inference permissions', () => {
  it('adds no batch role or batch permission in sync mode', () => {
    const { template } = buildStack(stacks.dirs, { forecastModel: `bedrock:${MODEL}` });
    const trusted = Object.values(template.findResources('AWS::IAM::Role')).filter((r) =>
      JSON.stringify(r.Properties.AssumeRolePolicyDocument).includes('bedrock.amazonaws.com'),
    );
    expect(trusted).toHaveLength(0);
    const actions = iamStatements(template).flatMap((s) => asArray(s.Action));
    expect(
      actions.filter((a) => /ModelInvocationJob|PassRole/.test(a) && a !== 'iam:PassRole'),
    ).toEqual([]);
    expect(userDataOf(template)).not.toContain(JOB_ENV.batchRoleArn);
  });

  it('trusts Bedrock only for batch jobs of this account and region', () => {
    batchStack().template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: Match.objectLike({
        Statement: [
          Match.objectLike({
            Action: 'sts:AssumeRole',
            Principal: { Service: 'bedrock.amazonaws.com' },
            Condition: {
              StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
              ArnLike: { 'aws:SourceArn': Match.anyValue() },
            },
          }),
        ],
      }),
    });
    const role = Object.values(batchStack().template.findResources('AWS::IAM::Role')).find((r) =>
      JSON.stringify(r.Properties.AssumeRolePolicyDocument).includes('bedrock.amazonaws.com'),
    )!;
    const condition = role.Properties.AssumeRolePolicyDocument.Statement[0].Condition;
    expect(flatten(condition.ArnLike['aws:SourceArn'])).toBe(JOBS);
  });

  it('lets the service role read only the batch input and write only the batch output', () => {
    const { template } = batchStack();
    const role = /^JobBatchInferenceRole/;
    const read = bySid(template, role, 'ReadBatchInput');
    expect(read?.Action).toBe('s3:GetObject');
    expect(flatten(read?.Resource)).toMatch(
      new RegExp(`^<GoldBucket\\w+\\.Arn>/${BATCH_INPUT_PREFIX}\\*$`),
    );
    const write = bySid(template, role, 'WriteBatchOutput');
    expect(write?.Action).toBe('s3:PutObject');
    expect(flatten(write?.Resource)).toMatch(new RegExp(`/${BATCH_OUTPUT_PREFIX}\\*$`));
    const s3Actions = statementsOf(template, role)
      .flatMap((s) => asArray(s.Action))
      .filter((a) => a.startsWith('s3:'))
      .sort();
    expect(s3Actions).toEqual(['s3:GetObject', 's3:ListBucket', 's3:PutObject']);
    // A cross-region profile: the service role may invoke the model only through it.
    const invoke = bySid(template, role, 'InvokeConfiguredModels');
    expect(asArray(invoke?.Resource).map(flatten)).toEqual([
      `arn:<AWS::Partition>:bedrock:<AWS::Region>:<AWS::AccountId>:inference-profile/${MODEL}`,
    ]);
  });

  it('lets the job start, poll and stop batch jobs and pass exactly the batch role, to Bedrock only', () => {
    const { template } = batchStack();
    const job = /^JobInstanceRole/;
    const start = bySid(template, job, 'StartBatchInferenceJobs');
    expect(start?.Action).toBe('bedrock:CreateModelInvocationJob');
    expect(asArray(start?.Resource).map(flatten)).toEqual([
      JOBS,
      `arn:<AWS::Partition>:bedrock:<AWS::Region>:<AWS::AccountId>:inference-profile/${MODEL}`,
    ]);
    const watch = bySid(template, job, 'WatchBatchInferenceJobs');
    expect(watch?.Action).toEqual([
      'bedrock:GetModelInvocationJob',
      'bedrock:StopModelInvocationJob',
    ]);
    expect(flatten(watch?.Resource)).toBe(JOBS);
    const pass = statementsOf(template, job).filter((s) =>
      asArray(s.Action).includes('iam:PassRole'),
    );
    expect(pass).toHaveLength(1);
    expect(pass[0].Resource).toEqual({
      'Fn::GetAtt': [expect.stringMatching(/^JobBatchInferenceRole/), 'Arn'],
    });
    expect(pass[0].Condition).toEqual({
      StringEquals: { 'iam:PassedToService': 'bedrock.amazonaws.com' },
    });
    expect(flatten(bySid(template, job, 'WriteBatchInput')?.Resource)).toMatch(
      new RegExp(`/${BATCH_INPUT_PREFIX}\\*$`),
    );
    expect(flatten(bySid(template, job, 'ReadBatchOutput')?.Resource)).toMatch(
      new RegExp(`/${BATCH_OUTPUT_PREFIX}\\*$`),
    );
    expect(bySid(template, job, 'ListBatchOutput')?.Condition).toEqual({
      StringLike: { 's3:prefix': [BATCH_OUTPUT_PREFIX, `${BATCH_OUTPUT_PREFIX}*`] },
    });
  });

  it('hands the job its mode, threshold, batch role and S3 location', () => {
    const script = userDataOf(batchStack().template);
    expect(script).toContain(`export ${JOB_ENV.modelMode}='auto'`);
    expect(script).toContain(`export ${JOB_ENV.batchThreshold}='2000'`);
    expect(script).toMatch(
      new RegExp(`${JOB_ENV.batchRoleArn}='<JobBatchInferenceRole\\w+\\.Arn>'`),
    );
    expect(script).toMatch(new RegExp(`${JOB_ENV.batchS3}='s3://<GoldBucket\\w+>/bedrock_batch/'`));
  });

  it('refuses batch mode without a Converse model', () => {
    expect(() => buildStack(stacks.dirs, { forecastModelMode: 'batch' })).toThrow(
      /forecastModelMode "batch" needs a Converse model/,
    );
    expect(() =>
      buildStack(stacks.dirs, {
        forecastModelMode: 'batch',
        forecastModel: 'chronos2:chronos-2-endpoint',
      }),
    ).toThrow(
      /forecastModelMode "batch" needs a Converse model .*got "chronos2:chronos-2-endpoint"/,
    );
  });

  it('reports no unacknowledged cdk-nag finding with batch mode, imported bucket and its key', () => {
    const key = 'arn:aws:kms:eu-west-1:123456789012:key/0a1b2c3d-1111-2222-3333-444455556666';
    const { stack } = buildStack(stacks.dirs, {
      ...IMPORTING_CONTEXT,
      forecastModelMode: 'batch',
      goldBucketKmsKeyArn: key,
    });
    const report = new AwsSolutionsChecks().validateScope(stack);
    expect(report.violations.map((v) => `${v.ruleName}: ${v.description}`)).toEqual([]);
    const created = new AwsSolutionsChecks().validateScope(batchStack().stack);
    expect(created.violations.map((v) => `${v.ruleName}: ${v.description}`)).toEqual([]);
  });
});
