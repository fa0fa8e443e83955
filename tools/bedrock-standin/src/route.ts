import { createHash } from 'node:crypto';
import type http2 from 'node:http2';
import type { FaultMode, FaultSelector, StandinRequestInfo } from './types';

/** The Bedrock Runtime operations the stand-in serves: Converse and InvokeModel. */
export type Operation = 'converse' | 'invoke';

/** Modes whose final answer carries the right numbers in a real model's wrapping. */
export const ANSWER_SHAPE_MODES: readonly FaultMode[] = [
  'fenced',
  'thinking-draft',
  'thinking-zero-draft',
  'think-draft',
  'reasoning-block',
  'echoed-example',
  'two-answers',
];

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
  'truncated-final',
  'obedient',
  'no-tools',
  ...ANSWER_SHAPE_MODES,
  'input-too-long',
  'input-too-long-marked',
];

/**
 * `input-too-long-marked` refuses only a request that carries a product whose id contains this
 * (e.g. `P1003-too-long`), so one batch fails and the others are answered.
 */
export const MARKED_PRODUCT = 'too-long';

const MODEL_FAULT_PREFIX = 'local-fault-';
const ROUTE = /^\/model\/([^/]+)\/(converse|invoke)$/;

/** The fault a model id asks for: `local-fault-<mode>` (also as the tail of an ARN), else none. */
export function faultFromModelId(modelId: string): FaultMode | undefined {
  const at = modelId.lastIndexOf(MODEL_FAULT_PREFIX);
  if (at < 0) return undefined;
  const mode = modelId.slice(at + MODEL_FAULT_PREFIX.length) as FaultMode;
  return FAULT_MODES.includes(mode) ? mode : undefined;
}

export type Route =
  { ok: true; modelId: string; operation: Operation } | { ok: false; method: string; path: string };

/** `POST /model/<id>/converse` or `/invoke` → the operation and the decoded model id. */
export function routeOf(headers: http2.IncomingHttpHeaders): Route {
  const path = String(headers[':path'] ?? '').split('?')[0];
  const match = ROUTE.exec(path);
  if (headers[':method'] !== 'POST' || !match) {
    return { ok: false, method: String(headers[':method']), path };
  }
  return { ok: true, modelId: decodeURIComponent(match[1]), operation: match[2] as Operation };
}

/**
 * Identifies "the same call again" for `callIndex`: a Converse call by its model and products, an
 * InvokeModel call by its model and body, so retries and re-asks of one batch count up.
 */
export function batchKey(
  modelId: string,
  request: { kind: Operation; raw: string; productIds: string[] },
): string {
  return request.kind === 'converse'
    ? `${modelId}\0converse\0${request.productIds.join('\0')}`
    : `${modelId}\0invoke\0${createHash('sha1').update(request.raw).digest('hex')}`;
}

/** The fault for one call: the start-up option when it picks one, else the model id's, else none. */
export function selectFault(
  selector: FaultSelector | undefined,
  info: StandinRequestInfo,
): FaultMode {
  const selected = typeof selector === 'function' ? selector(info) : selector;
  const fault = selected ?? faultFromModelId(info.modelId) ?? 'none';
  if (fault !== 'input-too-long-marked') return fault;
  return info.productIds.some((id) => id.includes(MARKED_PRODUCT)) ? 'input-too-long' : 'none';
}
