import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
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
import { batchKey, routeOf, selectFault, type Operation } from './route';
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
 */
export async function startBedrockStandin(
  options: BedrockStandinOptions = {},
): Promise<BedrockStandin> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 0;
  const slowMs = options.latencyMs ?? 10_000;
  const baseMs = options.baseLatencyMs ?? 0;
  checkOptions(port, slowMs, baseMs);
  const stats = { requests: 0, byModel: {} as Record<string, number> };
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
    const started = Date.now();
    const answer = answerFor(request, fault);
    return {
      delayMs: fault === 'slow' ? slowMs : baseMs,
      reply: () => answer(Date.now() - started),
    };
  };

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
  return {
    url: `http://${host}:${actualPort}`,
    port: actualPort,
    stats,
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        timers.clear();
        for (const s of sessions) s.destroy();
        server.close(() => resolve());
      }),
  };
}
