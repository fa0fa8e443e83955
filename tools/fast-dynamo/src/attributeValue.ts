import { validation } from './wireError';

/** An AttributeValue as it travels in the JSON protocol (`{"S": "x"}`, `{"M": {...}}`, ...). */
export type Wire = Record<string, unknown>;
export type WireItem = Record<string, Wire>;

const TYPES = new Set(['S', 'N', 'B', 'BOOL', 'NULL', 'M', 'L', 'SS', 'NS', 'BS']);
/** DynamoDB's number syntax: up to 38 significant digits, exponent within range (not checked). */
const NUMBER = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;

/**
 * Checks that `v` is one well-formed AttributeValue (recursing into M and L) and throws a
 * ValidationException worded like DynamoDB's otherwise. `path` names the attribute in messages.
 */
export function checkAttributeValue(v: unknown, path: string): asserts v is Wire {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    throw validation(`Supplied AttributeValue for ${path} is not an object`);
  }
  const keys = Object.keys(v);
  if (keys.length === 0) {
    throw validation(
      `Supplied AttributeValue for ${path} is empty, must contain exactly one of the supported datatypes`,
    );
  }
  if (keys.length > 1) {
    throw validation(
      `Supplied AttributeValue for ${path} has more than one datatypes set, must contain exactly one of the supported datatypes`,
    );
  }
  const type = keys[0];
  const value = (v as Wire)[type];
  const bad = (expected: string) =>
    validation(
      `Supplied AttributeValue for ${path} has ${type} ${JSON.stringify(value)} (expected ${expected})`,
    );
  switch (type) {
    case 'S':
    case 'B':
      if (typeof value !== 'string') throw bad('a string');
      return;
    case 'N':
      if (typeof value !== 'string' || !NUMBER.test(value)) throw bad('a number as a string');
      return;
    case 'BOOL':
      if (typeof value !== 'boolean') throw bad('a boolean');
      return;
    case 'NULL':
      if (value !== true) throw bad('true');
      return;
    case 'M':
      if (value === null || typeof value !== 'object' || Array.isArray(value)) throw bad('a map');
      for (const [k, inner] of Object.entries(value)) checkAttributeValue(inner, `${path}.${k}`);
      return;
    case 'L':
      if (!Array.isArray(value)) throw bad('a list');
      value.forEach((inner, i) => checkAttributeValue(inner, `${path}[${i}]`));
      return;
    case 'SS':
    case 'NS':
    case 'BS': {
      if (!Array.isArray(value) || value.length === 0) throw bad('a non-empty set');
      if (value.some((s) => typeof s !== 'string' || (type === 'NS' && !NUMBER.test(s)))) {
        throw bad(type === 'NS' ? 'numbers as strings' : 'strings');
      }
      if (new Set(value).size !== value.length) {
        throw validation(`Input collection for ${path} contains duplicates`);
      }
      return;
    }
    default:
      throw validation(
        `Supplied AttributeValue for ${path} has unknown datatype ${type} (expected one of ${[...TYPES].join(', ')})`,
      );
  }
}

/** Checks every attribute of an item (or key) as sent by a client. */
export function checkItem(item: unknown, what: string): asserts item is WireItem {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) {
    throw validation(`${what} is missing or not a map`);
  }
  for (const [name, v] of Object.entries(item)) checkAttributeValue(v, name);
}

/** The single type tag of a well-formed AttributeValue. */
export function typeOf(v: Wire): string {
  for (const k in v) return k;
  return '';
}
