import {
  BedrockClientError,
  BedrockCredentialsError,
  BedrockRequestError,
  InvalidModelError,
  ModelAccessDeniedError,
  type BedrockFailureKind,
} from './errors';

export interface SdkLikeError {
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

/**
 * ValidationException messages that are about the model or the run's settings rather than one
 * request's content: every other request would be refused the same way, so the run stops (exit 2).
 * Bedrock's wording: "The provided model identifier is invalid.", "Invocation of model ID … with
 * on-demand throughput isn't supported … inference profile", "This action doesn't support the
 * model that you provided", "The maximum tokens you requested exceeds the model limit". Anything
 * else (e.g. "Input is too long for requested model.") fails only its own request.
 */
const MODEL_LEVEL_VALIDATION =
  /model identifier|model id\b|inference profile|on-demand throughput|support (?:the|this) model|endpoint|max(?:imum)?[ _]?tokens/i;

/** Whether a ValidationException is about the model or settings (fatal) rather than one request. */
export function isModelLevelValidation(message: string): boolean {
  return MODEL_LEVEL_VALIDATION.test(message);
}

export function failureKind(e: SdkLikeError): BedrockFailureKind {
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
 * Turns whatever the SDK threw into this lib's errors: the fatal ones (no access, bad model id or
 * settings) that stop the run, or a {@link BedrockRequestError} that only fails the one request
 * (a ValidationException about the request's content among them).
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
    case 'CredentialsProviderError':
    case 'UnrecognizedClientException':
    case 'InvalidSignatureException':
    case 'ExpiredTokenException':
      return new BedrockCredentialsError(modelId, region, `${e.name}: ${message}`, { cause: err });
    case 'AccessDeniedException':
      return new ModelAccessDeniedError(modelId, region, message, { cause: err });
    case 'ResourceNotFoundException':
      return new InvalidModelError(modelId, region, e.name, message, { cause: err });
    case 'ValidationException':
      if (isModelLevelValidation(message)) {
        return new InvalidModelError(modelId, region, e.name, message, { cause: err });
      }
      return new BedrockRequestError('validation', modelId, attempts, `${e.name}: ${message}`, {
        cause: err,
      });
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
