import { Readable } from 'node:stream';
import type { DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';

interface WireRequest {
  headers: Record<string, string>;
  body?: unknown;
}

/**
 * The request body as text. The SDK's JSON protocol hands the handler UTF-8 bytes (a Uint8Array
 * that warns when string methods are called on it), so bytes are decoded as UTF-8, not stringified.
 */
function bodyText(body: unknown): string {
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) {
    return Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  }
  throw new Error(`the in-memory handler cannot read a ${typeof body} request body`);
}

/**
 * A request handler that answers the writer's three DynamoDB operations in memory, so a
 * `writeForecasts` run measures the writer and the SDK (middleware, serialisation, signing,
 * retry) without HTTP or an endpoint: DescribeTable (partition key product_id, S),
 * BatchGetItem (a current_stock for every other requested key, as the HTTP rounds seed) and
 * UpdateItem (`{}`). A benchmark stub, not an emulator: it keeps nothing and checks nothing.
 */
export function inMemoryDynamoHandler(): NonNullable<DynamoDBClientConfig['requestHandler']> {
  const answer = (body: unknown) => {
    const text = Buffer.from(JSON.stringify(body));
    return {
      response: {
        statusCode: 200,
        reason: 'OK',
        headers: {
          'content-type': 'application/x-amz-json-1.0',
          'content-length': String(text.byteLength),
          'x-amzn-requestid': 'in-memory',
        },
        body: Readable.from([text]),
      },
    };
  };
  const handler = {
    metadata: { handlerProtocol: 'http/1.1' },
    async handle(request: WireRequest) {
      const operation = request.headers['x-amz-target']?.split('.')[1];
      // Most calls: answered without reading the body, so the stub's own cost stays out of the figure.
      if (operation === 'UpdateItem') return answer({});
      const input = JSON.parse(bodyText(request.body)) as {
        TableName?: string;
        RequestItems?: Record<string, { Keys: { product_id: { S: string } }[] }>;
      };
      switch (operation) {
        case 'DescribeTable':
          return answer({
            Table: {
              TableName: input.TableName,
              TableStatus: 'ACTIVE',
              KeySchema: [{ AttributeName: 'product_id', KeyType: 'HASH' }],
              AttributeDefinitions: [{ AttributeName: 'product_id', AttributeType: 'S' }],
            },
          });
        case 'BatchGetItem': {
          const responses = Object.fromEntries(
            Object.entries(input.RequestItems ?? {}).map(([table, { Keys }]) => [
              table,
              Keys.filter((_, k) => k % 2 === 0).map((key, k) => ({
                ...key,
                current_stock: { N: String(5 + (k % 40)) },
              })),
            ]),
          );
          return answer({ Responses: responses, UnprocessedKeys: {} });
        }
        default:
          throw new Error(`the in-memory handler does not answer ${operation}`);
      }
    },
    updateHttpClientConfig() {},
    httpHandlerConfigs: () => ({}),
    destroy() {},
  };
  return handler as unknown as NonNullable<DynamoDBClientConfig['requestHandler']>;
}
