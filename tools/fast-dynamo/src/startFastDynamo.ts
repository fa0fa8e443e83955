import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WireItem } from './attributeValue';
import { Store } from './store';
import { WireError } from './wireError';

const TARGET_PREFIX = 'DynamoDB_20120810.';
const CONTENT_TYPE = 'application/x-amz-json-1.0';
/** A SigV4 Authorization header as the SDK sends it; the signature itself is not verified. */
const SIGV4 =
  /^AWS4-HMAC-SHA256 Credential=[^/]+\/\d{8}\/[^/]+\/dynamodb\/aws4_request, SignedHeaders=[^,]+, Signature=[0-9a-f]{64}$/;

export interface FastDynamo {
  /** e.g. http://127.0.0.1:41235 */
  endpoint: string;
  /** Requests answered so far, by operation (errors included). */
  requests: Map<string, number>;
  /** The stored item for a key (a copy of what was written), for tests. */
  item(tableName: string, key: WireItem): WireItem | undefined;
  close(): Promise<void>;
}

export interface FastDynamoOptions {
  /** Default 0: an ephemeral port. */
  port?: number;
}

/**
 * Starts fast-dynamo on 127.0.0.1: a minimal DynamoDB endpoint speaking the JSON 1.0 protocol
 * (`x-amz-target: DynamoDB_20120810.<Operation>`, `application/x-amz-json-1.0`) over HTTP/1.1
 * keep-alive, with in-memory tables. It implements CreateTable, DescribeTable, DeleteTable,
 * GetItem, PutItem, UpdateItem, BatchGetItem and BatchWriteItem, and the expression subset the
 * forecast writer sends (see `expressions.ts`); it stores and returns exactly what was written,
 * honours conditions, and refuses what DynamoDB would refuse (malformed values, key schema
 * mismatches, oversized keys, unused placeholders...) with the real error shape.
 *
 * A benchmark tool, not an emulator: it exists so the client's CPU cost per request can be
 * measured without the emulator's (dynalite spends several ms per request). It has no
 * throughput limits, no consistency model, no size limits beyond keys, no secondary indexes and
 * checks only that a request is SigV4-signed, not the signature. Tests of behaviour use
 * dynalite (`@retail-forecast/local-aws/testing`).
 */
export async function startFastDynamo(options: FastDynamoOptions = {}): Promise<FastDynamo> {
  const store = new Store();
  const requests = new Map<string, number>();

  const answer = (res: ServerResponse, status: number, body: unknown) => {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'content-type': CONTENT_TYPE,
      'content-length': Buffer.byteLength(text),
      'x-amzn-requestid': randomUUID(),
    });
    res.end(text);
  };

  const handle = (req: IncomingMessage, res: ServerResponse, raw: string) => {
    const target = req.headers['x-amz-target'];
    const operation =
      typeof target === 'string' && target.startsWith(TARGET_PREFIX)
        ? target.slice(TARGET_PREFIX.length)
        : undefined;
    requests.set(operation ?? '(none)', (requests.get(operation ?? '(none)') ?? 0) + 1);
    try {
      if (req.method !== 'POST' || operation === undefined) {
        throw new WireError(
          'UnknownOperationException',
          `expected POST with x-amz-target ${TARGET_PREFIX}<Operation> (got ${req.method} ${String(target)})`,
        );
      }
      if (!SIGV4.test(req.headers.authorization ?? '')) {
        throw new WireError(
          'MissingAuthenticationTokenException',
          'Request is missing Authentication Token',
        );
      }
      if (!String(req.headers['content-type']).startsWith(CONTENT_TYPE)) {
        throw new WireError(
          'SerializationException',
          `content-type ${String(req.headers['content-type'])} is not ${CONTENT_TYPE}`,
        );
      }
      let body: unknown;
      try {
        body = JSON.parse(raw);
      } catch {
        throw new WireError('SerializationException', 'the request body is not valid JSON');
      }
      if (body === null || typeof body !== 'object' || Array.isArray(body)) {
        throw new WireError('SerializationException', 'the request body is not a JSON object');
      }
      answer(res, 200, store.handle(operation, body as Record<string, unknown>));
    } catch (err) {
      if (err instanceof WireError) answer(res, 400, { __type: err.type, message: err.message });
      else
        answer(res, 500, {
          __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError',
          message: String(err),
        });
    }
  };

  const server = createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    item: (tableName, key) => {
      const item = store.item(tableName, key);
      return item === undefined ? undefined : structuredClone(item);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
