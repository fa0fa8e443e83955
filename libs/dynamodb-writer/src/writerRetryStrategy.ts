import { StandardRetryStrategy } from '@smithy/core/retry';

/** SDK attempts per call for transient errors (5xx, dropped connections); throttles are not retried here. */
export const WRITER_SDK_MAX_ATTEMPTS = 3;

/**
 * The SDK's standard retry strategy for the writer's DynamoDB client, minus throttling.
 *
 * Why: with `retryMode: 'adaptive'` (or standard) every throttled attempt costs 5 tokens of a
 * quota of 500 shared by the whole client and waits a 1 s-based exponential backoff (up to 20 s)
 * while the adaptive rate limiter slows every other request too. Under sustained throttling the
 * quota empties after about 100 retries, after which the SDK retries nothing: at 90 % throttling
 * most products were tried once, and at 30 % the backoff made a run 23× slower. The writer retries
 * throttled products itself, in passes with full-jitter backoff and a deadline
 * (`writeForecasts`), so this strategy hands a throttle straight back, and the SDK's retries (and its
 * quota) are kept for transient errors.
 */
export class WriterRetryStrategy extends StandardRetryStrategy {
  constructor(maxAttempts: number = WRITER_SDK_MAX_ATTEMPTS) {
    super(maxAttempts);
  }

  override async refreshRetryTokenForRetry(
    ...[token, errorInfo]: Parameters<StandardRetryStrategy['refreshRetryTokenForRetry']>
  ): ReturnType<StandardRetryStrategy['refreshRetryTokenForRetry']> {
    // Refusing the token makes the SDK throw the request's own error to the writer.
    if (errorInfo.errorType === 'THROTTLING')
      throw new Error('throttles are retried by the writer');
    return super.refreshRetryTokenForRetry(token, errorInfo);
  }
}
