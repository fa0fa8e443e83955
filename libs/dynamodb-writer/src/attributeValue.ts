import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { InvalidItemValueError } from './errors';

/**
 * Marshals plain JSON-like data into a DynamoDB AttributeValue. Hand-rolled rather than
 * util-dynamodb's `marshall` because the writer only ever stores these shapes, and it lets a
 * non-finite number fail with the attribute path instead of being sent as "NaN".
 */
export function toAttributeValue(value: unknown, path: string): AttributeValue {
  if (value === null) return { NULL: true };
  switch (typeof value) {
    case 'string':
      return { S: value };
    case 'boolean':
      return { BOOL: value };
    case 'number':
      if (!Number.isFinite(value)) throw new InvalidItemValueError(path, value);
      return { N: String(value) };
    case 'object': {
      if (Array.isArray(value)) {
        return { L: value.map((v, i) => toAttributeValue(v, `${path}[${i}]`)) };
      }
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null)
        throw new InvalidItemValueError(path, value);
      return { M: toAttributeMap(value as Record<string, unknown>, path) };
    }
    default:
      throw new InvalidItemValueError(path, value);
  }
}

/** Undefined properties are dropped, matching how optional fields read in TypeScript. */
export function toAttributeMap(
  record: Record<string, unknown>,
  path: string,
): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  for (const [key, v] of Object.entries(record)) {
    if (v === undefined) continue;
    out[key] = toAttributeValue(v, path ? `${path}.${key}` : key);
  }
  return out;
}
