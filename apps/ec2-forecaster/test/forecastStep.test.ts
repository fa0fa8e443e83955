import { describe, expect, it } from 'vitest';
import { forecastMany } from '@retail-forecast/forecasting/runtime';
import { noopLogger } from '@retail-forecast/util';
import { ConfigError } from '../src/errors';
import { forecastStep, modelLabel, parseModelSpec, parseRemoteModel } from '../src/forecastStep';
import type { ForecastStepOptions } from '../src/forecastStep';

const history = (n: number, seed: number) =>
  Float64Array.from({ length: n }, (_, i) => ((i * 7 + seed) % 11) + (i % 7 === 5 ? 6 : 0));

const products = [
  { productId: 'P1', productName: 'Earbuds', category: 'Electronics', history: history(120, 1) },
  { productId: 'P2', history: history(60, 4) },
];

const options: ForecastStepOptions = {
  model: { kind: 'statistical', id: 'statistical' },
  asOf: '2025-04-28',
  horizon: 7,
  guardrail: 'enforce',
  concurrency: 16,
  workers: 1,
  logger: noopLogger,
};

describe('model settings', () => {
  it('parses statistical, bedrock: and chronos: settings, keeping colons in ids', () => {
    expect(parseModelSpec('statistical')).toEqual({ kind: 'statistical', id: 'statistical' });
    expect(parseModelSpec(' stat ')).toEqual({ kind: 'statistical', id: 'statistical' });
    const arn = 'arn:aws:sagemaker:us-east-1:123456789012:endpoint/chronos-bolt';
    expect(parseModelSpec(`chronos:${arn}`)).toEqual({ kind: 'chronos', id: arn });
    expect(modelLabel(parseModelSpec('bedrock:local'))).toBe('bedrock:local');
  });

  it('names the setting when a remote model has no id', () => {
    expect(() => parseModelSpec('bedrock:')).toThrow(/--model "bedrock:" has no model id/);
    expect(() => parseRemoteModel('chronos: ', '--models entry')).toThrow(ConfigError);
  });

  it('leaves statistical names to the caller', () => {
    expect(parseRemoteModel('auto', '--models entry')).toBeUndefined();
    expect(() => parseModelSpec('gpt')).toThrow(/--model "gpt" is not a model/);
  });
});

describe('forecastStep', () => {
  it('gives the statistical forecast of every product for a statistical run', async () => {
    const step = await forecastStep(products, options);
    const direct = await forecastMany(
      products.map((p) => ({ id: p.productId, y: p.history })),
      { horizon: 7, workers: 1 },
    );
    expect([...step.forecasts.keys()]).toEqual(['P1', 'P2']);
    for (const [id, f] of direct) {
      expect(step.forecasts.get(id)).toEqual({
        p10: f.p10,
        p50: f.p50,
        p90: f.p90,
        // Whole-unit histories: P50 is the count median and the mean travels beside it.
        mean: f.mean,
        model: f.model,
        fallback: false,
        outliers: f.outliers,
      });
      expect(f.mean).toBeInstanceOf(Float64Array);
    }
    expect(step.bedrock).toBeNull();
  });

  it('enters the global model into the race with --global-model on', async () => {
    const many = Array.from({ length: 40 }, (_, i) => ({
      productId: `G${i}`,
      history: history(150, i),
    }));
    const step = await forecastStep(many, { ...options, globalModel: true });
    const direct = await forecastMany(
      many.map((p) => ({ id: p.productId, y: p.history })),
      { horizon: 7, workers: 1, globalModel: true },
    );
    for (const [id, f] of direct) expect(step.forecasts.get(id)?.p50).toEqual(f.p50);
    expect([...step.forecasts.values()].some((f) => f.model.includes('global'))).toBe(true);
  }, 60_000);

  it('refuses a remote model without a Bedrock client', async () => {
    await expect(
      forecastStep(products, { ...options, model: { kind: 'bedrock', id: 'local' } }),
    ).rejects.toThrow(ConfigError);
  });
});
