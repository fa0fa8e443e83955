import type http2 from 'node:http2';
import { parsePromptData } from '@retail-forecast/prompt';
import { errorMessage } from '@retail-forecast/util';
import { BadRequestError } from './errors';
import type { Operation } from './route';

/** The Chronos InvokeModel body. */
export interface ChronosRequest {
  inputs: { target: number[]; item_id?: string }[];
  parameters?: { prediction_length?: number; quantile_levels?: number[] };
}

/** A request body as the stand-in reads it. */
export type DecodedRequest =
  | { kind: 'converse'; raw: string; system: string; user: string; productIds: string[] }
  | { kind: 'invoke'; raw: string; body: ChronosRequest; productIds: string[] };

/** Calls `handle` with the whole request body once the client has sent it. */
export function onRequestBody(
  stream: http2.ServerHttp2Stream,
  handle: (raw: string) => void,
): void {
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => handle(Buffer.concat(chunks).toString('utf8')));
}

function decodeConverse(raw: string, body: unknown): DecodedRequest {
  const b = body as {
    system?: { text?: string }[];
    messages?: { role?: string; content?: { text?: string }[] }[];
  };
  const system = (b.system ?? []).map((s) => s.text ?? '').join('\n');
  const user = (b.messages ?? [])
    .filter((m) => m.role === 'user')
    .flatMap((m) => m.content ?? [])
    .map((c) => c.text ?? '')
    .join('\n');
  let productIds: string[];
  try {
    productIds = parsePromptData(user).products.map((p) => p.productId);
  } catch (err) {
    throw new BadRequestError(
      `the user message is not a forecast prompt the stand-in can read: ${errorMessage(err)}`,
    );
  }
  return { kind: 'converse', raw, system, user, productIds };
}

function decodeInvoke(raw: string, body: unknown): DecodedRequest {
  const b = body as ChronosRequest;
  if (!Array.isArray(b.inputs) || b.inputs.some((i) => !Array.isArray(i?.target))) {
    throw new BadRequestError(
      'the InvokeModel body has no inputs[].target arrays (Chronos request shape)',
    );
  }
  const productIds = b.inputs.map((input, i) => input.item_id ?? `series-${i}`);
  return { kind: 'invoke', raw, body: b, productIds };
}

/**
 * Reads a Converse body (system and user text, the prompt's product ids) or a Chronos InvokeModel
 * body (the series; `item_id` or `series-<i>` as ids).
 * @throws BadRequestError when the body is not JSON or not a request the stand-in can answer
 */
export function decodeRequest(kind: Operation, raw: string): DecodedRequest {
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    throw new BadRequestError('the request body is not JSON');
  }
  return kind === 'converse' ? decodeConverse(raw, body) : decodeInvoke(raw, body);
}
