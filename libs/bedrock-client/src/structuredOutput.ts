import type { ContentBlock, ToolConfiguration } from '@aws-sdk/client-bedrock-runtime';
import { FORECAST_TOOL_NAME, forecastAnswerSchema, type AnswerWith } from '@retail-forecast/prompt';
import { globToRegExp } from './pricing';
import type { StructuredOutput } from './types';

/**
 * Model families whose Converse API honours a forced tool choice (`toolChoice: { tool }`), so the
 * answer arrives as a `toolUse` block whose `input` is the answer object. From the Bedrock model
 * feature table: Anthropic Claude 3 and later, Amazon Nova. Others (Llama, Mistral, Titan, …)
 * either have no tool use in Converse or accept only `auto`, where a text answer is as likely.
 * Patterns as in the price table; inference-profile prefixes and ARNs match too.
 */
export const TOOL_CHOICE_MODELS: readonly string[] = [
  '*anthropic.claude-3*',
  '*anthropic.claude-sonnet-4*',
  '*anthropic.claude-opus-4*',
  '*anthropic.claude-haiku-4*',
  '*amazon.nova-*',
];

/** How a run asks `modelId` for its answer: the override, else the capability table. */
export function answerWithFor(modelId: string, setting: StructuredOutput = 'auto'): AnswerWith {
  if (setting !== 'auto') return setting;
  return TOOL_CHOICE_MODELS.some((p) => globToRegExp(p).test(modelId)) ? 'tool' : 'text';
}

/** The Converse `toolConfig` that makes the model answer through the forecast tool. */
export function forecastToolConfig(horizon: number): ToolConfiguration {
  return {
    tools: [
      {
        toolSpec: {
          name: FORECAST_TOOL_NAME,
          description: 'Submit the demand forecasts for every product in <data>.',
          // The SDK types a JSON document loosely; the schema is plain JSON.
          inputSchema: { json: forecastAnswerSchema(horizon) as never },
        },
      },
    ],
    toolChoice: { tool: { name: FORECAST_TOOL_NAME } },
  };
}

/**
 * The answer in a Converse response: the input of the last call of the forecast tool, else the
 * text blocks joined. Reasoning blocks (`reasoningContent`) never count, nor does a call of any
 * other tool.
 */
export function answerOf(content: readonly ContentBlock[]): unknown {
  const call = content
    .filter((b) => b.toolUse !== undefined && b.toolUse.name === FORECAST_TOOL_NAME)
    .at(-1);
  if (call?.toolUse) return call.toolUse.input;
  return content.map((b) => (typeof b.text === 'string' ? b.text : '')).join('');
}

/**
 * Whether a Converse failure is the service refusing tool use for this model (e.g.
 * `ValidationException: This model doesn't support the toolConfig.toolChoice.tool field`), as
 * opposed to a bad model id. Looks through `cause`, so it holds whichever error class wraps it.
 */
export function refusesToolUse(err: unknown): boolean {
  for (let e = err, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const { name, message } = e as { name?: unknown; message?: unknown };
    if (name === 'ValidationException' && typeof message === 'string' && /\btool/i.test(message))
      return true;
  }
  return false;
}
