import { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { BedrockOptionsError } from './errors';
import { parseSageMakerEndpoint } from './sagemakerEndpoint';

export interface CreateSageMakerRuntimeClientConfig {
  /** The `chronos2:` id: an endpoint ARN sets the client's region to the ARN's. */
  endpoint?: string;
  /** Used for a bare endpoint name; default the SDK's own resolution (AWS_REGION, profile). */
  region?: string;
  /** Total HTTP attempts per request, retries included (SDK default 3). */
  maxAttempts?: number;
  /** Per-request timeout in milliseconds (default 60 000; SageMaker's own limit is 60 s). */
  requestTimeoutMs?: number;
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
  const requestTimeout = config.requestTimeoutMs ?? 60_000;
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
  const region =
    (config.endpoint !== undefined ? parseSageMakerEndpoint(config.endpoint).region : undefined) ??
    config.region;
  return new SageMakerRuntimeClient({
    ...(region !== undefined ? { region } : {}),
    ...(config.maxAttempts !== undefined ? { maxAttempts: config.maxAttempts } : {}),
    retryMode: 'adaptive',
    requestHandler: new NodeHttpHandler({
      requestTimeout,
      connectionTimeout: Math.min(requestTimeout, 10_000),
    }),
  });
}
