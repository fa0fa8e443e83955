import { createHash } from 'node:crypto';
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { estimateTokens, parsePromptData } from '@retail-forecast/prompt';
import { StandinOptionsError } from './errors';
import { standinForecast, type StandinForecast } from './forecastMethod';
import type { BedrockStandin, BedrockStandinOptions, FaultMode, StandinRequestInfo } from './types';

export const FAULT_MODES: readonly FaultMode[] = [
  'none',
  'throttle',
  'throttle-once',
  'server-error',
  'server-error-once',
  'service-unavailable',
  'model-not-ready-once',
  'model-error-once',
  'slow',
  'not-json',
  'truncated-json',
  'unknown-ids',
  'missing-ids',
  'negative',
  'nan',
  'absurd',
  'wrong-length',
  'access-denied',
  'bad-model',
];

const MODEL_FAULT_PREFIX = 'local-fault-';
const ROUTE = /^\/model\/([^/]+)\/(converse|invoke)$/;

/** The fault a model id asks for: `local-fault-<mode>` (also as the tail of an ARN), else none. */
export function faultFromModelId(modelId: string): FaultMode | undefined {
  const at = modelId.lastIndexOf(MODEL_FAULT_PREFIX);
  if (at < 0) return undefined;
  const mode = modelId.slice(at + MODEL_FAULT_PREFIX.length) as FaultMode;
  return FAULT_MODES.includes(mode) ? mode : undefined;
}

interface ServiceError {
  status: number;
  type: string;
  message: string;
}

function serviceErrorFor(fault: FaultMode, info: StandinRequestInfo): ServiceError | undefined {
  const first = info.callIndex === 0;
  switch (fault) {
    case 'throttle':
      return {
        status: 429,
        type: 'ThrottlingException',
        message: 'Too many requests, please wait before trying again.',
      };
    case 'throttle-once':
      return first
        ? {
            status: 429,
            type: 'ThrottlingException',
            message: 'Too many requests, please wait before trying again.',
          }
        : undefined;
    case 'server-error':
      return {
        status: 500,
        type: 'InternalServerException',
        message: 'An internal server error occurred.',
      };
    case 'server-error-once':
      return first
        ? {
            status: 500,
            type: 'InternalServerException',
            message: 'An internal server error occurred.',
          }
        : undefined;
    case 'service-unavailable':
      return {
        status: 503,
        type: 'ServiceUnavailableException',
        message: 'The service is unavailable.',
      };
    case 'model-not-ready-once':
      // Bedrock's model declares ModelNotReadyException with status 429.
      return first
        ? {
            status: 429,
            type: 'ModelNotReadyException',
            message: 'Model is not ready to serve inference requests.',
          }
        : undefined;
    case 'model-error-once':
      return first
        ? { status: 424, type: 'ModelErrorException', message: 'The model returned an error.' }
        : undefined;
    case 'access-denied':
      return {
        status: 403,
        type: 'AccessDeniedException',
        message: "You don't have access to the model with the specified model ID.",
      };
    case 'bad-model':
      return {
        status: 400,
        type: 'ValidationException',
        message: 'The provided model identifier is invalid.',
      };
    default:
      return undefined;
  }
}

const fmt = (values: number[]) => values.map((v) => String(v)).join(',');

/** Applies a value-level fault to one series' answer; the arrays are fresh copies. */
function corrupt(f: StandinForecast, fault: FaultMode): StandinForecast {
  const map = (g: (v: number) => number) => ({
    p10: f.p10.map(g),
    p50: f.p50.map(g),
    p90: f.p90.map(g),
  });
  switch (fault) {
    case 'negative':
      return {
        p10: f.p10.map((v) => -v - 2),
        p50: f.p50.map((v) => -v - 1),
        p90: f.p90.map((v) => -v),
      };
    case 'absurd':
      return map((v) => Math.round((v + 1) * 1000));
    case 'wrong-length':
      return { p10: f.p10.slice(0, -2), p50: f.p50.slice(0, -2), p90: f.p90.slice(0, -2) };
    default:
      return f;
  }
}

