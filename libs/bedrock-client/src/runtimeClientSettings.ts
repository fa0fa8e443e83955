import { NodeHttpHandler } from '@smithy/node-http-handler';
import { BedrockOptionsError } from './errors';

/** The settings the model runtime clients (Bedrock Runtime, SageMaker Runtime) share. */
export interface RuntimeClientSettings {
  /** Per-request timeout in milliseconds (default 60 000). */
  requestTimeoutMs?: number;
  /** Total HTTP attempts per request, retries included (SDK default 3). */
  maxAttempts?: number;
}

/**
 * Checks the shared settings and gives what both clients pass the SDK: the request timeout and, when
 * set, `maxAttempts`.
 * @throws BedrockOptionsError for a time-out that is not a positive number or an attempt count
 * that is not an integer >= 1
 */
export function checkRuntimeClientSettings(config: RuntimeClientSettings): {
  requestTimeout: number;
  attempts: { maxAttempts?: number };
} {
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
  return {
    requestTimeout,
    attempts: config.maxAttempts !== undefined ? { maxAttempts: config.maxAttempts } : {},
  };
}

/** An HTTP/1.1 handler with the request timeout and a connect timeout of at most 10 s. */
export function http1Handler(requestTimeout: number): NodeHttpHandler {
  return new NodeHttpHandler({
    requestTimeout,
    connectionTimeout: Math.min(requestTimeout, 10_000),
  });
}
