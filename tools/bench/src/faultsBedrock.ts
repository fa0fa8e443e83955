/**
 * Bedrock under faults: 40 products through the real client (HTTP/2, adaptive retries, 4 attempts,
 * 8 requests in flight: the job's settings) against the local stand-in's fault modes. Prints wall
 * time, logical requests, HTTP attempts the stand-in saw, and where the products ended up.
 *   npm run bench -- faults
 * Time-outs are scaled down (the stand-in's slow answer takes 3 s instead of minutes) so the
 * section runs in seconds; the shape (attempts × time-out per batch) is what carries over.
 */
import {
  createBedrockRuntimeClient,
  forecastWithBedrock,
  type BedrockInput,
  type ForecastWithBedrockOptions,
} from '@retail-forecast/bedrock-client';
import { startBedrockStandin } from '@retail-forecast/bedrock-standin';

const PRODUCTS = 40;
const HORIZON = 7;
const AS_OF = '2025-04-28';
/** The slow answer: longer than any scaled time-out below. */
const SLOW_MS = 3_000;
/**
 * Scaled time-out policy: 200 ms + maxTokens at 10,000 tokens/s, so a 20-product batch
 * (maxTokens 4,576) waits 658 ms; the job's defaults are 20 s + maxTokens at 20 tokens/s (249 s).
 */
const SCALED_TIMEOUT = { firstTokenMs: 200, tokensPerSecond: 10_000, maxMs: 60_000 };

function inputs(): BedrockInput[] {
  return Array.from({ length: PRODUCTS }, (_, p) => {
    const history = Float64Array.from({ length: 365 }, (_, i) => ((i * 7 + p) % 11) + (i % 7));
    const p50 = history.slice(-HORIZON);
    return {
      product: { productId: `P${1000 + p}`, history },
      statistical: {
        model: 'statistical:snaive',
        p10: p50.map((v) => v / 2),
        p50,
        p90: p50.map((v) => v * 2 + 1),
      },
    };
  });
}

interface Scenario {
  name: string;
  modelId: string;
  /** Abort after this many ms: the run's deadline for model requests. */
  deadlineMs?: number;
}

const SCENARIOS: Scenario[] = [
  { name: 'healthy', modelId: 'local' },
  { name: 'throttled once per batch', modelId: 'local-fault-throttle-once' },
  { name: 'throttled throughout', modelId: 'local-fault-throttle' },
  { name: 'time-outs throughout', modelId: 'local-fault-slow' },
  { name: 'time-outs, 1.5 s deadline', modelId: 'local-fault-slow', deadlineMs: 1_500 },
];

/** Prints one line per scenario; asserts nothing. */
export async function faultsBedrock(): Promise<void> {
  const standin = await startBedrockStandin({ latencyMs: SLOW_MS });
  const saved = { ...process.env };
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_BEDROCK_RUNTIME: standin.url,
    AWS_ACCESS_KEY_ID: 'AKIDBENCH',
    AWS_SECRET_ACCESS_KEY: 'bench',
  });
  const data = inputs();
  console.log(
    `\n=== Bedrock under faults: ${PRODUCTS} products, 20 per request, 8 in flight, 4 attempts; ` +
      `scaled time-out ${SCALED_TIMEOUT.firstTokenMs} ms + maxTokens at ${SCALED_TIMEOUT.tokensPerSecond} tokens/s, slow answer ${SLOW_MS} ms ===`,
  );
  console.log(
    `  ${'scenario'.padEnd(28)} ${'time'.padStart(7)} ${'requests'.padStart(8)} ${'attempts'.padStart(8)} ${'model'.padStart(5)} ${'fallback'.padStart(8)}  reasons`,
  );
  try {
    for (const s of SCENARIOS) {
      const client = createBedrockRuntimeClient({
        region: 'us-east-1',
        maxAttempts: 4,
        requestTimeoutMs: 60_000,
      });
      const before = standin.stats.requests;
      const options: ForecastWithBedrockOptions = {
        client,
        modelId: s.modelId,
        kind: 'converse',
        asOf: AS_OF,
        horizon: HORIZON,
        concurrency: 8,
        requestTimeout: SCALED_TIMEOUT,
        ...(s.deadlineMs !== undefined ? { signal: AbortSignal.timeout(s.deadlineMs) } : {}),
      };
      const t0 = performance.now();
      const { stats } = await forecastWithBedrock(data, options);
      const seconds = (performance.now() - t0) / 1000;
      client.destroy();
      const reasons = Object.entries(stats.fallbackReasons)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ');
      console.log(
        `  ${s.name.padEnd(28)} ${`${seconds.toFixed(2)} s`.padStart(7)} ${String(stats.requests).padStart(8)} ` +
          `${String(standin.stats.requests - before).padStart(8)} ${String(stats.accepted).padStart(5)} ` +
          `${String(stats.fallback).padStart(8)}  ${reasons || '–'}`,
      );
    }
  } finally {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
    await standin.close();
  }
}