/** The Converse answer text for the products of one prompt. */
function converseAnswer(user: string, fault: FaultMode): { text: string; productIds: string[] } {
  const data = parsePromptData(user);
  const productIds = data.products.map((p) => p.productId);
  let products = data.products;
  // Dropping only from multi-product prompts lets a single-product re-ask succeed.
  if (fault === 'missing-ids' && products.length > 1)
    products = products.filter((_, i) => i % 2 === 0);
  const entries = products.map((p) => {
    const f = corrupt(standinForecast(p.recent, data.horizon), fault);
    const id = fault === 'unknown-ids' ? `${p.productId}-X` : p.productId;
    const daily = fault === 'nan' ? f.p50.map(() => 'NaN').join(',') : fmt(f.p50);
    return `{"product_id":${JSON.stringify(id)},"daily":[${daily}],"p10":[${fmt(f.p10)}],"p90":[${fmt(f.p90)}]}`;
  });
  const json = `{"forecasts":[${entries.join(',')}]}`;
  if (fault === 'not-json') {
    return {
      text: `Sure! Here is my forecast for ${products.length} products: demand should stay about flat.`,
      productIds,
    };
  }
  if (fault === 'truncated-json')
    return { text: json.slice(0, Math.floor(json.length / 2)), productIds };
  return { text: json, productIds };
}

interface ChronosRequest {
  inputs: { target: number[]; item_id?: string }[];
  parameters?: { prediction_length?: number; quantile_levels?: number[] };
}

function chronosAnswer(req: ChronosRequest, fault: FaultMode): string {
  const horizon = req.parameters?.prediction_length ?? 64;
  const levels = req.parameters?.quantile_levels ?? [0.1, 0.5, 0.9];
  let inputs = req.inputs;
  if (fault === 'missing-ids' && inputs.length > 1) inputs = inputs.slice(0, -1);
  const predictions = inputs.map((input) => {
    const f = corrupt(standinForecast(input.target, horizon), fault);
    const out: Record<string, unknown> = { mean: f.p50 };
    for (const q of levels) {
      out[String(q)] = q < 0.5 ? f.p10 : q > 0.5 ? f.p90 : f.p50;
    }
    if (fault === 'nan') out['0.5'] = f.p50.map(() => 'NaN');
    if (input.item_id !== undefined)
      out.item_id = fault === 'unknown-ids' ? `${input.item_id}-X` : input.item_id;
    return out;
  });
  if (fault === 'unknown-ids') predictions.push({ ...predictions[0], item_id: 'not-asked' });
  // JSON.stringify would write null for NaN; emit the bare token a broken model would.
  const json = JSON.stringify({ predictions }).replace(/"NaN"/g, 'NaN');
  if (fault === 'not-json') return '<html><body>502 Bad Gateway</body></html>';
  if (fault === 'truncated-json') return json.slice(0, Math.floor(json.length / 2));
  return json;
}

class BadRequest extends Error {}

/**
 * Starts a local stand-in for the Bedrock Runtime API over cleartext HTTP/2 (what the SDK's default
 * NodeHttp2Handler speaks to an `http://` endpoint). Point a client at it with
 * `AWS_ENDPOINT_URL_BEDROCK_RUNTIME=<url>`; credentials are not checked.
 */
