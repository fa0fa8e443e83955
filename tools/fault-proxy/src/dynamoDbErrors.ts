import { randomUUID } from 'node:crypto';
import type { DynamoDbErrorName } from './types';

/** `__type` namespaces and messages as DynamoDB sends them. */
const ERRORS: Record<DynamoDbErrorName, { type: string; status: number; message: string }> = {
  ProvisionedThroughputExceededException: {
    type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
    status: 400,
    message:
      'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.',
  },
  ThrottlingException: {
    type: 'com.amazon.coral.availability#ThrottlingException',
    status: 400,
    message: 'Rate of requests exceeds the allowed throughput.',
  },
  AccessDeniedException: {
    type: 'com.amazon.coral.service#AccessDeniedException',
    status: 400,
    message:
      'User: arn:aws:sts::123456789012:assumed-role/read-only/i-0 is not authorized to perform: dynamodb:{op} on resource: {table} because no identity-based policy allows the dynamodb:{op} action',
  },
  ValidationException: {
    type: 'com.amazon.coral.validate#ValidationException',
    status: 400,
    message: 'One or more parameter values were invalid',
  },
  InternalServerError: {
    type: 'com.amazonaws.dynamodb.v20120810#InternalServerError',
    status: 500,
    message: 'Internal server error',
  },
};

export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** A DynamoDB error response in the JSON 1.0 wire format the SDK parses. */
export function dynamoDbErrorResponse(
  name: DynamoDbErrorName,
  context: { operation: string; table?: string; message?: string },
): WireResponse {
  const spec = ERRORS[name];
  const message = (context.message ?? spec.message)
    .replaceAll('{op}', context.operation)
    .replaceAll('{table}', `arn:aws:dynamodb:us-east-1:123456789012:table/${context.table ?? '*'}`);
  const body = JSON.stringify({ __type: spec.type, message });
  return {
    status: spec.status,
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amzn-requestid': randomUUID().replaceAll('-', '').toUpperCase(),
      'content-length': String(Buffer.byteLength(body)),
    },
    body,
  };
}
