import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { isThrottlingError, isTransientError } from '@smithy/core/retry';

/**
 * What a failed DynamoDB call means for the writer:
 * - `retry`: throttled, a 5xx or a dropped connection; another attempt may succeed;
 * - `denied`: the credentials may not do this (every product would fail alike);
 * - `unreachable`: no endpoint answered (connection refused, unknown host);
 * - `notFound`: the table does not exist;
 * - `conditional`: the no-stale-overwrite condition held a newer forecast;
 * - `validation`: DynamoDB rejected this request's content (a bad key, say): permanent;
 * - `other`: anything else; permanent for this product.
 */
export type ErrorClass =
  'retry' | 'denied' | 'unreachable' | 'notFound' | 'conditional' | 'validation' | 'other';

type SdkLikeError = Error & { code?: string; $metadata?: { httpStatusCode?: number } };

const DENIED = new Set([
  'AccessDeniedException',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'MissingAuthenticationTokenException',
  'ExpiredTokenException',
]);
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/**
 * The class a writer worker gave a failed call, carried by the Error the main thread rebuilds
 * from its name and message (the SDK's error object itself cannot cross threads).
 */
export const CARRIED_CLASS = Symbol('writer error class');

export function classifyError(err: unknown): ErrorClass {
  if (!(err instanceof Error)) return 'other';
  const carried = (err as { [CARRIED_CLASS]?: ErrorClass })[CARRIED_CLASS];
  if (carried !== undefined) return carried;
  const e = err as SdkLikeError;
  if (e.name === 'ConditionalCheckFailedException') return 'conditional';
  if (e.name === 'ResourceNotFoundException') return 'notFound';
  if (DENIED.has(e.name)) return 'denied';
  if (e.name === 'ValidationException') return 'validation';
  if (UNREACHABLE_CODES.has(networkCode(e) ?? '')) return 'unreachable';
  // The SDK's own classification (smithy's service-error-classification), so the writer's
  // passes retry exactly what the SDK would have.
  const sdkError = e as Parameters<typeof isTransientError>[0];
  if (isThrottlingError(sdkError) || isTransientError(sdkError)) return 'retry';
  const status = e.$metadata?.httpStatusCode;
  if (status !== undefined && status >= 500) return 'retry';
  return 'other';
}

/** A Node network error code on the error or its cause chain. */
function networkCode(err: SdkLikeError): string | undefined {
  let e: unknown = err;
  for (let depth = 0; depth < 5 && e instanceof Error; depth++) {
    const code = (e as SdkLikeError).code;
    if (typeof code === 'string') return code;
    e = e.cause;
  }
  return undefined;
}

export function errorText(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return String(err);
}

export async function regionOf(client: DynamoDBClient): Promise<string | undefined> {
  try {
    const region = client.config.region;
    return typeof region === 'function' ? await region() : region;
  } catch {
    return undefined;
  }
}

/** The endpoint the client talks to: a custom URL (config, AWS_ENDPOINT_URL_DYNAMODB), or the region's. */
export async function endpointOf(client: DynamoDBClient): Promise<string> {
  const config = client.config as typeof client.config & {
    serviceConfiguredEndpoint?: () => Promise<string | undefined>;
  };
  try {
    const endpoint = await config.endpoint?.();
    if (endpoint) {
      const port = endpoint.port ? `:${endpoint.port}` : '';
      return `${endpoint.protocol}//${endpoint.hostname}${port}${endpoint.path ?? ''}`.replace(
        /\/$/,
        '',
      );
    }
    const configured = await config.serviceConfiguredEndpoint?.();
    if (configured) return configured.replace(/\/$/, '');
  } catch {
    // No custom endpoint: fall through to the region.
  }
  return `the ${(await regionOf(client)) ?? '(unknown)'} regional endpoint`;
}
