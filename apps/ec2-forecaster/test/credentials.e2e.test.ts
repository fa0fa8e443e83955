// Without any AWS credentials every Bedrock request fails the same way: that is a configuration
// problem (exit 2, one message), not a run whose products all quietly fall back (exit 0).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startBedrockStandin, type BedrockStandin } from '@retail-forecast/bedrock-standin';
import { runCli } from '../src/cli';

let dir: string;
let standin: BedrockStandin;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'no-credentials-'));
  standin = await startBedrockStandin();
  // No credentials anywhere the SDK looks: env, shared files, instance metadata.
  for (const name of [
    'AWS_ACCESS_KEY_ID',
    'AWS_SECRET_ACCESS_KEY',
    'AWS_SESSION_TOKEN',
    'AWS_PROFILE',
  ])
    vi.stubEnv(name, undefined as unknown as string);
  vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', join(dir, 'none'));
  vi.stubEnv('AWS_CONFIG_FILE', join(dir, 'none'));
  vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
  vi.stubEnv('AWS_REGION', 'us-east-1');
  vi.stubEnv('AWS_ENDPOINT_URL_BEDROCK_RUNTIME', standin.url);
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await standin?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('a Bedrock run without AWS credentials', () => {
  it('stops with exit 2 and one message saying how to provide credentials', async () => {
    const rows = ['product_id,event_date,daily_sales'];
    for (let d = 1; d <= 28; d++) {
      const day = `2025-03-${String(d).padStart(2, '0')}`;
      rows.push(`P1,${day},${5 + (d % 7)}`, `P2,${day},${3 + (d % 3)}`);
    }
    const source = join(dir, 'gold.csv');
    await writeFile(source, `${rows.join('\n')}\n`);
    let stderr = '';
    const err = new PassThrough().on('data', (c: Buffer) => (stderr += c.toString()));
    const code = await runCli(
      ['run', '--dry-run', '--source', source, '--model', 'bedrock:local'],
      {
        stdout: new PassThrough(),
        stderr: err,
        env: process.env,
      },
    );
    expect(code).toBe(2);
    expect(stderr).toContain('No usable AWS credentials to call Bedrock model "local"');
    expect(stderr.match(/No usable AWS credentials/g)).toHaveLength(1);
    expect(standin.stats.requests).toBe(0);
  }, 60_000);
});
