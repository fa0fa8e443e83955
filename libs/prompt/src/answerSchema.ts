import { resolveHorizon } from './options';

/** Name of the tool a model is made to call with its answer (Converse `toolChoice`). */
export const FORECAST_TOOL_NAME = 'submit_forecasts';

/**
 * The answer contract as a JSON Schema (draft 2020-12 subset that Bedrock tool specs accept): the
 * tool's `inputSchema.json` when the answer is asked for through tool use. Same contract as the
 * system prompt's text; the response parser checks it either way.
 */
export function forecastAnswerSchema(horizon?: number): Record<string, unknown> {
  const h = resolveHorizon(horizon);
  const series = (what: string) => ({
    type: 'array',
    description: `${what}, ${h} non-negative numbers in forecast-date order`,
    items: { type: 'number', minimum: 0 },
    minItems: h,
    maxItems: h,
  });
  return {
    type: 'object',
    properties: {
      forecasts: {
        type: 'array',
        description: 'one entry per product in <data>',
        items: {
          type: 'object',
          properties: {
            product_id: { type: 'string', description: 'copied exactly from the product id' },
            daily: series('median forecast'),
            p10: series('10th percentile, <= daily'),
            p90: series('90th percentile, >= daily'),
          },
          required: ['product_id', 'daily'],
        },
      },
    },
    required: ['forecasts'],
    additionalProperties: false,
  };
}
