import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { Capture } from 'aws-cdk-lib/assertions';
import {
  buildEmfRecord,
  DEFAULT_METRICS_SERVICE,
  GOLD_PREFIX,
  JOB_ENV,
  JOB_LOG_FILE,
  JOB_LOG_STREAM,
  JOB_METRICS_FILE,
  JOB_METRICS_STREAM,
} from '@retail-forecast/job-contract';
import { buildStack, failureRecordOf, testStacks, userDataOf } from './fixtures';

const stacks = testStacks();

describe('launch template', () => {
  it('requires IMDSv2, terminates on shutdown, encrypts gp3 and has no key pair', () => {
    const data = new Capture();
    stacks.created.template.hasResourceProperties('AWS::EC2::LaunchTemplate', {
      LaunchTemplateData: data,
    });
    const d = data.asObject();
    expect(d.MetadataOptions).toMatchObject({ HttpTokens: 'required', HttpPutResponseHopLimit: 1 });
    expect(d.InstanceInitiatedShutdownBehavior).toBe('terminate');
    expect(d.KeyName).toBeUndefined();
    expect(d.BlockDeviceMappings).toEqual([
      {
        DeviceName: '/dev/xvda',
        Ebs: { Encrypted: true, VolumeType: 'gp3', VolumeSize: 10, DeleteOnTermination: true },
      },
    ]);
    expect(d.InstanceType).toBe('t4g.small');
    expect(d.SecurityGroupIds).toHaveLength(1);
    expect(d.IamInstanceProfile).toBeDefined();
  });

  it('boots the arm64 Amazon Linux 2023 image from the public SSM parameter at deploy time', () => {
    const params = stacks.created.template.toJSON().Parameters as Record<
      string,
      { Type: string; Default: string }
    >;
    const ami = Object.values(params).find((p) => p.Type.includes('AWS::EC2::Image::Id'));
    expect(ami?.Default).toBe('/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-arm64');
  });

  it('picks the x86_64 image for x86 instance types', () => {
    const { template } = buildStack(stacks.dirs, { instanceTypes: 'm7i.large,m6a.large' });
    const params = template.toJSON().Parameters as Record<
      string,
      { Type: string; Default: string }
    >;
    expect(Object.values(params).map((p) => p.Default)).toContain(
      '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-x86_64',
    );
  });

  it('allows no inbound traffic and only HTTPS out', () => {
    for (const { template } of [stacks.created, stacks.imported]) {
      template.resourceCountIs('AWS::EC2::SecurityGroupIngress', 0);
      const groups = template.findResources('AWS::EC2::SecurityGroup');
      for (const group of Object.values(groups)) {
        expect(group.Properties.SecurityGroupIngress).toBeUndefined();
        expect(group.Properties.SecurityGroupEgress).toEqual([
          expect.objectContaining({
            CidrIp: '0.0.0.0/0',
            IpProtocol: 'tcp',
            FromPort: 443,
            ToPort: 443,
          }),
        ]);
      }
    }
    stacks.imported.template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      VpcId: 'vpc-0123456789abcdef0',
    });
  });
});

