import { createHash } from 'node:crypto';
import http from 'node:http';
import http2 from 'node:http2';
import type { AddressInfo, Socket } from 'node:net';
import { errorMessage } from '@retail-forecast/util';
import { decodeRequest, onRequestBody } from './decode';
import { BadRequestError, StandinOptionsError } from './errors';
import {
  answerFor,
  errorReply,
  noRouteReply,
  sendReply,
  serviceErrorFor,
  type Reply,
} from './respond';
import { PromptCacheEmulator } from './promptCache';
import { batchKey, routeOf, selectFault, type Operation } from './route';
import {
  chronos2RequestProblem,
  modelError,
  sagemakerErrorFor,
  sagemakerRouteOf,
} from './sagemaker';
import type { BedrockStandin, BedrockStandinOptions, StandinRequestInfo } from './types';

function checkOptions(port: number, slowMs: number, baseMs: number): void {
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new StandinOptionsError(`port ${port} is not allowed (expected an integer 0..65535)`);
  }
  for (const [name, v] of [
    ['latencyMs', slowMs],
    ['baseLatencyMs', baseMs],
  ] as const) {
    if (!Number.isFinite(v) || v < 0) {
      throw new StandinOptionsError(`${name} ${v} is not allowed (expected milliseconds >= 0)`);
    }
  }
}

/**
 * Starts a local stand-in for the Bedrock Runtime API over cleartext HTTP/2 (what the SDK's default
 * NodeHttp2Handler speaks to an `http://` endpoint). Point a client at it with
 * `AWS_ENDPOINT_URL_BEDROCK_RUNTIME=<url>`; credentials are not checked. Each request is decoded
 * (`decode.ts`), routed to its operation and fault (`route.ts`) and answered (`respond.ts`).
 * A second listener on `sagemakerUrl` speaks SageMaker Runtime InvokeEndpoint over HTTP/1.1 for
 * Chronos-2 endpoints (`sagemaker.ts`): every body is checked against the documented schema and a
 * bad one is refused as the container would (ModelError 424 with the original 400); endpoint
 * names `missing…` are unknown (ValidationError 400); `local-fault-<mode>` names misbehave.
 */
