import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { WriterRetryStrategy } from './writerRetryStrategy';

export interface WriterClientOptions {
  /**
   * The writer's `concurrency` (parallel UpdateItem calls); the HTTP agent keeps as many
   * keep-alive sockets. Default 16.
   */
  concurrency?: number;
}

/**
 * The DynamoDB client the writer is meant to be given: `WriterRetryStrategy` (throttles are
 * retried by the writer, in passes), a keep-alive HTTP(S) agent with one socket per parallel
 * update (the SDK's default allows 50, so a burst can open sockets it never reuses), and without
 * the recursion-detection middleware, which only forwards a Lambda's X-Ray trace id and costs a
 * header and an environment read on every call of a job that runs on EC2. It also sets the SDK's
 * `cacheMiddleware`, so the middleware chain is assembled once per command type rather than on
 * every call (about a fifth of the client's CPU per UpdateItem against a local endpoint); the
 * stack must then not be changed after the first call, which the writer never does. It makes the
 * SigV4 signer once rather than per request (`shareSigner`). Requests stay SigV4-signed, each with
 * its own signature, invocation id and retry state. Anything set in `config` (a `retryStrategy`,
 * a `requestHandler`, the endpoint, region and credentials) wins; region, credentials and
 * endpoint otherwise come from the SDK's own settings (AWS_REGION, AWS_ENDPOINT_URL_DYNAMODB, the
 * instance role...).
 */
export function createWriterClient(
  config: DynamoDBClientConfig = {},
  options: WriterClientOptions = {},
): DynamoDBClient {
  const sockets = options.concurrency ?? 16;
  const client = new DynamoDBClient({
    retryStrategy: new WriterRetryStrategy(),
    cacheMiddleware: true,
    requestHandler: new NodeHttpHandler({
      // Agent options rather than agents, so the handler owns (and destroys) the agents.
      httpAgent: { keepAlive: true, maxSockets: sockets },
      httpsAgent: { keepAlive: true, maxSockets: sockets },
    }),
    ...config,
  });
  client.middlewareStack.remove('recursionDetectionMiddleware');
  shareSigner(client);
  return client;
}

/**
 * Makes the client's SigV4 signer once instead of on every request. The SDK's signer provider
 * (`config.signer`, from `resolveAwsSdkSigV4Config`) builds a new `SignatureV4` per request from
 * a copy of the whole client config; what it builds depends only on that config (region and
 * signing name, fixed on the client's first request, the credentials provider, the hash), and a
 * `SignatureV4` keeps no per-request state, so the first one serves every request. Each request
 * is still signed on its own, with its own date, body hash and current credentials (the provider
 * refreshes them). A failed creation is not kept. `config.credentials` must then not be replaced
 * after the first request, which the writer never does.
 */
function shareSigner(client: DynamoDBClient): void {
  const config = client.config;
  const perRequest = config.signer;
  let shared: ReturnType<typeof perRequest> | undefined;
  config.signer = (authScheme) => {
    if (shared === undefined) {
      const made = perRequest(authScheme);
      shared = made;
      made.catch(() => {
        if (shared === made) shared = undefined;
      });
    }
    return shared;
  };
}
