import type { AttributeValue } from '@aws-sdk/client-dynamodb';

/** The attribute every inventory item is keyed by. */
export const KEY_ATTRIBUTE = 'product_id';
/** DynamoDB's limit on a partition key value, in UTF-8 bytes (not characters). */
export const MAX_PARTITION_KEY_BYTES = 2048;

/** How the table stores product_id: a String, or a Number when the table says N. */
export type KeyType = 'S' | 'N';

/**
 * Why `id` cannot be a partition key value, or undefined when it can. Checked before any call, so
 * one bad id fails alone instead of failing the batched read it would be part of (and because
 * local emulators count characters where DynamoDB counts bytes).
 */
export function productKeyProblem(id: unknown): string | undefined {
  if (typeof id !== 'string' || id === '') {
    return `productId ${JSON.stringify(id)} is not allowed (expected a non-empty string)`;
  }
  const bytes = Buffer.byteLength(id, 'utf8');
  if (bytes > MAX_PARTITION_KEY_BYTES) {
    return (
      `productId "${id.slice(0, 24)}…" is ${bytes} bytes long in UTF-8 (${id.length} characters); ` +
      `DynamoDB allows at most ${MAX_PARTITION_KEY_BYTES} bytes in a partition key`
    );
  }
  return undefined;
}

/**
 * A product id DynamoDB stores unchanged as a Number (`007` or `1.50` would come back as `7` and
 * `1.5`, so they do not count): an optional minus, no leading zeros, at most 38 digits.
 */
export function isCanonicalNumber(id: string): boolean {
  return /^-?(0|[1-9]\d*)(\.\d*[1-9])?$/.test(id) && id.replace(/[-.]/g, '').length <= 38;
}

export function keyOf(id: string, keyType: KeyType): Record<string, AttributeValue> {
  return { [KEY_ATTRIBUTE]: keyType === 'N' ? { N: id } : { S: id } };
}

/** The product id of an item or key read back from the table. */
export function idOfKey(key: Record<string, AttributeValue> | undefined): string | undefined {
  const v = key?.[KEY_ATTRIBUTE];
  return v?.S ?? v?.N;
}
