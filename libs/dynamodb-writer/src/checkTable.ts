import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { classifyError, endpointOf, regionOf } from './classifyError';
import {
  DynamoDbAccessDeniedError,
  DynamoDbUnreachableError,
  KeySchemaMismatchError,
  TableNotFoundError,
} from './errors';
import { isCanonicalNumber, KEY_ATTRIBUTE } from './productKey';
import type { KeyType } from './productKey';

/**
 * One DescribeTable before anything is read or written: the table must exist, be reachable with
 * these credentials, and be keyed by product_id alone (a String, or a Number when every id is a
 * number). Anything else is a configuration error (exit 2) raised once, instead of the same
 * error for every product.
 */
export async function checkTable(
  client: DynamoDBClient,
  tableName: string,
  productIds: readonly string[],
): Promise<KeyType> {
  let table;
  try {
    ({ Table: table } = await client.send(new DescribeTableCommand({ TableName: tableName })));
  } catch (err) {
    switch (classifyError(err)) {
      case 'notFound':
        throw new TableNotFoundError(tableName, await regionOf(client), { cause: err });
      case 'denied':
        throw new DynamoDbAccessDeniedError('DescribeTable', tableName, { cause: err });
      case 'unreachable':
        throw new DynamoDbUnreachableError(await endpointOf(client), { cause: err });
      default:
        throw err;
    }
  }
  const keys = table?.KeySchema ?? [];
  const hash = keys.find((k) => k.KeyType === 'HASH')?.AttributeName;
  const type = table?.AttributeDefinitions?.find((d) => d.AttributeName === hash)?.AttributeType;
  const describe = keys
    .map((k) => {
      const t = table?.AttributeDefinitions?.find((d) => d.AttributeName === k.AttributeName);
      return `${k.AttributeName} (${k.KeyType}, ${t?.AttributeType ?? '?'})`;
    })
    .join(', ');
  const expected = `expected partition key ${KEY_ATTRIBUTE} of type S or N and no sort key`;
  if (hash !== KEY_ATTRIBUTE || keys.length !== 1 || (type !== 'S' && type !== 'N')) {
    throw new KeySchemaMismatchError(
      `table "${tableName}" is keyed by ${describe || '(no key schema)'}; ${expected}`,
    );
  }
  if (type === 'N') {
    const notNumbers = productIds.filter((id) => !isCanonicalNumber(id));
    if (notNumbers.length > 0) {
      const shown = notNumbers.slice(0, 5).map((id) => JSON.stringify(id.slice(0, 40)));
      throw new KeySchemaMismatchError(
        `table "${tableName}" has a Number partition key ${KEY_ATTRIBUTE} but ${notNumbers.length} ` +
          `product id(s) are not plain numbers: ${shown.join(', ')}${notNumbers.length > 5 ? ', …' : ''}`,
      );
    }
  }
  return type;
}
