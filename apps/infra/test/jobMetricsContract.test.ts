// The seam the "no successful run" alarm depends on, tested end to end: the job, started with
// exactly the environment the stack's user data exports, writes an EMF record whose namespace,
// dimension and metric are the ones the alarms watch — for a non-default metrics service.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { JOB_ENV, type EmfRecord } from '@retail-forecast/job-contract';
import { runCli } from '@retail-forecast/ec2-forecaster';
import { buildStack, makeBuildDirs, userDataOf } from './fixtures';

const dirs = makeBuildDirs();
const work = await mkdtemp(join(tmpdir(), 'job-metrics-'));
afterAll(async () => {
  dirs.cleanup();
  await rm(work, { recursive: true, force: true });
});

/** The `export NAME='value'` lines of the user data, as the job's environment. */
function exportedEnv(script: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const m of script.matchAll(/^export ([A-Z_]+)='([^']*)'$/gm)) env[m[1]] = m[2];
  return env;
}

describe('job metrics ↔ alarms', () => {
  it('the job run with the stack’s environment writes the metric the alarms watch', async () => {
    const service = 'nightly-eu';
    const { template } = buildStack(dirs, {}, { metricsService: service });
    const env = exportedEnv(userDataOf(template));
    expect(env[JOB_ENV.metricsService]).toBe(service);

    // Local stand-ins for what only exists on AWS: a small Gold CSV and a local metrics file.
    const source = join(work, 'gold.csv');
    const rows = ['product_id,event_date,daily_sales'];
    for (let d = 1; d <= 28; d++) rows.push(`SKU-1,2025-03-${String(d).padStart(2, '0')},5`);
    await writeFile(source, `${rows.join('\n')}\n`);
    const metricsFile = join(work, 'metrics.emf');
    const code = await runCli(['run', '--dry-run'], {
      stdout: new PassThrough(),
      stderr: new PassThrough(),
      env: {
        ...env,
        [JOB_ENV.source]: source,
        [JOB_ENV.metricsFile]: metricsFile,
        // The stack's archive and report are on S3; local paths stand in for them here.
        [JOB_ENV.archive]: join(work, 'archive'),
        [JOB_ENV.report]: join(work, 'report.html'),
        [JOB_ENV.logFormat]: 'json',
      },
    });
    expect(code).toBe(0);
    const [record] = (await readFile(metricsFile, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as EmfRecord);

    const alarms = Object.values(
      template.findResources('AWS::CloudWatch::Alarm', {
        Properties: { MetricName: 'RunSuccess' },
      }),
    ) as { Properties: { Namespace: string; Dimensions: { Name: string; Value: string }[] } }[];
    expect(alarms.length).toBeGreaterThanOrEqual(2);
    for (const { Properties: alarm } of alarms) {
      const [directive] = record._aws.CloudWatchMetrics;
      expect(directive.Namespace).toBe(alarm.Namespace);
      expect(directive.Metrics.map((m) => m.Name)).toContain('RunSuccess');
      expect(directive.Dimensions).toEqual([alarm.Dimensions.map((d) => d.Name)]);
      for (const d of alarm.Dimensions) expect(record[d.Name]).toBe(d.Value);
    }
    expect(record.RunSuccess).toBe(1);
  });
});
