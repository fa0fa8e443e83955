import {
  BedrockClientError,
  BedrockCredentialsError,
  BedrockRequestError,
  InvalidModelError,
  ModelAccessDeniedError,
} from './errors';
import { failureKind, sdkAttempts, type SdkLikeError } from './mapBedrockError';

interface SageMakerLikeError extends SdkLikeError {
  /** ModelError: the status the model container answered with. */
  OriginalStatusCode?: number;
  OriginalMessage?: string;
  LogStreamArn?: string;
}

const SAGEMAKER = { service: 'sagemaker' } as const;

/**
 * ValidationError messages about the endpoint rather than one request ("Endpoint x of account y
 * not found.", "Inference Component Name header is required…"): every request would be refused
 * the same way, so the run stops (exit 2).
 */
const ENDPOINT_LEVEL_VALIDATION =
  /endpoint .*not found|could not find endpoint|inference component|variant/i;

/**
 * A ModelError is the container's own answer: a 4xx means it refused this request's content (the
 * Chronos-2 container's schema checks), anything else a model failure worth one more try.
 */
function modelErrorIsRequestContent(e: SageMakerLikeError): boolean {
  const status = e.OriginalStatusCode ?? 0;
  return status >= 400 && status < 500;
}

/** True for SageMaker failures the SDK does not retry but that usually pass on a second try. */
export function isTransientSageMakerError(err: unknown): boolean {
  const e = (err ?? {}) as SageMakerLikeError;
  if (e.name === 'ModelNotReadyException') return true;
  return e.name === 'ModelError' && !modelErrorIsRequestContent(e);
}

/**
 * Turns what the SageMaker Runtime client threw into this lib's errors, as `mapBedrockError`
 * does for Bedrock (so exit codes stay truthful): no credentials, access denied or an unknown
 * endpoint are fatal (exit 2); a ValidationError or 4xx ModelError about the request's content,
 * throttling, 5xx and time-outs fail only their own request. Error names and fields
 * (`ModelError.OriginalStatusCode`, `OriginalMessage`, `LogStreamArn`) are those of the SageMaker
 * Runtime API reference (InvokeEndpoint, "Errors").
 */
export function mapSageMakerError(
  err: unknown,
  endpoint: string,
  region: string,
  attempts: number = sdkAttempts(err),
): BedrockClientError {
  if (err instanceof BedrockClientError) return err;
  const e = (err ?? {}) as SageMakerLikeError;
  const message = e.message ?? String(err);
  const request = (kind: BedrockRequestError['kind'], detail: string) =>
    new BedrockRequestError(kind, endpoint, attempts, detail, { cause: err, ...SAGEMAKER });
  switch (e.name) {
    case 'CredentialsProviderError':
    case 'UnrecognizedClientException':
    case 'InvalidSignatureException':
    case 'ExpiredTokenException':
    case 'IncompleteSignature':
    case 'MissingAuthenticationToken':
      return new BedrockCredentialsError(endpoint, region, `${e.name}: ${message}`, {
        cause: err,
        ...SAGEMAKER,
      });
    case 'AccessDeniedException':
      return new ModelAccessDeniedError(endpoint, region, message, { cause: err, ...SAGEMAKER });
    case 'ValidationError':
      if (ENDPOINT_LEVEL_VALIDATION.test(message)) {
        return new InvalidModelError(endpoint, region, e.name, message, {
          cause: err,
          ...SAGEMAKER,
        });
      }
      return request('validation', `${e.name}: ${message}`);
    case 'ModelError': {
      const original = `${e.OriginalStatusCode ?? '?'} ${e.OriginalMessage ?? message}`;
      const logs = e.LogStreamArn ? ` (container logs: ${e.LogStreamArn})` : '';
      return request(
        modelErrorIsRequestContent(e) ? 'validation' : 'model-error',
        `ModelError: the model container answered ${original}${logs}`,
      );
    }
    case 'ModelNotReadyException':
      return request('model-not-ready', `${e.name}: ${message}`);
    case 'InternalFailure':
    case 'ServiceUnavailable':
    case 'InternalDependencyException':
      return request('server', `${e.name}: ${message}`);
  }
  return request(failureKind(e), `${e.name ?? 'Error'}: ${message}`);
}
