import type http2 from 'node:http2';
import { estimateTokens } from '@retail-forecast/prompt';
import { converseAnswer, corrupt } from './converseAnswer';
import type { ChronosRequest, DecodedRequest } from './decode';
import { standinForecast } from './forecastMethod';
import type { CacheUse } from './promptCache';
import type { FaultMode, StandinRequestInfo } from './types';

/** One HTTP answer: status, body and headers beyond content type and request id. */
export interface Reply {
  status: number;
  body: string | Buffer;
  headers?: Record<string, string>;
}

/** A Bedrock service error: HTTP status, error type (e.g. `ThrottlingException`) and message. */
export interface ServiceError {
  status: number;
  type: string;
  message: string;
}

const THROTTLED: ServiceError = {
  status: 429,
  type: 'ThrottlingException',
  message: 'Too many requests, please wait before trying again.',
};
const INTERNAL: ServiceError = {
  status: 500,
  type: 'InternalServerException',
  message: 'An internal server error occurred.',
};

/** The service error a fault answers with instead of a forecast, if any. */
export function serviceErrorFor(
  fault: FaultMode,
  info: StandinRequestInfo,
): ServiceError | undefined {
  const first = info.callIndex === 0;
  switch (fault) {
    case 'throttle':
      return THROTTLED;
    case 'throttle-once':
      return first ? THROTTLED : undefined;
    case 'server-error':
      return INTERNAL;
    case 'server-error-once':
      return first ? INTERNAL : undefined;
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
    case 'no-tools':
      // What Bedrock answers a model without forced tool choice (e.g. Llama, Mistral).
      return info.forcedTool
        ? {
            status: 400,
            type: 'ValidationException',
            message:
              "This model doesn't support the toolConfig.toolChoice.tool field. Remove toolConfig.toolChoice.tool and try again.",
          }
        : undefined;
    case 'input-too-long':
      // A refusal of this request's content, not of the model: the run goes on without it.
      return {
        status: 400,
        type: 'ValidationException',
        message: 'Input is too long for requested model.',
      };
    default:
      return undefined;
  }
}

/** A service error in the restJson1 shape the SDK parses; `fields` are extra error members. */
export function errorReply(e: ServiceError & { fields?: Record<string, unknown> }): Reply {
  return {
    status: e.status,
    body: JSON.stringify({ message: e.message, ...e.fields }),
    // The SDK's restJson1 parser takes the code before the first ':' of this header.
    headers: {
      'x-amzn-errortype': `${e.type}:http://internal.amazon.com/coral/com.amazon.bedrock/`,
    },
  };
}

export function noRouteReply(method: string, path: string): Reply {
  return {
    status: 404,
    body: JSON.stringify({ message: `no route for ${method} ${path}` }),
    headers: { 'x-amzn-errortype': 'UnknownOperationException' },
  };
}

/** Writes `reply` unless the client has gone away meanwhile. */
export function sendReply(stream: http2.ServerHttp2Stream, requestId: string, reply: Reply): void {
  if (stream.destroyed || stream.closed) return;
  stream.respond({
    ':status': reply.status,
    'content-type': 'application/json',
    'x-amzn-requestid': requestId,
    ...reply.headers,
  });
  stream.end(reply.body);
}

/** The InvokeModel body for a Chronos request: `{"predictions":[…]}` in input order. */
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

/**
 * The successful answer to a request under a value-level fault, computed now; the returned
 * function encodes it once the answer's latency is known: a Converse response object, or a
 * Chronos body with Bedrock's token-count and latency headers.
 */
export function answerFor(
  request: DecodedRequest,
  fault: FaultMode,
  /** Converse: what the request's cache point read or wrote (Bedrock bills those apart). */
  cache: CacheUse = { readTokens: 0, writeTokens: 0 },
): (latencyMs: number) => Reply {
  if (request.kind === 'converse') {
    const { content, stopReason } = converseAnswer(request.user, fault, request.forcedTool);
    const cached = cache.readTokens + cache.writeTokens;
    // The tool definitions are input tokens too (and part of the cached prefix when cached).
    const inputTokens = Math.max(
      0,
      estimateTokens(request.system + request.user + (request.tools ?? '')) - cached,
    );
    const outputTokens = estimateTokens(JSON.stringify(content));
    return (latencyMs) => ({
      status: 200,
      body: JSON.stringify({
        output: { message: { role: 'assistant', content } },
        stopReason,
        usage: {
          inputTokens,
          outputTokens,
          totalTokens: inputTokens + outputTokens + cached,
          ...(request.cachePrefix
            ? {
                cacheReadInputTokens: cache.readTokens,
                cacheWriteInputTokens: cache.writeTokens,
              }
            : {}),
        },
        metrics: { latencyMs },
      }),
    });
  }
  const text = chronosAnswer(request.body, fault);
  return (latencyMs) => ({
    status: 200,
    body: Buffer.from(text, 'utf8'),
    headers: {
      'x-amzn-bedrock-input-token-count': String(estimateTokens(request.raw)),
      'x-amzn-bedrock-output-token-count': String(estimateTokens(text)),
      'x-amzn-bedrock-invocation-latency': String(latencyMs),
    },
  });
}
