/** DynamoDB error names fast-dynamo answers with, and their `__type` namespaces as AWS sends them. */
const TYPES = {
  ValidationException: 'com.amazon.coral.validate#ValidationException',
  SerializationException: 'com.amazon.coral.service#SerializationException',
  UnknownOperationException: 'com.amazon.coral.service#UnknownOperationException',
  MissingAuthenticationTokenException:
    'com.amazon.coral.service#MissingAuthenticationTokenException',
  ResourceNotFoundException: 'com.amazonaws.dynamodb.v20120810#ResourceNotFoundException',
  ResourceInUseException: 'com.amazonaws.dynamodb.v20120810#ResourceInUseException',
  ConditionalCheckFailedException:
    'com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException',
} as const;

export type WireErrorName = keyof typeof TYPES;

/**
 * A request DynamoDB would refuse: answered with HTTP 400 and `{"__type", "message"}` in the JSON
 * 1.0 wire format, which the SDK turns into an exception of the same name.
 */
export class WireError extends Error {
  readonly type: string;

  constructor(
    readonly errorName: WireErrorName,
    message: string,
  ) {
    super(message);
    this.name = 'WireError';
    this.type = TYPES[errorName];
  }
}

/** Shorthand for the commonest refusal. */
export function validation(message: string): WireError {
  return new WireError('ValidationException', message);
}
