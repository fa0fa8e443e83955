import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ForecastStack, parseInfraConfig } from '../src/index';

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

export function buildStack(
  dirs: { jobBundlePath: string; launcherCodePath: string },
  context: Record<string, unknown> = {},
): { app: App; stack: ForecastStack; template: Template } {
  // The built-in CloudFormation schema check costs ~15 s on first use; `nx run infra:synth` runs it.
  const app = new App({ builtinCloudFormationValidation: false });
  const stack = new ForecastStack(app, 'Forecast', {
    config: parseInfraConfig(context),
    jobBundlePath: dirs.jobBundlePath,
    launcherCodePath: dirs.launcherCodePath,
  });
  return { app, stack, template: Template.fromStack(stack) };
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
