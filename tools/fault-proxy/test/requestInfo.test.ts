import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { dynamoDbErrorResponse } from '../src/dynamoDbErrors';
import { requestInfo } from '../src/requestInfo';

function request(target: string | undefined, method = 'POST'): IncomingMessage {
  return { method, headers: target ? { 'x-amz-target': target } : {} } as IncomingMessage;
}
const json = (v: unknown) => Buffer.from(JSON.stringify(v));

describe('requestInfo', () => {
  it('reads the operation from X-Amz-Target and the key of a single-item request', () => {
    expect(
      requestInfo(
        request('DynamoDB_20120810.UpdateItem'),
        json({ TableName: 'T', Key: { product_id: { S: 'A' } } }),
        'product_id',
      ),
    ).toEqual({ operation: 'UpdateItem', keys: ['A'], table: 'T' });
  });

  it('lists every key of a BatchGetItem and a BatchWriteItem, String or Number', () => {
    const get = requestInfo(
      request('DynamoDB_20120810.BatchGetItem'),
      json({
        RequestItems: { T: { Keys: [{ product_id: { S: 'A' } }, { product_id: { N: '7' } }] } },
      }),
      'product_id',
    );
    const write = requestInfo(
      request('DynamoDB_20120810.BatchWriteItem'),
      json({
        RequestItems: {
          T: [
            { PutRequest: { Item: { product_id: { S: 'B' }, x: { N: '1' } } } },
            { DeleteRequest: { Key: { product_id: { S: 'C' } } } },
          ],
        },
      }),
      'product_id',
    );

    expect(get).toEqual({ operation: 'BatchGetItem', keys: ['A', '7'], table: 'T' });
    expect(write).toEqual({ operation: 'BatchWriteItem', keys: ['B', 'C'], table: 'T' });
  });

  it('names a request without X-Amz-Target (S3) by its HTTP method, with no keys', () => {
    expect(requestInfo(request(undefined, 'GET'), Buffer.alloc(0), 'product_id')).toEqual({
      operation: 'GET',
      keys: [],
    });
  });

  it('keeps the operation of a body that is not JSON', () => {
    expect(
      requestInfo(request('DynamoDB_20120810.GetItem'), Buffer.from('{'), 'product_id'),
    ).toEqual({ operation: 'GetItem', keys: [] });
  });
});

describe('dynamoDbErrorResponse', () => {
  it('answers a throttle as DynamoDB does: 400, JSON 1.0, namespaced __type, a request id', () => {
    const r = dynamoDbErrorResponse('ProvisionedThroughputExceededException', {
      operation: 'UpdateItem',
    });

    expect(r.status).toBe(400);
    expect(r.headers['content-type']).toBe('application/x-amz-json-1.0');
    expect(r.headers['x-amzn-requestid']).toMatch(/^[0-9A-F]{32}$/);
    expect(JSON.parse(r.body).__type).toBe(
      'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
    );
    expect(r.headers['content-length']).toBe(String(Buffer.byteLength(r.body)));
  });

  it('answers InternalServerError with HTTP 500', () => {
    expect(dynamoDbErrorResponse('InternalServerError', { operation: 'GetItem' }).status).toBe(500);
  });
});
