import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { InvalidItemValueError } from './errors';

/** `marshal`'s answer for a value DynamoDB cannot store. */
const NOT_STORABLE = Symbol('not storable');

/** A plain object (or one without prototype), the only objects stored as maps. */
function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * The AttributeValue of `value`, or NOT_STORABLE when it (or anything inside it) cannot be
 * stored. Builds no attribute paths: this runs for every attribute of every item written, and a
 * path is only needed for the message of a value that fails (`firstNotStorable`).
 */
function marshal(value: unknown): AttributeValue | typeof NOT_STORABLE {
  if (value === null) return { NULL: true };
  switch (typeof value) {
    case 'string':
      return { S: value };
    case 'boolean':
      return { BOOL: value };
    case 'number':
      return Number.isFinite(value) ? { N: String(value) } : NOT_STORABLE;
    case 'object': {
      if (Array.isArray(value)) {
        const list: AttributeValue[] = new Array(value.length);
        for (let i = 0; i < value.length; i++) {
          const v = marshal(value[i]);
          if (v === NOT_STORABLE) return NOT_STORABLE;
          list[i] = v;
        }
        return { L: list };
      }
      if (!isPlainObject(value)) return NOT_STORABLE;
      const map = marshalMap(value as Record<string, unknown>);
      return map === NOT_STORABLE ? NOT_STORABLE : { M: map };
    }
    default:
      return NOT_STORABLE;
  }
}

function marshalMap(
  record: Record<string, unknown>,
): Record<string, AttributeValue> | typeof NOT_STORABLE {
  const out: Record<string, AttributeValue> = {};
  for (const key of Object.keys(record)) {
    const v = record[key];
    if (v === undefined) continue;
    const av = marshal(v);
    if (av === NOT_STORABLE) return NOT_STORABLE;
    out[key] = av;
  }
  return out;
}

/**
 * The path and value of the first value (depth first, in key order, as `marshal` meets them)
 * that cannot be stored, or undefined when there is none.
 */
function firstNotStorable(value: unknown, path: string): [string, unknown] | undefined {
  if (value === null) return undefined;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return undefined;
    case 'number':
      return Number.isFinite(value) ? undefined : [path, value];
    case 'object':
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          const bad = firstNotStorable(value[i], `${path}[${i}]`);
          if (bad) return bad;
        }
        return undefined;
      }
      if (!isPlainObject(value)) return [path, value];
      return firstNotStorableIn(value as Record<string, unknown>, path);
    default:
      return [path, value];
  }
}

function firstNotStorableIn(
  record: Record<string, unknown>,
  path: string,
): [string, unknown] | undefined {
  for (const key of Object.keys(record)) {
    const v = record[key];
    if (v === undefined) continue;
    const bad = firstNotStorable(v, path ? `${path}.${key}` : key);
    if (bad) return bad;
  }
  return undefined;
}

function notStorable(bad: [string, unknown] | undefined, path: string): InvalidItemValueError {
  // `marshal` and `firstNotStorable` judge values alike, so `bad` is always found.
  const [where, value] = bad ?? [path, undefined];
  return new InvalidItemValueError(where, value);
}

/**
 * Marshals plain JSON-like data into a DynamoDB AttributeValue. Hand-rolled rather than
 * util-dynamodb's `marshall` because the writer only ever stores these shapes, and it lets a
 * non-finite number fail with the attribute path instead of being sent as "NaN".
 * @throws InvalidItemValueError naming the path (`path`, `path.key`, `path[i]`) and the value of
 *   the first value that cannot be stored: a non-finite number, undefined in a list, a function,
 *   a bigint, a symbol, or an object other than a plain object or array (a Date, a Map...)
 */
export function toAttributeValue(value: unknown, path: string): AttributeValue {
  const av = marshal(value);
  if (av === NOT_STORABLE) throw notStorable(firstNotStorable(value, path), path);
  return av;
}

/**
 * `toAttributeValue` for the attributes of a record. Undefined properties are dropped, matching
 * how optional fields read in TypeScript. `path` prefixes the attribute paths in errors ('' for
 * none).
 */
export function toAttributeMap(
  record: Record<string, unknown>,
  path: string,
): Record<string, AttributeValue> {
  const map = marshalMap(record);
  if (map === NOT_STORABLE) throw notStorable(firstNotStorableIn(record, path), path);
  return map;
}
