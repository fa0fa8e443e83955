import type { IncomingMessage } from 'node:http';

type AttributeMap = Record<string, Record<string, unknown> | undefined>;

export interface RequestInfo {
  /** `UpdateItem` from `X-Amz-Target: DynamoDB_20120810.UpdateItem`, else the HTTP method. */
  operation: string;
  /** Values of the key attribute the request names (several for a batch). */
  keys: string[];
  table?: string;
}

/** What a request is about, read from its target header and (for DynamoDB) its JSON body. */
export function requestInfo(req: IncomingMessage, body: Buffer, keyAttribute: string): RequestInfo {
  const target = req.headers['x-amz-target'];
  const targetText = Array.isArray(target) ? target[0] : target;
  if (!targetText) return { operation: req.method ?? 'GET', keys: [] };
  const operation = targetText.slice(targetText.lastIndexOf('.') + 1);
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
  } catch {
    return { operation, keys: [] };
  }
  const keys: string[] = [];
  const add = (map: unknown) => {
    const v = (map as AttributeMap | undefined)?.[keyAttribute];
    const value = v?.S ?? v?.N;
    if (typeof value === 'string') keys.push(value);
  };
  add(json.Key);
  add(json.Item);
  let table = typeof json.TableName === 'string' ? json.TableName : undefined;
  const requestItems = json.RequestItems as Record<string, unknown> | undefined;
  for (const [name, entry] of Object.entries(requestItems ?? {})) {
    table ??= name;
    if (Array.isArray(entry)) {
      // BatchWriteItem: [{ PutRequest: { Item } } | { DeleteRequest: { Key } }]
      for (const w of entry as {
        PutRequest?: { Item?: unknown };
        DeleteRequest?: { Key?: unknown };
      }[]) {
        add(w.PutRequest?.Item);
        add(w.DeleteRequest?.Key);
      }
    } else {
      for (const k of (entry as { Keys?: unknown[] }).Keys ?? []) add(k);
    }
  }
  return { operation, keys, table };
}
