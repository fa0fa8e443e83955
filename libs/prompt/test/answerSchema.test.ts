import { describe, expect, it } from 'vitest';
import {
  buildPromptBatches,
  buildSystemPrompt,
  FORECAST_TOOL_NAME,
  forecastAnswerSchema,
  InvalidPromptOptionsError,
  parsePromptData,
} from '../src/index';

describe('forecastAnswerSchema', () => {
  it('describes the contract with exactly horizon non-negative numbers per series', () => {
    const schema = forecastAnswerSchema(3) as {
      required: string[];
      properties: {
        forecasts: { items: { required: string[]; properties: Record<string, object> } };
      };
    };
    expect(schema.required).toEqual(['forecasts']);
    const entry = schema.properties.forecasts.items;
    expect(entry.required).toEqual(['product_id', 'daily']);
    expect(entry.properties.daily).toMatchObject({
      type: 'array',
      items: { type: 'number', minimum: 0 },
      minItems: 3,
      maxItems: 3,
    });
    expect(Object.keys(entry.properties)).toEqual(['product_id', 'daily', 'p10', 'p90']);
  });
});

describe('answerWith: tool', () => {
  const history = Float64Array.from({ length: 14 }, (_, i) => i % 3);
  const product = { productId: 'P1', productName: 'Mug', history };

  it('asks for the tool call instead of bare JSON, with the same data lines', () => {
    const [text] = buildPromptBatches([product], '2025-04-28');
    const [tool] = buildPromptBatches([product], '2025-04-28', { answerWith: 'tool' });
    expect(tool.system).toContain(`call the tool ${FORECAST_TOOL_NAME} once`);
    expect(tool.system).not.toContain('nothing else (no prose');
    expect(text.system).toBe(buildSystemPrompt(7));
    expect(tool.system).toBe(buildSystemPrompt(7, 'tool'));
    expect(tool.user.split('\n').at(-1)).toBe(
      `Call ${FORECAST_TOOL_NAME} once: 1 forecasts, 7 numbers per array.`,
    );
    expect(parsePromptData(tool.user)).toEqual(parsePromptData(text.user));
  });

  it('is never longer than the text prompt, so a text batch also fits as a tool batch', () => {
    for (const horizon of [1, 7, 90]) {
      const many = Array.from({ length: 20 }, (_, i) => ({ ...product, productId: `P${i}` }));
      const [text] = buildPromptBatches(many, '2025-04-28', { horizon });
      const [tool] = buildPromptBatches(many, '2025-04-28', { horizon, answerWith: 'tool' });
      expect(tool.estimatedInputTokens).toBeLessThanOrEqual(text.estimatedInputTokens);
    }
  });

  it('rejects an unknown answerWith', () => {
    expect(() =>
      buildPromptBatches([product], '2025-04-28', { answerWith: 'xml' as 'text' }),
    ).toThrow(InvalidPromptOptionsError);
  });
});
