import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { NodeHttp2Handler, NodeHttpHandler } from '@smithy/node-http-handler';
import { BedrockOptionsError } from './errors';
import type { CreateBedrockRuntimeClientConfig } from './types';

const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;

/**
 * A Bedrock Runtime client for batch forecasting: adaptive retries (client-side rate limiting once
 * throttled, so many parallel batches back off together) and a per-request timeout. The endpoint is
 * left to the SDK (`AWS_ENDPOINT_URL_BEDROCK_RUNTIME`), so the same code talks to a local stand-in.
 */
export function createBedrockRuntimeClient(
  config: CreateBedrockRuntimeClientConfig = {},
): BedrockRuntimeClient {
  const requestTimeout = config.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  if (!Number.isFinite(requestTimeout) || requestTimeout <= 0) {
    throw new BedrockOptionsError(
      `requestTimeoutMs ${config.requestTimeoutMs} is not allowed (expected a positive number of milliseconds)`,
    );
  }
  if (
    config.maxAttempts !== undefined &&
    (!Number.isInteger(config.maxAttempts) || config.maxAttempts < 1)
  ) {
    throw new BedrockOptionsError(
      `maxAttempts ${config.maxAttempts} is not allowed (expected an integer >= 1)`,
    );
  }
  const requestHandler = config.http1
    ? new NodeHttpHandler({ requestTimeout, connectionTimeout: Math.min(requestTimeout, 10_000) })
    : // One session per request is the SDK's own default for Bedrock; a long model answer on a
      // shared session would otherwise hold up the other batches' streams.
      new NodeHttp2Handler({ requestTimeout, disableConcurrentStreams: true });
  return new BedrockRuntimeClient({
    ...(config.region !== undefined ? { region: config.region } : {}),
    ...(config.maxAttempts !== undefined ? { maxAttempts: config.maxAttempts } : {}),
    retryMode: 'adaptive',
    requestHandler,
  });
}
