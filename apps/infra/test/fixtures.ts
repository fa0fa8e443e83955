import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { App } from 'aws-cdk-lib';
import { Capture, Match, Template } from 'aws-cdk-lib/assertions';
import { JOB_METRICS_FILE, type EmfRecord } from '@retail-forecast/job-contract';
import { ForecastStack, parseInfraConfig, type ForecastStackProps } from '../src/index';

/** Stand-ins for the two build outputs, so tests never depend on `nx build`. */
export function makeBuildDirs(): {
  jobBundlePath: string;
  launcherCodePath: string;
  cleanup(): void;
} {
  const root = mkdtempSync(path.join(tmpdir(), 'infra-test-'));
  const jobBundlePath = path.join(root, 'job');
  const launcherCodePath = path.join(root, 'launcher');
  mkdirSync(jobBundlePath);
  mkdirSync(launcherCodePath);
  writeFileSync(path.join(jobBundlePath, 'main.mjs'), 'process.exit(0);\n');
  writeFileSync(
    path.join(launcherCodePath, 'index.mjs'),
    'export const handler = async () => ({});\n',
  );
  return {
    jobBundlePath,
    launcherCodePath,
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

export interface BuiltStack {
  app: App;
  stack: ForecastStack;
  template: Template;
}

export function buildStack(
  dirs: { jobBundlePath: string; launcherCodePath: string },
  context: Record<string, unknown> = {},
  props: Pick<ForecastStackProps, 'metricsService'> = {},
): BuiltStack {
  // The built-in CloudFormation schema check costs ~15 s on first use; `nx run infra:synth` runs it.
  const app = new App({ builtinCloudFormationValidation: false });
  const stack = new ForecastStack(app, 'Forecast', {
    config: parseInfraConfig(context),
    jobBundlePath: dirs.jobBundlePath,
    launcherCodePath: dirs.launcherCodePath,
    ...props,
  });
  return { app, stack, template: Template.fromStack(stack) };
}

/** Context of a deployment into existing resources, with every optional setting given. */
export const IMPORTING_CONTEXT = {
  existingGoldBucketName: 'acme-gold',
  existingInventoryTableName: 'RetailInventoryTable',
  vpcId: 'vpc-0123456789abcdef0',
  subnetIds: 'subnet-0aaaaaaaaaaaaaaa1,subnet-0bbbbbbbbbbbbbbb2',
  subnetEgress: 'nat',
  forecastModel: 'bedrock:us.anthropic.claude-3-5-haiku-20241022-v1:0',
  modelIds: ['amazon.nova-lite-v1:0', 'global.anthropic.claude-sonnet-4-20250514-v1:0'],
  alarmEmail: 'ops@example.com',
  maxRunMinutes: '45',
  forecastGuardrail: 'warn',
};

/**
 * Build directories for one test file (removed after it) and the two stacks most tests read,
 * each built on first use: `created` with the defaults (the stack creates bucket, table and
 * VPC) and `imported` with {@link IMPORTING_CONTEXT}.
 */
export function testStacks(): {
  dirs: ReturnType<typeof makeBuildDirs>;
  readonly created: BuiltStack;
  readonly imported: BuiltStack;
} {
  const dirs = makeBuildDirs();
  afterAll(() => dirs.cleanup());
  let created: BuiltStack | undefined;
  let imported: BuiltStack | undefined;
  return {
    dirs,
    get created() {
      return (created ??= buildStack(dirs));
    },
    get imported() {
      return (imported ??= buildStack(dirs, IMPORTING_CONTEXT));
    },
  };
}

/** The launch template's user data script, intrinsics flattened (see {@link flatten}). */
export function userDataOf(template: Template): string {
  const userData = new Capture();
  template.hasResourceProperties('AWS::EC2::LaunchTemplate', {
    LaunchTemplateData: Match.objectLike({ UserData: { 'Fn::Base64': userData } }),
  });
  return flatten(userData.asObject());
}

/**
 * Runs, in bash, the command by which the user data's exit trap records a run that never
 * started, and parses what it would append to the metrics file.
 */
export function failureRecordOf(script: string): EmfRecord {
  const command = new RegExp(`^\\s*(printf .*) >> ${JOB_METRICS_FILE} \\|\\| true$`, 'm').exec(
    script,
  )?.[1];
  if (!command) throw new Error(`no printf to ${JOB_METRICS_FILE} in the user data`);
  const output = execFileSync('bash', ['-c', command], { encoding: 'utf8' });
  if (output.indexOf('\n') !== output.length - 1) {
    throw new Error(`expected one line ending in a newline, got ${JSON.stringify(output)}`);
  }
  return JSON.parse(output) as EmfRecord;
}

/** Renders CloudFormation intrinsics inside a string-ish value as `<Ref>` / `<Id.Attr>`. */
export function flatten(node: unknown): string {
  if (typeof node === 'string') return node;
  const o = node as Record<string, unknown>;
  if (Array.isArray(o['Fn::Join'])) {
    const [delimiter, items] = o['Fn::Join'] as [string, unknown[]];
    return items.map(flatten).join(delimiter);
  }
  if (Array.isArray(o['Fn::GetAtt'])) return `<${(o['Fn::GetAtt'] as string[]).join('.')}>`;
  if ('Ref' in o) return `<${String(o.Ref)}>`;
  if (typeof o['Fn::Sub'] === 'string') return o['Fn::Sub'].replace(/\$\{([^}]+)\}/g, '<$1>');
  return JSON.stringify(node);
}

export interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

/** Every statement of every IAM policy in the template, with the policy's logical id. */
export function iamStatements(template: Template): Array<Statement & { policy: string }> {
  const policies = template.findResources('AWS::IAM::Policy');
  return Object.entries(policies).flatMap(([policy, res]) =>
    (res.Properties.PolicyDocument.Statement as Statement[]).map((s) => ({ ...s, policy })),
  );
}

export const asArray = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);
