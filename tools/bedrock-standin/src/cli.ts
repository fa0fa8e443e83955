#!/usr/bin/env node
/**
 * Runs the Bedrock stand-in until Ctrl-C:
 *   npx tsx tools/bedrock-standin/src/cli.ts --port 8787
 * Model id `local` answers normally; `local-fault-<mode>` (e.g. `local-fault-throttle`) misbehaves.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { FAULT_MODES } from './route';
import { startBedrockStandin } from './startBedrockStandin';
import type { FaultMode } from './types';

function intArg(name: string, min: number, max: number) {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`${name} "${value}" is not an integer from ${min} to ${max}`);
    }
    return n;
  };
}

const program = new Command()
  .name('bedrock-standin')
  .description('Local Amazon Bedrock Runtime stand-in (Converse and InvokeModel over h2c)')
  .option(
    '--port <port>',
    'port to listen on (0 = any free port)',
    intArg('--port', 0, 65535),
    8787,
  )
  .addOption(
    new Option('--fault <mode>', 'fault for every request, whatever the model id').choices([
      ...FAULT_MODES,
    ]),
  )
  .option(
    '--latency-ms <ms>',
    'delay of a "slow" answer',
    intArg('--latency-ms', 0, 3_600_000),
    10_000,
  )
  .option(
    '--base-latency-ms <ms>',
    'delay of every answer',
    intArg('--base-latency-ms', 0, 3_600_000),
    0,
  )
  .option(
    '--cache-min-tokens <n>',
    "prompt caching: minimum tokens per cache checkpoint for every model (default: each model's own)",
    intArg('--cache-min-tokens', 0, 1_000_000),
  )
  .option(
    '--cache-ttl-ms <ms>',
    'prompt caching: TTL of a cache entry',
    intArg('--cache-ttl-ms', 0, 3_600_000),
    300_000,
  )
  .parse();

const opts = program.opts<{
  port: number;
  fault?: FaultMode;
  latencyMs: number;
  baseLatencyMs: number;
  cacheMinTokens?: number;
  cacheTtlMs: number;
}>();
const standin = await startBedrockStandin({
  port: opts.port,
  fault: opts.fault,
  latencyMs: opts.latencyMs,
  baseLatencyMs: opts.baseLatencyMs,
  cacheTtlMs: opts.cacheTtlMs,
  ...(opts.cacheMinTokens !== undefined ? { cacheMinTokens: opts.cacheMinTokens } : {}),
});
console.log(`Bedrock stand-in listening on ${standin.url} (HTTP/2 cleartext)`);
console.log(
  `Point the AWS SDK at it:\n  export AWS_ENDPOINT_URL_BEDROCK_RUNTIME=${standin.url}\n  export AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME=${standin.sagemakerUrl}   # chronos2:<endpoint name> (HTTP/1.1)`,
);
console.log(
  `Model ids: "local" answers normally; "local-fault-<mode>" misbehaves, mode one of:\n  ${FAULT_MODES.filter((m) => m !== 'none').join(', ')}`,
);
const stop = async () => {
  console.log(`\nserved ${standin.stats.requests} request(s); stopping`);
  await standin.close();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
