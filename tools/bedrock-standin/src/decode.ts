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

/** The tool a Converse request makes the model call, if it forces one (`any` or `tool`). */
export interface ForcedTool {
  name: string;
}

/** A request body as the stand-in reads it. */
export type DecodedRequest =
  | {
      kind: 'converse';
      raw: string;
      system: string;
      user: string;
      /** `toolConfig.tools` as JSON when the request has tools: billed as input like the prompt. */
      tools?: string;
      productIds: string[];
      /** Set when `toolConfig.toolChoice` is `any` or `tool`: the answer is a call of it. */
      forcedTool?: ForcedTool;
      /** Set when `system` has a `cachePoint`: what comes before it (tools JSON, system text). */
      cachePrefix?: { tools?: string; system: string };
    }
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

const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

/**
 * Checks a Converse `toolConfig` as Bedrock does for what the stand-in relies on: at least one
 * `toolSpec` with a valid name and an object JSON schema, names unique, and a `toolChoice` that is
 * exactly one of `auto`, `any`, `tool` (naming a declared tool).
 * @throws BadRequestError naming the first field that is wrong
 */
export function decodeToolConfig(toolConfig: unknown): ForcedTool | undefined {
  if (toolConfig === undefined) return undefined;
  const tc = toolConfig as { tools?: unknown; toolChoice?: unknown };
  if (!Array.isArray(tc.tools) || tc.tools.length === 0) {
    throw new BadRequestError('toolConfig.tools must be a non-empty list');
  }
  const names: string[] = [];
  tc.tools.forEach((tool: unknown, i) => {
    const spec = (tool as { toolSpec?: { name?: unknown; inputSchema?: { json?: unknown } } })
      ?.toolSpec;
    if (!spec) throw new BadRequestError(`toolConfig.tools.${i} has no toolSpec`);
    if (typeof spec.name !== 'string' || !TOOL_NAME.test(spec.name)) {
      throw new BadRequestError(
        `toolConfig.tools.${i}.toolSpec.name ${JSON.stringify(spec.name)} is not valid (expected [a-zA-Z0-9_-]{1,64})`,
      );
    }
    const schema = spec.inputSchema?.json as { type?: unknown } | undefined;
    if (schema === null || typeof schema !== 'object' || schema.type !== 'object') {
      throw new BadRequestError(
        `toolConfig.tools.${i}.toolSpec.inputSchema.json must be a JSON schema of type "object"`,
      );
    }
    if (names.includes(spec.name)) {
      throw new BadRequestError(`toolConfig.tools has two tools named ${spec.name}`);
    }
    names.push(spec.name);
  });
  if (tc.toolChoice === undefined) return undefined;
  const choice = tc.toolChoice as { auto?: unknown; any?: unknown; tool?: { name?: unknown } };
  const members = Object.keys(choice);
  if (members.length !== 1 || !['auto', 'any', 'tool'].includes(members[0])) {
    throw new BadRequestError(
      `toolConfig.toolChoice must have exactly one of auto, any, tool (got ${members.join(', ') || 'none'})`,
    );
  }
  if (choice.auto !== undefined) return undefined;
  if (choice.any !== undefined) return { name: names[0] };
  const name = choice.tool?.name;
  if (typeof name !== 'string' || !names.includes(name)) {
    throw new BadRequestError(
      `toolConfig.toolChoice.tool.name ${JSON.stringify(name)} is not one of the tools (${names.join(', ')})`,
    );
  }
  return { name };
}

function decodeConverse(raw: string, body: unknown): DecodedRequest {
  const b = body as {
    system?: { text?: string; cachePoint?: { type?: unknown } }[];
    messages?: { role?: string; content?: { text?: string }[] }[];
    toolConfig?: { tools?: unknown };
  };
  const blocks = b.system ?? [];
  // Text blocks only: a cachePoint block adds no text (and no tokens).
  const system = blocks
    .filter((s) => s.text !== undefined)
    .map((s) => s.text)
    .join('\n');
  const at = blocks.findIndex((s) => s.cachePoint !== undefined);
  if (at >= 0 && blocks[at].cachePoint?.type !== 'default') {
    throw new BadRequestError(
      `system.${at}.cachePoint.type ${JSON.stringify(blocks[at].cachePoint?.type)} is not valid (expected "default")`,
    );
  }
  const cachePrefix =
    at >= 0
      ? {
          system: blocks
            .slice(0, at)
            .map((s) => s.text ?? '')
            .join('\n'),
          ...(b.toolConfig?.tools !== undefined
            ? { tools: JSON.stringify(b.toolConfig.tools) }
            : {}),
        }
      : undefined;
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
  const forcedTool = decodeToolConfig(b.toolConfig);
  return {
    kind: 'converse',
    raw,
    system,
    user,
    ...(b.toolConfig?.tools !== undefined && { tools: JSON.stringify(b.toolConfig.tools) }),
    productIds,
    ...(forcedTool && { forcedTool }),
    ...(cachePrefix && { cachePrefix }),
  };
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
