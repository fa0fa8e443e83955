import { checkAttributeValue, checkItem, typeOf } from './attributeValue';
import type { Wire, WireItem } from './attributeValue';
import {
  applyUpdate,
  evaluateCondition,
  parseCondition,
  parseProjection,
  parseUpdate,
  Placeholders,
} from './expressions';
import type { Used } from './expressions';
import { validation, WireError } from './wireError';

/** DynamoDB's limits that the writer relies on being enforced. */
const MAX_HASH_KEY_BYTES = 2048;
const MAX_RANGE_KEY_BYTES = 1024;
const BATCH_GET_LIMIT = 100;
const BATCH_WRITE_LIMIT = 25;

interface KeyElement {
  AttributeName: string;
  KeyType: 'HASH' | 'RANGE';
}

interface Table {
  name: string;
  keySchema: KeyElement[];
  attributeDefinitions: { AttributeName: string; AttributeType: string }[];
  /** Attribute name -> S | N | B, for the key attributes. */
  keyTypes: Map<string, string>;
  created: number;
  items: Map<string, WireItem>;
}

type Body = Record<string, unknown>;

const REGION = 'us-east-1';
const ACCOUNT = '000000000000';

/**
 * The in-memory tables and the operations on them, request body in, response body out (both the
 * parsed JSON of the wire protocol). Throws `WireError` for anything DynamoDB would refuse.
 */
export class Store {
  private readonly tables = new Map<string, Table>();

  handle(operation: string, body: Body): unknown {
    switch (operation) {
      case 'CreateTable':
        return this.createTable(body);
      case 'DescribeTable':
        return { Table: describe(this.table(body.TableName)) };
      case 'DeleteTable': {
        const t = this.table(body.TableName);
        this.tables.delete(t.name);
        return { TableDescription: describe(t) };
      }
      case 'GetItem':
        return this.getItem(body);
      case 'PutItem':
        return this.putItem(body);
      case 'UpdateItem':
        return this.updateItem(body);
      case 'BatchGetItem':
        return this.batchGetItem(body);
      case 'BatchWriteItem':
        return this.batchWriteItem(body);
      default:
        throw new WireError(
          'UnknownOperationException',
          `fast-dynamo does not implement ${operation} (a benchmark endpoint, not an emulator)`,
        );
    }
  }

  /** The stored item for a key, for tests; undefined when absent. */
  item(tableName: string, key: WireItem): WireItem | undefined {
    const t = this.table(tableName);
    return t.items.get(keyString(t, key));
  }

  private table(name: unknown): Table {
    if (typeof name !== 'string' || name === '') {
      throw validation(
        `TableName ${JSON.stringify(name)} is not valid (expected a non-empty string)`,
      );
    }
    const t = this.tables.get(name);
    if (!t) {
      throw new WireError(
        'ResourceNotFoundException',
        `Requested resource not found: Table: ${name} not found`,
      );
    }
    return t;
  }

  private createTable(body: Body): unknown {
    const name = body.TableName;
    if (typeof name !== 'string' || !/^[a-zA-Z0-9_.-]{3,255}$/.test(name)) {
      throw validation(
        `TableName ${JSON.stringify(name)} is not valid (expected 3-255 of [a-zA-Z0-9_.-])`,
      );
    }
    if (this.tables.has(name)) {
      throw new WireError('ResourceInUseException', `Table already exists: ${name}`);
    }
    const keySchema = body.KeySchema as KeyElement[] | undefined;
    const defs = body.AttributeDefinitions as Table['attributeDefinitions'] | undefined;
    if (!Array.isArray(keySchema) || !Array.isArray(defs)) {
      throw validation('KeySchema and AttributeDefinitions are required');
    }
    const hash = keySchema.filter((k) => k.KeyType === 'HASH');
    const range = keySchema.filter((k) => k.KeyType === 'RANGE');
    if (hash.length !== 1 || range.length > 1 || keySchema.length !== hash.length + range.length) {
      throw validation('Invalid KeySchema: exactly one HASH and at most one RANGE key are allowed');
    }
    const keyTypes = new Map<string, string>();
    for (const k of keySchema) {
      const def = defs.find((d) => d.AttributeName === k.AttributeName);
      if (!def || !['S', 'N', 'B'].includes(def.AttributeType)) {
        throw validation(
          `One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [${k.AttributeName}]`,
        );
      }
      keyTypes.set(k.AttributeName, def.AttributeType);
    }
    const table: Table = {
      name,
      keySchema: [...hash, ...range],
      attributeDefinitions: defs,
      keyTypes,
      created: Date.now() / 1000,
      items: new Map(),
    };
    this.tables.set(name, table);
    return { TableDescription: describe(table) };
  }