export async function startBedrockStandin(
  options: BedrockStandinOptions = {},
): Promise<BedrockStandin> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 0;
  const slowMs = options.latencyMs ?? 10_000;
  const baseMs = options.baseLatencyMs ?? 0;
  checkOptions(port, slowMs, baseMs);
  for (const [name, v] of [
    ['cacheTtlMs', options.cacheTtlMs],
    ['cacheMinTokens', options.cacheMinTokens],
  ] as const) {
    if (v !== undefined && (!Number.isFinite(v) || v < 0)) {
      throw new StandinOptionsError(`${name} ${v} is not allowed (expected a number >= 0)`);
    }
  }
  const stats = {
    requests: 0,
    byModel: {} as Record<string, number>,
    cacheReadInputTokens: 0,
    cacheWriteInputTokens: 0,
  };
  const promptCache = new PromptCacheEmulator(options.cacheTtlMs, options.cacheMinTokens);
  const callCounts = new Map<string, number>();
  const timers = new Set<NodeJS.Timeout>();
  const sessions = new Set<http2.ServerHttp2Session>();
  let requestSeq = 0;

  const later = (ms: number, fn: () => void) => {
    if (ms <= 0) return fn();
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };

  /** How long one routed request waits and what it is then answered; throws on a bad request. */
  const handle = (modelId: string, operation: Operation, raw: string) => {
    const request = decodeRequest(operation, raw);
    const key = batchKey(modelId, request);
    const callIndex = callCounts.get(key) ?? 0;
    callCounts.set(key, callIndex + 1);
    const info: StandinRequestInfo = {
      modelId,
      kind: operation,
      callIndex,
      productIds: request.productIds,
      ...(request.kind === 'converse' && request.forcedTool
        ? { forcedTool: request.forcedTool.name }
        : {}),
    };
    const fault = selectFault(options.fault, info);
    const serviceError = serviceErrorFor(fault, info);
    if (serviceError) return { delayMs: baseMs, reply: () => errorReply(serviceError) };
    const cache =
      request.kind === 'converse' && request.cachePrefix
        ? promptCache.use(modelId, request.cachePrefix)
        : { readTokens: 0, writeTokens: 0 };
    stats.cacheReadInputTokens += cache.readTokens;
    stats.cacheWriteInputTokens += cache.writeTokens;
    const started = Date.now();
    const answer = answerFor(request, fault, cache);
    return {
      delayMs: fault === 'slow' ? slowMs : baseMs,
      reply: () => answer(Date.now() - started),
    };
  };

  /** The SageMaker InvokeEndpoint side: same faults and forecasts, SageMaker's error shapes. */
  const handleSageMaker = (endpoint: string, raw: string) => {
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      return {
        delayMs: baseMs,
        reply: () => errorReply(modelError(400, 'the request body is not JSON', endpoint)),
      };
    }
    const inputs = (body as { inputs?: unknown } | null)?.inputs;
    const productIds = Array.isArray(inputs)
      ? inputs.map((input: unknown, i) => {
          const id = (input as { item_id?: unknown } | null)?.item_id;
          return typeof id === 'string' ? id : `series-${i}`;
        })
      : [];
    const key = `${endpoint}\0invoke-endpoint\0${createHash('sha1').update(raw).digest('hex')}`;
    const callIndex = callCounts.get(key) ?? 0;
    callCounts.set(key, callIndex + 1);
    const info: StandinRequestInfo = {
      modelId: endpoint,
      kind: 'invoke-endpoint',
      callIndex,
      productIds,
    };
    const fault = selectFault(options.fault, info);
    const serviceError = sagemakerErrorFor(fault, info);
    if (serviceError) return { delayMs: baseMs, reply: () => errorReply(serviceError) };
    const problem = chronos2RequestProblem(body);
    if (problem !== undefined) {
      return { delayMs: baseMs, reply: () => errorReply(modelError(400, problem, endpoint)) };
    }
    const started = Date.now();
    const answer = answerFor({ kind: 'invoke', raw, body: body as never, productIds }, fault);
    return {
      delayMs: fault === 'slow' ? slowMs : baseMs,
      reply: () => {
        const r = answer(Date.now() - started);
        // SageMaker sends no token counts; only the invoked variant.
        return { ...r, headers: { 'x-amzn-invoked-production-variant': 'AllTraffic' } };
      },
    };
  };

  const sockets = new Set<Socket>();
  const http1 = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const requestId = `standin-${++requestSeq}`;
      const send = (reply: Reply) => {
        if (res.destroyed || res.writableEnded) return;
        res.writeHead(reply.status, {
          'content-type': 'application/json',
          'x-amzn-requestid': requestId,
          ...reply.headers,
        });
        res.end(reply.body);
      };
      const endpoint = sagemakerRouteOf(req.method, req.url);
      if (endpoint === undefined) {
        send(noRouteReply(req.method ?? '', req.url ?? ''));
        return;
      }
      stats.requests++;
      stats.byModel[endpoint] = (stats.byModel[endpoint] ?? 0) + 1;
      try {
        const { delayMs, reply } = handleSageMaker(
          endpoint,
          Buffer.concat(chunks).toString('utf8'),
        );
        later(delayMs, () => send(reply()));
      } catch (err) {
        send(
          errorReply({
            status: 500,
            type: 'InternalFailure',
            message: `stand-in failure: ${errorMessage(err)}`,
          }),
        );
      }
    });
  });
  http1.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  const server = http2.createServer();
  server.on('session', (session) => {
    sessions.add(session);
    session.on('close', () => sessions.delete(session));
    session.on('error', () => {});
  });

  server.on('stream', (stream, headers) => {
    stream.on('error', () => {});
    onRequestBody(stream, (raw) => {
      const requestId = `standin-${++requestSeq}`;
      const send = (reply: Reply) => sendReply(stream, requestId, reply);
      const route = routeOf(headers);
      if (!route.ok) {
        send(noRouteReply(route.method, route.path));
        return;
      }
      stats.requests++;
      stats.byModel[route.modelId] = (stats.byModel[route.modelId] ?? 0) + 1;
      try {
        const { delayMs, reply } = handle(route.modelId, route.operation, raw);
        later(delayMs, () => send(reply()));
      } catch (err) {
        send(
          errorReply(
            err instanceof BadRequestError
              ? { status: 400, type: 'ValidationException', message: err.message }
              : {
                  status: 500,
                  type: 'InternalServerException',
                  message: `stand-in failure: ${errorMessage(err)}`,
                },
          ),
        );
      }
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const actualPort = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve, reject) => {
    http1.once('error', reject);
    http1.listen(0, host, () => {
      http1.off('error', reject);
      resolve();
    });
  });
  const sagemakerPort = (http1.address() as AddressInfo).port;
  return {
    url: `http://${host}:${actualPort}`,
    port: actualPort,
    sagemakerUrl: `http://${host}:${sagemakerPort}`,
    stats,
    close: async () => {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      for (const s of sessions) s.destroy();
      for (const s of sockets) s.destroy();
      await Promise.all([
        new Promise<void>((resolve) => server.close(() => resolve())),
        new Promise<void>((resolve) => http1.close(() => resolve())),
      ]);
    },
  };
}
