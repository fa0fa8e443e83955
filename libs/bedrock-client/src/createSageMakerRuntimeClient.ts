import { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { checkRuntimeClientSettings, http1Handler } from './runtimeClientSettings';
import type { RuntimeClientSettings } from './runtimeClientSettings';
import { parseSageMakerEndpoint } from './sagemakerEndpoint';

/** `requestTimeoutMs` defaults to 60 000, SageMaker's own limit per invocation. */
export interface CreateSageMakerRuntimeClientConfig extends RuntimeClientSettings {
  /** The `chronos2:` id: an endpoint ARN sets the client's region to the ARN's. */
  endpoint?: string;
  /** Used for a bare endpoint name; default the SDK's own resolution (AWS_REGION, profile). */
  region?: string;
}

/**
 * A SageMaker Runtime client for `chronos2:` endpoints: adaptive retries and a per-request timeout
 * over HTTP/1.1 (the SDK's default handler for this service). The endpoint URL is left to the SDK
 * (`AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME`), so the same code talks to the local stand-in.
 * @throws BedrockOptionsError for a bad endpoint id, time-out or attempt count
 */
export function createSageMakerRuntimeClient(
  config: CreateSageMakerRuntimeClientConfig = {},
): SageMakerRuntimeClient {
  const { requestTimeout, attempts } = checkRuntimeClientSettings(config);
  const region =
    (config.endpoint !== undefined ? parseSageMakerEndpoint(config.endpoint).region : undefined) ??
    config.region;
  return new SageMakerRuntimeClient({
    ...(region !== undefined ? { region } : {}),
    ...attempts,
    retryMode: 'adaptive',
    requestHandler: http1Handler(requestTimeout),
  });
}
