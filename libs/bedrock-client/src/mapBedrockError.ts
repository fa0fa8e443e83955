import {
  BedrockClientError,
  BedrockRequestError,
  InvalidModelError,
  ModelAccessDeniedError,
  type BedrockFailureKind,
} from './errors';

interface SdkLikeError {
  name?: string;
  message?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number; attempts?: number };
}

const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** Failures the SDK's retry strategy does not retry, but which usually pass on a second try. */
export const SDK_UNRETRIED_TRANSIENT = new Set(['ModelErrorException', 'ModelTimeoutException']);

/** HTTP attempts the SDK reported for a failed call (1 when it did not say). */
export function sdkAttempts(err: unknown): number {
  const attempts = (err as SdkLikeError | undefined)?.$metadata?.attempts;
  return typeof attempts === 'number' && attempts > 0 ? attempts : 1;
}

function failureKind(e: SdkLikeError): BedrockFailureKind {
  const status = e.$metadata?.httpStatusCode ?? 0;
  switch (e.name) {
    case 'ThrottlingException':
    case 'ServiceQuotaExceededException':
      return 'throttling';
    case 'ModelNotReadyException':
      return 'model-not-ready';
    case 'ModelErrorException':
      return 'model-error';
    case 'ModelTimeoutException':
    case 'TimeoutError':
      return 'timeout';
    case 'InternalServerException':
    case 'ServiceUnavailableException':
      return 'server';
  }
  if (e.code && NETWORK_CODES.has(e.code)) return 'network';
  if (status === 429) return 'throttling';
  if (status >= 500) return 'server';
  return 'unknown';
}

/**
 * Turns whatever the SDK threw into this lib's errors: the fatal ones (no access, bad model id) that
 * stop the run, or a {@link BedrockRequestError} that only fails the one request.
 */
export function mapBedrockError(
  err: unknown,
  modelId: string,
  region: string,
  attempts: number = sdkAttempts(err),
): BedrockClientError {
  if (err instanceof BedrockClientError) return err;
  const e = (err ?? {}) as SdkLikeError;
  const message = e.message ?? String(err);
  switch (e.name) {
    case 'AccessDeniedException':
      return new ModelAccessDeniedError(modelId, region, message, { cause: err });
    case 'ValidationException':
    case 'ResourceNotFoundException':
      return new InvalidModelError(modelId, region, e.name, message, { cause: err });
  }
  return new BedrockRequestError(
    failureKind(e),
    modelId,
    attempts,
    `${e.name ?? 'Error'}: ${message}`,
    {
      cause: err,
    },
  );
}