  private getItem(body: Body): unknown {
    const t = this.table(body.TableName);
    const key = checkKey(t, body.Key);
    const project = projector(body.ProjectionExpression, body.ExpressionAttributeNames);
    const item = t.items.get(keyString(t, key));
    return item ? { Item: project(item) } : {};
  }

  private putItem(body: Body): unknown {
    const t = this.table(body.TableName);
    if (body.ConditionExpression !== undefined) {
      throw validation('fast-dynamo does not support ConditionExpression on PutItem');
    }
    const item = body.Item;
    checkItem(item, 'Item');
    const key = checkKey(t, pick(item, t));
    t.items.set(keyString(t, key), item);
    return {};
  }

  private updateItem(body: Body): unknown {
    const t = this.table(body.TableName);
    const key = checkKey(t, body.Key);
    const ph = placeholders(body.ExpressionAttributeNames, body.ExpressionAttributeValues);
    const used: Used[] = [];
    const update =
      body.UpdateExpression === undefined
        ? undefined
        : parseUpdate(text(body.UpdateExpression, 'UpdateExpression'));
    if (update) used.push(update.used);
    const condition =
      body.ConditionExpression === undefined
        ? undefined
        : parseCondition(text(body.ConditionExpression, 'ConditionExpression'));
    if (condition) used.push(condition.used);
    ph.check(used);
    const returnValues = body.ReturnValues ?? 'NONE';
    if (returnValues !== 'NONE' && returnValues !== 'ALL_NEW' && returnValues !== 'ALL_OLD') {
      throw validation(`fast-dynamo does not support ReturnValues ${String(returnValues)}`);
    }

    const k = keyString(t, key);
    const old = t.items.get(k);
    if (condition && !evaluateCondition(condition.parsed, old, ph)) {
      throw new WireError('ConditionalCheckFailedException', 'The conditional request failed');
    }
    const next = update
      ? applyUpdate(update.parsed, old, key, [...t.keyTypes.keys()], ph)
      : { ...(old ?? key) };
    t.items.set(k, next);
    if (returnValues === 'ALL_NEW') return { Attributes: next };
    if (returnValues === 'ALL_OLD') return old ? { Attributes: old } : {};
    return {};
  }

  private batchGetItem(body: Body): unknown {
    const requests = body.RequestItems;
    if (requests === null || typeof requests !== 'object' || Object.keys(requests).length === 0) {
      throw validation('RequestItems is missing or empty');
    }
    const responses: Record<string, WireItem[]> = {};
    let total = 0;
    for (const [name, request] of Object.entries(requests as Record<string, Body>)) {
      const t = this.table(name);
      const keys = request?.Keys;
      if (!Array.isArray(keys) || keys.length === 0) {
        throw validation(`RequestItems.${name}.Keys is missing or empty`);
      }
      total += keys.length;
      if (total > BATCH_GET_LIMIT) {
        throw validation(
          `Too many items requested for the BatchGetItem call (at most ${BATCH_GET_LIMIT})`,
        );
      }
      const project = projector(request.ProjectionExpression, request.ExpressionAttributeNames);
      const seen = new Set<string>();
      const out: WireItem[] = [];
      for (const raw of keys) {
        const k = keyString(t, checkKey(t, raw));
        if (seen.has(k)) throw validation('Provided list of item keys contains duplicates');
        seen.add(k);
        const item = t.items.get(k);
        if (item) out.push(project(item));
      }
      responses[name] = out;
    }
    return { Responses: responses, UnprocessedKeys: {} };
  }

