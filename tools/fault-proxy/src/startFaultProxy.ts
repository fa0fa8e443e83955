import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { seededRandom } from '@retail-forecast/local-aws';
import { dynamoDbErrorResponse } from './dynamoDbErrors';
import { requestInfo } from './requestInfo';
import type { RequestInfo } from './requestInfo';
import type { FaultProxy, FaultProxyOptions, FaultRule, ProxyCounts } from './types';

function emptyCounts(): ProxyCounts {
  return { requests: {}, keys: {}, injected: {} };
}

function matches(rule: FaultRule, info: RequestInfo): boolean {
  if (rule.operation !== undefined) {
    const ops = typeof rule.operation === 'string' ? [rule.operation] : rule.operation;
    if (!ops.includes(info.operation)) return false;
  }
  const { key } = rule;
  if (key === undefined) return true;
  const test =
    typeof key === 'string'
      ? (k: string) => k === key
      : key instanceof RegExp
        ? (k: string) => key.test(k)
        : key;
  return info.keys.some(test);
}

/**
 * Starts an HTTP/1.1 proxy on 127.0.0.1 (ephemeral port) in front of `target` (the local
 * DynamoDB, local S3, …). Each request is counted, then the first rule that matches it, has
 * injections left and wins its probability draw decides: answer with an error in the service's
 * wire format, forward after a delay, or reset the connection; without one it is forwarded as is.
 */
export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const target = new URL(options.target);
  const keyAttribute = options.keyAttribute ?? 'product_id';
  const random = seededRandom(options.seed ?? 1);
  const agent = new http.Agent({ keepAlive: true });
  let rules: FaultRule[] = options.rules ?? [];
  let used: number[] = rules.map(() => 0);
  let counts = emptyCounts();

  function count(info: RequestInfo): void {
    counts.requests[info.operation] = (counts.requests[info.operation] ?? 0) + 1;
    const byKey = (counts.keys[info.operation] ??= {});
    for (const k of info.keys) byKey[k] = (byKey[k] ?? 0) + 1;
  }

  function pickRule(info: RequestInfo): FaultRule | undefined {
    for (const [i, rule] of rules.entries()) {
      if (!matches(rule, info)) continue;
      if (rule.count !== undefined && used[i] >= rule.count) continue;
      if (random() >= (rule.probability ?? 1)) continue;
      used[i]++;
      counts.injected[info.operation] = (counts.injected[info.operation] ?? 0) + 1;
      return rule;
    }
    return undefined;
  }

  function forward(req: IncomingMessage, body: Buffer, res: ServerResponse): void {
    const upstream = http.request(
      {
        protocol: target.protocol,
        hostname: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
        agent,
      },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => req.socket.destroy());
    upstream.end(body);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const info = requestInfo(req, body, keyAttribute);
    count(info);
    const fault = pickRule(info)?.fault;
    if (fault === undefined) return forward(req, body, res);
    if ('reset' in fault) {
      req.socket.destroy();
      return;
    }
    if ('delayMs' in fault) {
      await new Promise((r) => setTimeout(r, fault.delayMs));
      return forward(req, body, res);
    }
    const answer =
      'error' in fault
        ? dynamoDbErrorResponse(fault.error, { ...info, message: fault.message })
        : { status: fault.status, headers: fault.headers ?? {}, body: fault.body ?? '' };
    res.writeHead(answer.status, answer.headers);
    res.end(answer.body);
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch(() => req.socket.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    setRules(next) {
      rules = next;
      used = next.map(() => 0);
    },
    counts: () => structuredClone(counts),
    resetCounts() {
      counts = emptyCounts();
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
        agent.destroy();
      }),
  };
}