describe('user data', () => {
  it('installs the exit trap first, then the watchdog, before anything that can fail or hang', () => {
    const script = userDataOf(stacks.imported.template);
    const lines = script.split('\n');
    expect(lines[0]).toBe('#!/bin/bash');
    expect(lines[1]).toBe('set -euo pipefail');
    const trapAt = lines.indexOf("trap 'on_exit' EXIT");
    const firstCommand = lines.findIndex(
      (l, i) => i > 1 && !/^(\s|[A-Z_]+=|\w+\(\) \{|\}|trap )/.test(l),
    );
    expect(trapAt).toBeGreaterThan(1);
    expect(trapAt).toBeLessThan(firstCommand);
    expect(lines.indexOf("trap 'on_signal TERM 15' TERM")).toBeLessThan(firstCommand);
    const watchdogAt = lines.indexOf('watchdog');
    expect(watchdogAt).toBeGreaterThan(trapAt);
    expect(watchdogAt).toBeLessThan(lines.findIndex((l) => l.includes('dnf install')));
    expect(script).toMatch(/watchdog\(\) \{\n {2}if shutdown -h \+45 /);
    expect(script).toContain('systemd-run --unit=forecast-watchdog --on-active=2700 ');
    expect(script).toContain('( sleep 2700; poweroff -f ) </dev/null >/dev/null 2>&1 &');
    expect(script).toMatch(
      /on_exit\(\) \{[\s\S]*shutdown -h now 'forecast run finished' \|\| poweroff -f\n\}/,
    );
  });

  it('installs Node and the agent, fetches the bundle and runs the job with its settings', () => {
    const script = userDataOf(stacks.imported.template);
    expect(script).toContain('retry 5 10 dnf install -y amazon-cloudwatch-agent\n');
    expect(script).toContain('retry 5 10 dnf install -y nodejs22 unzip\n');
    expect(script).toContain('NODE_BIN="$(command -v node-22)"');
    expect(script).not.toMatch(/nodejs20|node-20/);
    expect(script).toMatch(
      /retry 3 10 aws s3 cp --region '<AWS::Region>' 's3:\/\/cdk-\S+-assets-<AWS::AccountId>-<AWS::Region>\/\w+\.zip'/,
    );
    expect(script).toContain(`export ${JOB_ENV.goldBucket}='acme-gold'`);
    expect(script).toContain(`export ${JOB_ENV.table}='RetailInventoryTable'`);
    expect(script).toContain(`export ${JOB_ENV.source}='s3://acme-gold/${GOLD_PREFIX}'`);
    expect(script).toContain(
      `export ${JOB_ENV.model}='bedrock:us.anthropic.claude-3-5-haiku-20241022-v1:0'`,
    );
    expect(script).toContain(`export ${JOB_ENV.guardrail}='warn'`);
    expect(script).toContain(`export ${JOB_ENV.logFormat}='json'`);
    expect(script).toContain(`export ${JOB_ENV.metricsFile}=${JOB_METRICS_FILE}`);
    expect(script).toContain('"$NODE_BIN" /opt/forecast/main.mjs run');
    expect(script).toContain('echo "forecast job exit code: $JOB_EXIT"');
  });

  it('ships the job log and the EMF file to the stack log group', () => {
    const script = userDataOf(stacks.created.template);
    const json = /<<'AGENT_JSON'\n([\s\S]*?)\nAGENT_JSON/.exec(script)?.[1];
    const config = JSON.parse(json ?? 'null');
    const files = config.logs.logs_collected.files.collect_list;
    expect(
      files.map((f: { file_path: string; log_stream_name: string }) => [
        f.file_path,
        f.log_stream_name,
      ]),
    ).toEqual([
      [JOB_LOG_FILE, JOB_LOG_STREAM],
      [JOB_METRICS_FILE, JOB_METRICS_STREAM],
    ]);
    for (const f of files) expect(f.log_group_name).toMatch(/^<JobLogs\w+>$/);
    expect(script).toContain(
      `exec > >(trap '' TERM HUP; exec tee -a ${JOB_LOG_FILE} /dev/console >/dev/null) 2>&1`,
    );
  });

  it('records RunSuccess = 0 as the contract EMF record when the job did not record the run', () => {
    const script = userDataOf(stacks.created.template);
    const onExit = /on_exit\(\) \{[\s\S]*?\n\}/.exec(script)?.[0] ?? '';
    expect(onExit).toMatch(/if needs_failure_record; then\n.*\n.*\n\s*printf /);
    const before = Date.now();
    const record = failureRecordOf(onExit);
    expect(record._aws.Timestamp).toBeGreaterThanOrEqual(before);
    expect(record._aws.Timestamp).toBeLessThanOrEqual(Date.now());
    expect(record).toEqual(
      buildEmfRecord({
        service: DEFAULT_METRICS_SERVICE,
        values: { RunSuccess: 0 },
        timestamp: record._aws.Timestamp,
      }),
    );
  });

  it('is valid bash', () => {
    const script = userDataOf(stacks.imported.template);
    expect(() => execFileSync('bash', ['-n'], { input: script })).not.toThrow();
  });
});