export async function startBedrockStandin(
  options: BedrockStandinOptions = {},
): Promise<BedrockStandin> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 0;
  const slowMs = options.latencyMs ?? 10_000;
  const baseMs = options.baseLatencyMs ?? 0;
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

  const server = http2.createServer();
  server.on('session', (session) => {
    sessions.add(session);
    session.on('close', () => sessions.delete(session));
    session.on('error', () => {});
  });

  server.on('stream', (stream, headers) => {
    stream.on('error', () => {});
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => {
      const requestId = `standin-${++requestSeq}`;
      const send = (status: number, body: string | Buffer, extra: Record<string, string> = {}) => {
        if (stream.destroyed || stream.closed) return;
        stream.respond({
          ':status': status,
          'content-type': 'application/json',
          'x-amzn-requestid': requestId,
          ...extra,
        });
        stream.end(body);
      };
      const sendError = (e: ServiceError) =>
        send(e.status, JSON.stringify({ message: e.message }), {
          // The SDK's restJson1 parser takes the code before the first ':' of this header.
          'x-amzn-errortype': `${e.type}:http://internal.amazon.com/coral/com.amazon.bedrock/`,
        });

      const path = String(headers[':path'] ?? '').split('?')[0];
      const route = ROUTE.exec(path);
      if (headers[':method'] !== 'POST' || !route) {
        send(
          404,
          JSON.stringify({ message: `no route for ${String(headers[':method'])} ${path}` }),
          {
            'x-amzn-errortype': 'UnknownOperationException',
          },
        );
        return;
      }
      const modelId = decodeURIComponent(route[1]);
      const kind = route[2] as 'converse' | 'invoke';
      stats.requests++;
      stats.byModel[modelId] = (stats.byModel[modelId] ?? 0) + 1;

      try {
        const raw = Buffer.concat(chunks).toString('utf8');
        let body: unknown;
        try {
          body = JSON.parse(raw);
        } catch {
          throw new BadRequest('the request body is not JSON');
        }
        let productIds: string[];
        let system = '';
        let user = '';
        if (kind === 'converse') {
          const b = body as {
            system?: { text?: string }[];
            messages?: { role?: string; content?: { text?: string }[] }[];
          };
          system = (b.system ?? []).map((s) => s.text ?? '').join('\n');
          user = (b.messages ?? [])
            .filter((m) => m.role === 'user')
            .flatMap((m) => m.content ?? [])
            .map((c) => c.text ?? '')
            .join('\n');
          try {
            productIds = parsePromptData(user).products.map((p) => p.productId);
          } catch (err) {
            throw new BadRequest(
              `the user message is not a forecast prompt the stand-in can read: ${(err as Error).message}`,
            );
          }
        } else {
          const b = body as ChronosRequest;
          if (!Array.isArray(b.inputs) || b.inputs.some((i) => !Array.isArray(i?.target))) {
            throw new BadRequest(
              'the InvokeModel body has no inputs[].target arrays (Chronos request shape)',
            );
          }
          productIds = b.inputs.map((input, i) => input.item_id ?? `series-${i}`);
        }
        const batchKey =
          kind === 'converse'
            ? `${modelId}\0converse\0${productIds.join('\0')}`
            : `${modelId}\0invoke\0${createHash('sha1').update(raw).digest('hex')}`;
        const callIndex = callCounts.get(batchKey) ?? 0;
        callCounts.set(batchKey, callIndex + 1);
        const info: StandinRequestInfo = { modelId, kind, callIndex, productIds };
        const selected = typeof options.fault === 'function' ? options.fault(info) : options.fault;
        const fault: FaultMode = selected ?? faultFromModelId(modelId) ?? 'none';

        const serviceError = serviceErrorFor(fault, info);
        if (serviceError) {
          later(baseMs, () => sendError(serviceError));
          return;
        }
        const started = Date.now();
        const delay = fault === 'slow' ? slowMs : baseMs;
        if (kind === 'converse') {
          const { text } = converseAnswer(user, fault);
          const inputTokens = estimateTokens(system + user);
          const outputTokens = estimateTokens(text);
          later(delay, () =>
            send(
              200,
              JSON.stringify({
                output: { message: { role: 'assistant', content: [{ text }] } },
                stopReason: 'end_turn',
                usage: { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens },
                metrics: { latencyMs: Date.now() - started },
              }),
            ),
          );
        } else {
          const text = chronosAnswer(body as ChronosRequest, fault);
          later(delay, () =>
            send(200, Buffer.from(text, 'utf8'), {
              'x-amzn-bedrock-input-token-count': String(estimateTokens(raw)),
              'x-amzn-bedrock-output-token-count': String(estimateTokens(text)),
              'x-amzn-bedrock-invocation-latency': String(Date.now() - started),
            }),
          );
        }
      } catch (err) {
        if (err instanceof BadRequest) {
          sendError({ status: 400, type: 'ValidationException', message: err.message });
          return;
        }
        sendError({
          status: 500,
          type: 'InternalServerException',
          message: `stand-in failure: ${(err as Error).message}`,
        });
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
