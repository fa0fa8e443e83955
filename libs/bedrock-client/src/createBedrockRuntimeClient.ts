import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { NodeHttp2Handler } from '@smithy/node-http-handler';
import { checkRuntimeClientSettings, http1Handler } from './runtimeClientSettings';
import type { CreateBedrockRuntimeClientConfig } from './types';

/**
 * A Bedrock Runtime client for batch forecasting: adaptive retries (client-side rate limiting once
 * throttled, so many parallel batches back off together) and a per-request timeout. The endpoint is
 * left to the SDK (`AWS_ENDPOINT_URL_BEDROCK_RUNTIME`), so the same code talks to a local stand-in.
 */
export function createBedrockRuntimeClient(
  config: CreateBedrockRuntimeClientConfig = {},
): BedrockRuntimeClient {
  const { requestTimeout, attempts } = checkRuntimeClientSettings(config);
  const requestHandler = config.http1
    ? http1Handler(requestTimeout)
    : // One session per request is the SDK's own default for Bedrock; a long model answer on a
      // shared session would otherwise hold up the other batches' streams.
      new NodeHttp2Handler({ requestTimeout, disableConcurrentStreams: true });
  return new BedrockRuntimeClient({
    ...(config.region !== undefined ? { region: config.region } : {}),
    ...attempts,
    retryMode: 'adaptive',
    requestHandler,
  });
}
