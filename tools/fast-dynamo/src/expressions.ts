import { typeOf } from './attributeValue';
import type { Wire, WireItem } from './attributeValue';
import type { WireError } from './wireError';
import { validation } from './wireError';

/**
 * The subset of DynamoDB's expression language the forecast writer uses, parsed once per distinct
 * expression text and evaluated against an item:
 * - update: `SET a = v, b = if_not_exists(b, v)` and `REMOVE a, b` (top-level attributes only);
 * - condition: `attribute_exists(a)`, `attribute_not_exists(a)`, `=`, `<>`, `<`, `<=`, `>`, `>=`,
 *   `AND`, `OR`, `NOT` and parentheses;
 * - projection: `a, b, c`.
 * Operands are `#name` placeholders, `:value` placeholders or plain attribute names. Anything
 * else (nested paths, ADD, DELETE, arithmetic, other functions) is refused with a
 * ValidationException that says fast-dynamo does not support it, never silently misread.
 */

type Token = { kind: 'name' | 'value' | 'word' | 'punct'; text: string };

export type Operand = { kind: 'path'; name: string } | { kind: 'value'; ref: string };

export type Condition =
  | { kind: 'exists'; name: string; exists: boolean }
  | { kind: 'compare'; op: string; left: Operand; right: Operand }
  | { kind: 'and' | 'or'; left: Condition; right: Condition }
  | { kind: 'not'; inner: Condition };

export type SetValue =
  { kind: 'operand'; operand: Operand } | { kind: 'ifNotExists'; name: string; operand: Operand };

export interface Update {
  set: { name: string; value: SetValue }[];
  remove: string[];
}

/** Placeholders an expression used, so unused ones can be refused as DynamoDB does. */
export interface Used {
  names: Set<string>;
  values: Set<string>;
}

