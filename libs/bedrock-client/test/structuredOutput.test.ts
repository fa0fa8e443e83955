import {
  ConverseCommand,
  ValidationException,
  type ContentBlock,
  type ConverseCommandInput,
} from '@aws-sdk/client-bedrock-runtime';
import { FORECAST_TOOL_NAME } from '@retail-forecast/prompt';
import { describe, expect, it, vi } from 'vitest';
import { answerWithFor, forecastWithBedrock, InvalidModelError } from '../src';
import {
  answerText,
  converseOutput,
  inputsFor,
  mockedBedrock,
  MODEL,
  runOptions,
  askedIds,
  flat7,
} from './helpers';

const { mock, client } = mockedBedrock();

const daily = flat7;
const forecastsFor = (ids: string[], v: number) => ({
  forecasts: ids.map((id) => ({ product_id: id, daily: daily(v) })),
});

/** A Converse response with the given content blocks. */
function response(content: ContentBlock[], stopReason: 'tool_use' | 'end_turn' = 'end_turn') {
  return {
    ...converseOutput(''),
    output: { message: { role: 'assistant' as const, content } },
    stopReason,
  };
}

function toolUse(input: unknown, name = FORECAST_TOOL_NAME): ContentBlock {
  return { toolUse: { toolUseId: 'tooluse_1', name, input: input as never } };
}

const refusal = () =>
  new ValidationException({
    message:
      "This model doesn't support the toolConfig.toolChoice.tool field. Remove toolConfig.toolChoice.tool and try again.",
    $metadata: { httpStatusCode: 400 },
  });

describe('answerWithFor', () => {
  it.each([
    ['us.anthropic.claude-3-7-sonnet-20250219-v1:0', 'tool'],
    ['anthropic.claude-3-haiku-20240307-v1:0', 'tool'],
    ['eu.anthropic.claude-sonnet-4-20250514-v1:0', 'tool'],
    ['us.amazon.nova-pro-v1:0', 'tool'],
    ['meta.llama3-1-70b-instruct-v1:0', 'text'],
    ['mistral.mistral-large-2407-v1:0', 'text'],
    ['anthropic.claude-v2:1', 'text'],
    ['local', 'text'],
  ])('asks %s for %s', (modelId, expected) => {
    expect(answerWithFor(modelId)).toBe(expected);
  });

  it('follows an override either way', () => {
    expect(answerWithFor('meta.llama3-1-70b-instruct-v1:0', 'tool')).toBe('tool');
    expect(answerWithFor(MODEL, 'text')).toBe('text');
  });
});

describe('forecastWithBedrock: structured output through tool use', () => {
  it('forces the forecast tool with the answer schema and takes the tool input', async () => {
    mock
      .on(ConverseCommand)
      .callsFake((input: ConverseCommandInput) =>
        response(
          [{ text: 'Calling the tool.' }, toolUse(forecastsFor(askedIds(input), 6))],
          'tool_use',
        ),
      );
    const { results, stats } = await forecastWithBedrock(
      inputsFor(['P1', 'P2', 'P3']),
      runOptions(client),
    );
    expect(stats.accepted).toBe(3);
    for (const r of results.values()) expect(r.p50).toEqual(daily(6));
    const input = mock.commandCalls(ConverseCommand)[0].args[0].input;
    expect(input.toolConfig?.toolChoice).toEqual({ tool: { name: FORECAST_TOOL_NAME } });
    const spec = input.toolConfig?.tools?.[0].toolSpec;
    expect(spec?.name).toBe(FORECAST_TOOL_NAME);
    expect(spec?.inputSchema?.json).toMatchObject({ type: 'object', required: ['forecasts'] });
    expect(input.system?.[0].text).toContain(`call the tool ${FORECAST_TOOL_NAME}`);
  });

  it('ignores a reasoning block holding a draft and takes the final answer', async () => {
    mock.on(ConverseCommand).callsFake((input: ConverseCommandInput) =>
      response([
        {
          reasoningContent: {
            reasoningText: {
              text: `Draft: ${JSON.stringify(forecastsFor(askedIds(input), 0))}`,
              signature: 'sig',
            },
          },
        },
        { text: answerText(askedIds(input).map((id) => ({ id, daily: daily(6) }))) },
      ]),
    );
    const { results, stats } = await forecastWithBedrock(
      inputsFor(['P1', 'P2']),
      runOptions(client, { structuredOutput: 'text', guardrail: 'warn' }),
    );
    expect(stats.accepted).toBe(2);
    for (const r of results.values()) expect(r.p50).toEqual(daily(6));
    expect(mock.commandCalls(ConverseCommand)[0].args[0].input.toolConfig).toBeUndefined();
  });

  it('takes the last call of the forecast tool and ignores other tools', async () => {
    mock
      .on(ConverseCommand)
      .callsFake((input: ConverseCommandInput) =>
        response(
          [
            toolUse(forecastsFor(askedIds(input), 1)),
            toolUse(forecastsFor(askedIds(input), 6)),
            toolUse(forecastsFor(askedIds(input), 9), 'other_tool'),
          ],
          'tool_use',
        ),
      );
    const { results } = await forecastWithBedrock(inputsFor(['P1', 'P2']), runOptions(client));
    for (const r of results.values()) expect(r.p50).toEqual(daily(6));
  });

  it('reads a text answer when the model answers in text despite the tool', async () => {
    mock
      .on(ConverseCommand)
      .callsFake((input: ConverseCommandInput) =>
        converseOutput(answerText(askedIds(input).map((id) => ({ id, daily: daily(6) })))),
      );
    const { stats } = await forecastWithBedrock(inputsFor(['P1', 'P2']), runOptions(client));
    expect(stats.accepted).toBe(2);
  });

  it('drops to text once per run when the service refuses tool use', async () => {
    mock.on(ConverseCommand).callsFake((input: ConverseCommandInput) => {
      if (input.toolConfig) throw refusal();
      return converseOutput(answerText(askedIds(input).map((id) => ({ id, daily: daily(6) }))));
    });
    const warn = vi.fn();
    const logger = { debug: vi.fn(), info: vi.fn(), warn, error: vi.fn() };
    const { stats } = await forecastWithBedrock(
      inputsFor(['P1', 'P2', 'P3', 'P4', 'P5', 'P6', 'P7', 'P8']),
      runOptions(client, { concurrency: 3, logger }),
    );
    expect(stats).toMatchObject({ accepted: 8, fallback: 0, requests: 4, retries: 1 });
    const calls = mock.commandCalls(ConverseCommand).map((c) => c.args[0].input);
    expect(calls.filter((c) => c.toolConfig)).toHaveLength(1);
    expect(calls).toHaveLength(5);
    expect(warn.mock.calls.filter(([m]) => /refused tool use/.test(m))).toHaveLength(1);
  });

  it('still stops the run on a ValidationException that is not about tools', async () => {
    mock.on(ConverseCommand).rejects(
      new ValidationException({
        message: 'The provided model identifier is invalid.',
        $metadata: { httpStatusCode: 400 },
      }),
    );
    await expect(forecastWithBedrock(inputsFor(['P1']), runOptions(client))).rejects.toThrow(
      InvalidModelError,
    );
    expect(mock.commandCalls(ConverseCommand)).toHaveLength(1);
  });
});
