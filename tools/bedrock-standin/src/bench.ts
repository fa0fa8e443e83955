/**
 * Throughput of the Bedrock path end to end (real SDK client over h2c to the stand-in):
 *   npx tsx tools/bedrock-standin/src/bench.ts [products=2000] [baseLatencyMs=50]
 * Prints figures; asserts nothing.
 */
import {
  createBedrockRuntimeClient,
  estimateBedrockCost,
  forecastWithBedrock,
  type BedrockInput,
} from '@retail-forecast/bedrock-client';
import { startBedrockStandin } from './startBedrockStandin';

const products = Number(process.argv[2] ?? 2000);
const baseLatencyMs = Number(process.argv[3] ?? 50);
const AS_OF = '2025-04-28';
const HORIZON = 7;

function inputs(n: number): BedrockInput[] {
  return Array.from({ length: n }, (_, p) => {
    const history = Float64Array.from({ length: 365 }, (_, i) => ((i * 7 + p) % 11) + (i % 7));
    const p50 = history.slice(-HORIZON);
    return {
      product: { productId: `P${p}`, history },
      statistical: {
        model: 'statistical:snaive',
        p10: p50.map((v) => v / 2),
        p50,
        p90: p50.map((v) => v * 2 + 1),
      },
    };
  });
}

const standin = await startBedrockStandin({ baseLatencyMs });
process.env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME = standin.url;
process.env.AWS_ACCESS_KEY_ID ??= 'AKIDBENCH';
process.env.AWS_SECRET_ACCESS_KEY ??= 'bench';
const data = inputs(products);
const sonnet = 'us.anthropic.claude-3-7-sonnet-20250219-v1:0';
const est = estimateBedrockCost(data, {
  modelId: sonnet,
  kind: 'converse',
  asOf: AS_OF,
  horizon: HORIZON,
});
console.log(
  `estimate for ${products} products on ${sonnet}: ${est.requests} requests, ` +
    `${est.estimatedInputTokens} input + ${est.estimatedOutputTokens} output tokens, $${est.estimatedCostUsd?.toFixed(4)}`,
);

for (const [kind, modelId, concurrency] of [
  ['converse', 'local', 8],
  ['converse', 'local-fault-missing-ids', 8],
  ['chronos', 'local', 8],
] as const) {
  const client = createBedrockRuntimeClient({ region: 'us-east-1', requestTimeoutMs: 10_000 });
  const t0 = performance.now();
  const { stats } = await forecastWithBedrock(data, {
    client,
    modelId,
    kind,
    asOf: AS_OF,
    horizon: HORIZON,
    concurrency,
  });
  const s = (performance.now() - t0) / 1000;
  client.destroy();
  console.log(
    `${kind.padEnd(8)} ${modelId.padEnd(24)} concurrency ${concurrency}: ${s.toFixed(2)} s, ` +
      `${(products / s).toFixed(0)} products/s, ${stats.requests} requests (${(stats.requests / s).toFixed(1)}/s), ` +
      `accepted ${stats.accepted}, fallback ${stats.fallback}, tokens ${stats.inputTokens}/${stats.outputTokens}`,
  );
}
await standin.close();