const TOKEN =
  /\s*(?:(#[A-Za-z0-9_]+)|(:[A-Za-z0-9_]+)|([A-Za-z_][A-Za-z0-9_]*)|(<=|>=|<>|[=<>(),.[\]+-]))/y;

function tokenize(text: string, what: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  let at = 0;
  while (at < text.length) {
    if (/^\s*$/.test(text.slice(at))) break;
    TOKEN.lastIndex = at;
    const m = TOKEN.exec(text);
    if (!m) {
      throw validation(
        `Invalid ${what}: Syntax error; token: "${text.slice(at).trim().slice(0, 10)}", near: "${text.slice(Math.max(0, at - 5), at + 10)}"`,
      );
    }
    at = TOKEN.lastIndex;
    if (m[1]) tokens.push({ kind: 'name', text: m[1] });
    else if (m[2]) tokens.push({ kind: 'value', text: m[2] });
    else if (m[3]) tokens.push({ kind: 'word', text: m[3] });
    else tokens.push({ kind: 'punct', text: m[4] });
  }
  return tokens;
}

class Parser {
  private i = 0;
  readonly used: Used = { names: new Set(), values: new Set() };

  constructor(
    private readonly tokens: Token[],
    private readonly what: string,
  ) {}

  peek(): Token | undefined {
    return this.tokens[this.i];
  }

  atEnd(): boolean {
    return this.i >= this.tokens.length;
  }

  next(): Token {
    const t = this.tokens[this.i++];
    if (!t) throw validation(`Invalid ${this.what}: Syntax error; token: <EOF>`);
    return t;
  }

  isWord(word: string): boolean {
    const t = this.peek();
    return t?.kind === 'word' && t.text.toUpperCase() === word;
  }

  isPunct(p: string): boolean {
    const t = this.peek();
    return t?.kind === 'punct' && t.text === p;
  }

  expectPunct(p: string): void {
    const t = this.next();
    if (t.kind !== 'punct' || t.text !== p) {
      throw validation(`Invalid ${this.what}: Syntax error; token: "${t.text}" (expected "${p}")`);
    }
  }

  unsupported(feature: string): WireError {
    return validation(
      `Invalid ${this.what}: fast-dynamo does not support ${feature} (a benchmark endpoint implements only what the forecast writer sends)`,
    );
  }

  /** A top-level attribute: `#name` or a plain name (nested paths are refused). */
  path(): string {
    const t = this.next();
    let name: string;
    if (t.kind === 'name') {
      this.used.names.add(t.text);
      name = t.text;
    } else if (t.kind === 'word') {
      name = `=${t.text}`;
    } else {
      throw validation(
        `Invalid ${this.what}: Syntax error; token: "${t.text}" (expected an attribute)`,
      );
    }
    if (this.isPunct('.') || this.isPunct('[')) throw this.unsupported('nested document paths');
    return name;
  }

  operand(): Operand {
    const t = this.peek();
    if (t?.kind === 'value') {
      this.i++;
      this.used.values.add(t.text);
      return { kind: 'value', ref: t.text };
    }
    if (t?.kind === 'word' && this.tokens[this.i + 1]?.text === '(') {
      throw this.unsupported(`the function ${t.text}`);
    }
    return { kind: 'path', name: this.path() };
  }

  condition(): Condition {
    let left = this.conjunction();
    while (this.isWord('OR')) {
      this.i++;
      left = { kind: 'or', left, right: this.conjunction() };
    }
    return left;
  }

  conjunction(): Condition {
    let left = this.negation();
    while (this.isWord('AND')) {
      this.i++;
      left = { kind: 'and', left, right: this.negation() };
    }
    return left;
  }

  negation(): Condition {
    if (this.isWord('NOT')) {
      this.i++;
      return { kind: 'not', inner: this.negation() };
    }
    return this.primary();
  }

  primary(): Condition {
    if (this.isPunct('(')) {
      this.i++;
      const inner = this.condition();
      this.expectPunct(')');
      return inner;
    }
    const t = this.peek();
    if (t?.kind === 'word' && this.tokens[this.i + 1]?.text === '(') {
      const fn = t.text;
      if (fn !== 'attribute_exists' && fn !== 'attribute_not_exists') {
        throw this.unsupported(`the function ${fn}`);
      }
      this.i += 2;
      const name = this.path();
      this.expectPunct(')');
      return { kind: 'exists', name, exists: fn === 'attribute_exists' };
    }
    const left = this.operand();
    const op = this.next();
    if (op.kind === 'word' && ['BETWEEN', 'IN'].includes(op.text.toUpperCase())) {
      throw this.unsupported(op.text.toUpperCase());
    }
    if (op.kind !== 'punct' || !['=', '<>', '<', '<=', '>', '>='].includes(op.text)) {
      throw validation(
        `Invalid ${this.what}: Syntax error; token: "${op.text}" (expected a comparator)`,
      );
    }
    return { kind: 'compare', op: op.text, left, right: this.operand() };
  }

  update(): Update {
    const update: Update = { set: [], remove: [] };
    const seen = new Set<string>();
    const claimed = new Set<string>();
    const claim = (name: string) => {
      if (claimed.has(name)) {
        throw validation(
          `Invalid ${this.what}: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [${name}], path two: [${name}]`,
        );
      }
      claimed.add(name);
    };
    while (!this.atEnd()) {
      const t = this.next();
      const clause = t.kind === 'word' ? t.text.toUpperCase() : t.text;
      if (clause === 'ADD' || clause === 'DELETE') throw this.unsupported(clause);
      if (clause !== 'SET' && clause !== 'REMOVE') {
        throw validation(
          `Invalid ${this.what}: Syntax error; token: "${t.text}", near: "${t.text}"`,
        );
      }
      if (seen.has(clause)) {
        throw validation(
          `Invalid ${this.what}: The "${clause}" section can only be used once in an update expression;`,
        );
      }
      seen.add(clause);
      do {
        if (clause === 'REMOVE') {
          const name = this.path();
          claim(name);
          update.remove.push(name);
        } else {
          const name = this.path();
          claim(name);
          this.expectPunct('=');
          update.set.push({ name, value: this.setValue() });
          if (this.isPunct('+') || this.isPunct('-')) throw this.unsupported('arithmetic in SET');
        }
      } while (this.isPunct(',') && this.i++ >= 0);
    }
    if (seen.size === 0) throw validation(`Invalid ${this.what}: The expression can not be empty;`);
    return update;
  }

  setValue(): SetValue {
    const t = this.peek();
    if (t?.kind === 'word' && t.text === 'if_not_exists') {
      this.i++;
      this.expectPunct('(');
      const name = this.path();
      this.expectPunct(',');
      const operand = this.operand();
      this.expectPunct(')');
      return { kind: 'ifNotExists', name, operand };
    }
    return { kind: 'operand', operand: this.operand() };
  }

  projection(): string[] {
    const names: string[] = [];
    do names.push(this.path());
    while (this.isPunct(',') && this.i++ >= 0);
    return names;
  }

  done(): void {
    const t = this.peek();
    if (t) throw validation(`Invalid ${this.what}: Syntax error; token: "${t.text}"`);
  }
}

/** Parsed expressions by text: the writer sends a handful of distinct texts, so each is parsed once. */
const cache = new Map<string, { parsed: unknown; used: Used }>();
const CACHE_LIMIT = 10_000;

function parseCached<T>(
  text: string,
  what: string,
  rule: (p: Parser) => T,
): { parsed: T; used: Used } {
  const key = `${what}\u0000${text}`;
  const hit = cache.get(key);
  if (hit) return hit as { parsed: T; used: Used };
  const p = new Parser(tokenize(text, what), what);
  const parsed = rule(p);
  p.done();
  if (cache.size >= CACHE_LIMIT) cache.clear();
  const entry = { parsed, used: p.used };
  cache.set(key, entry);
  return entry;
}

export function parseUpdate(text: string): { parsed: Update; used: Used } {
  return parseCached(text, 'UpdateExpression', (p) => p.update());
}

export function parseCondition(text: string): { parsed: Condition; used: Used } {
  return parseCached(text, 'ConditionExpression', (p) => p.condition());
}

export function parseProjection(text: string): { parsed: string[]; used: Used } {
  return parseCached(text, 'ProjectionExpression', (p) => p.projection());
}

/** Placeholders of a request, resolved; `#x` names and `:x` values must be defined and used. */
export class Placeholders {
  constructor(
    private readonly names: Record<string, string> = {},
    private readonly values: Record<string, Wire> = {},
  ) {}

  /** `#x` to its attribute name; plain names (stored as `=name`) to themselves. */
  name(ref: string): string {
    if (ref.startsWith('=')) return ref.slice(1);
    const name = this.names[ref];
    if (name === undefined) {
      throw validation(
        `Value provided in ExpressionAttributeNames unused or undefined; An expression attribute name used in the document path is not defined; attribute name: ${ref}`,
      );
    }
    return name;
  }

  value(ref: string): Wire {
    const v = this.values[ref];
    if (v === undefined) {
      throw validation(
        `Invalid expression: An expression attribute value used in expression is not defined; attribute value: ${ref}`,
      );
    }
    return v;
  }

  /** DynamoDB refuses placeholders that an expression uses but the request does not define, and
   * ones that no expression of the request used. */
  check(used: Used[]): void {
    for (const u of used) {
      for (const n of u.names) this.name(n);
      for (const v of u.values) this.value(v);
    }
    const names = Object.keys(this.names).filter((n) => !used.some((u) => u.names.has(n)));
    if (names.length > 0) {
      throw validation(
        `Value provided in ExpressionAttributeNames unused in expressions: keys: {${names.join(', ')}}`,
      );
    }
    const values = Object.keys(this.values).filter((v) => !used.some((u) => u.values.has(v)));
    if (values.length > 0) {
      throw validation(
        `Value provided in ExpressionAttributeValues unused in expressions: keys: {${values.join(', ')}}`,
      );
    }
  }
}

function operandValue(o: Operand, item: WireItem | undefined, ph: Placeholders): Wire | undefined {
  return o.kind === 'value' ? ph.value(o.ref) : item?.[ph.name(o.name)];
}

/** Orders two values of one scalar type as DynamoDB does (numbers numerically, strings by UTF-8 bytes). */
function compareScalars(a: Wire, b: Wire): number | undefined {
  const ta = typeOf(a);
  if (ta !== typeOf(b)) return undefined;
  if (ta === 'N') return Math.sign(Number(a.N) - Number(b.N));
  if (ta === 'S' || ta === 'B') {
    return Buffer.compare(Buffer.from(a[ta] as string), Buffer.from(b[ta] as string));
  }
  return undefined;
}

export function evaluateCondition(
  c: Condition,
  item: WireItem | undefined,
  ph: Placeholders,
): boolean {
  switch (c.kind) {
    case 'exists':
      return (item?.[ph.name(c.name)] !== undefined) === c.exists;
    case 'and':
      return evaluateCondition(c.left, item, ph) && evaluateCondition(c.right, item, ph);
    case 'or':
      return evaluateCondition(c.left, item, ph) || evaluateCondition(c.right, item, ph);
    case 'not':
      return !evaluateCondition(c.inner, item, ph);
    case 'compare': {
      const a = operandValue(c.left, item, ph);
      const b = operandValue(c.right, item, ph);
      if (a === undefined || b === undefined)
        return c.op === '<>' && (a === undefined) !== (b === undefined);
      if (c.op === '=' || c.op === '<>') {
        const order = compareScalars(a, b);
        const equal = order === undefined ? JSON.stringify(a) === JSON.stringify(b) : order === 0;
        return c.op === '=' ? equal : !equal;
      }
      const order = compareScalars(a, b);
      if (order === undefined) return false;
      if (c.op === '<') return order < 0;
      if (c.op === '<=') return order <= 0;
      if (c.op === '>') return order > 0;
      return order >= 0;
    }
  }
}

/**
 * Applies an update to a copy of `item` (undefined: a new item holding only the key) and returns
 * the new item. Key attributes may not be changed.
 */
export function applyUpdate(
  u: Update,
  item: WireItem | undefined,
  key: WireItem,
  keyNames: readonly string[],
  ph: Placeholders,
): WireItem {
  const out: WireItem = { ...(item ?? key) };
  for (const { name: ref, value } of u.set) {
    const name = ph.name(ref);
    if (keyNames.includes(name)) {
      throw validation(
        `One or more parameter values were invalid: Cannot update attribute ${name}. This attribute is part of the key`,
      );
    }
    if (value.kind === 'ifNotExists') {
      const existing = item?.[ph.name(value.name)];
      out[name] = existing ?? (operandValue(value.operand, item, ph) as Wire);
    } else {
      const v = operandValue(value.operand, item, ph);
      if (v === undefined) {
        throw validation(
          'The provided expression refers to an attribute that does not exist in the item',
        );
      }
      out[name] = v;
    }
  }
  for (const ref of u.remove) {
    const name = ph.name(ref);
    if (keyNames.includes(name)) {
      throw validation(
        `One or more parameter values were invalid: Cannot update attribute ${name}. This attribute is part of the key`,
      );
    }
    delete out[name];
  }
  return out;
}