  private batchWriteItem(body: Body): unknown {
    const requests = body.RequestItems;
    if (requests === null || typeof requests !== 'object' || Object.keys(requests).length === 0) {
      throw validation('RequestItems is missing or empty');
    }
    const writes: (() => void)[] = [];
    let total = 0;
    for (const [name, list] of Object.entries(requests as Record<string, Body[]>)) {
      const t = this.table(name);
      if (!Array.isArray(list) || list.length === 0) {
        throw validation(`RequestItems.${name} is missing or empty`);
      }
      total += list.length;
      if (total > BATCH_WRITE_LIMIT) {
        throw validation(
          `Too many items requested for the BatchWriteItem call (at most ${BATCH_WRITE_LIMIT})`,
        );
      }
      for (const request of list) {
        const put = (request?.PutRequest as Body | undefined)?.Item;
        const del = (request?.DeleteRequest as Body | undefined)?.Key;
        if (put !== undefined) {
          checkItem(put, 'PutRequest.Item');
          const k = keyString(t, checkKey(t, pick(put, t)));
          writes.push(() => t.items.set(k, put));
        } else if (del !== undefined) {
          const k = keyString(t, checkKey(t, del));
          writes.push(() => t.items.delete(k));
        } else {
          throw validation('A WriteRequest must have a PutRequest or a DeleteRequest');
        }
      }
    }
    // All checked before any is applied, as DynamoDB refuses the whole call.
    for (const w of writes) w();
    return { UnprocessedItems: {} };
  }
}

function describe(t: Table): unknown {
  return {
    TableName: t.name,
    TableStatus: 'ACTIVE',
    KeySchema: t.keySchema,
    AttributeDefinitions: t.attributeDefinitions,
    CreationDateTime: t.created,
    ItemCount: t.items.size,
    TableArn: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${t.name}`,
    BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' },
  };
}

function text(v: unknown, what: string): string {
  if (typeof v !== 'string' || v.trim() === '') {
    throw validation(`Invalid ${what}: The expression can not be empty;`);
  }
  return v;
}

function placeholders(names: unknown, values: unknown): Placeholders {
  if (names !== undefined && (names === null || typeof names !== 'object')) {
    throw validation('ExpressionAttributeNames must be a map');
  }
  if (values !== undefined) {
    if (values === null || typeof values !== 'object') {
      throw validation('ExpressionAttributeValues must be a map');
    }
    for (const [ref, v] of Object.entries(values)) checkAttributeValue(v, ref);
  }
  return new Placeholders(names as Record<string, string>, values as Record<string, Wire>);
}

function projector(expression: unknown, names: unknown): (item: WireItem) => WireItem {
  if (expression === undefined) {
    if (names !== undefined) {
      throw validation('ExpressionAttributeNames can only be specified when using expressions');
    }
    return (item) => item;
  }
  const { parsed, used } = parseProjection(text(expression, 'ProjectionExpression'));
  const ph = placeholders(names, undefined);
  ph.check([used]);
  const attributes = parsed.map((ref) => ph.name(ref));
  return (item) => {
    const out: WireItem = {};
    for (const a of attributes) if (item[a] !== undefined) out[a] = item[a];
    return out;
  };
}

/** The key attributes of a full item. */
function pick(item: WireItem, t: Table): WireItem {
  const key: WireItem = {};
  for (const name of t.keyTypes.keys()) {
    if (item[name] === undefined) {
      throw validation(
        `One or more parameter values were invalid: Missing the key ${name} in the item`,
      );
    }
    key[name] = item[name];
  }
  return key;
}

/** A key must name exactly the table's key attributes, with their types, non-empty and within size. */
function checkKey(t: Table, key: unknown): WireItem {
  checkItem(key, 'Key');
  const names = Object.keys(key);
  if (names.length !== t.keyTypes.size || names.some((n) => !t.keyTypes.has(n))) {
    throw validation('The provided key element does not match the schema');
  }
  for (const [name, type] of t.keyTypes) {
    const v = key[name];
    if (typeOf(v) !== type) throw validation('The provided key element does not match the schema');
    const raw = v[type] as string;
    if (raw === '') {
      throw validation(
        `One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: ${name}`,
      );
    }
    const isHash = t.keySchema[0].AttributeName === name;
    const limit = isHash ? MAX_HASH_KEY_BYTES : MAX_RANGE_KEY_BYTES;
    if (Buffer.byteLength(raw, type === 'B' ? 'base64' : 'utf8') > limit) {
      throw validation(
        `One or more parameter values were invalid: Size of ${isHash ? 'hashkey' : 'rangekey'} has exceeded the maximum size limit of ${limit} bytes`,
      );
    }
  }
  return key;
}

function keyString(t: Table, key: WireItem): string {
  let s = '';
  for (const [name, type] of t.keyTypes) {
    const raw = key[name][type] as string;
    // Numbers are one item whatever their spelling (7, 7.0, 7e0).
    s += `${type === 'N' ? String(Number(raw)) : raw}\u0000`;
  }
  return s;
}
