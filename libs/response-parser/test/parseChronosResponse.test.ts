import { describe, expect, it } from 'vitest';
import { parseChronosResponse, type ProductVerdict } from '../src/index';

const q = (median: number[]) => ({
  mean: median.map((m) => m + 0.1),
  '0.1': median.map((m) => m / 2),
  '0.5': median,
  '0.9': median.map((m) => m * 2 + 1),
});
const m1 = [1, 2, 3, 4, 5, 6, 7];
const m2 = [0, 0, 1, 0, 0, 2, 0];

describe('parseChronosResponse', () => {
  it('maps predictions to ids in request order: daily = "0.5", p10 = "0.1", p90 = "0.9"', () => {
    const r = parseChronosResponse({ predictions: [q(m1), q(m2)] }, ['A', 'B'], 7);
    expect(r.verdicts.get('A')).toEqual({
      status: 'accepted',
      forecast: {
        productId: 'A',
        daily: m1,
        p10: m1.map((m) => m / 2),
        p90: m1.map((m) => m * 2 + 1),
      },
    });
    expect(
      (r.verdicts.get('B') as Extract<ProductVerdict, { status: 'accepted' }>).forecast.daily,
    ).toEqual(m2);
    expect(r.missing).toEqual([]);
  });

  it('uses the mean when "0.5" is absent', () => {
    const r = parseChronosResponse({ predictions: [{ mean: m1 }] }, ['A'], 7);
    expect(r.verdicts.get('A')).toEqual({
      status: 'accepted',
      forecast: { productId: 'A', daily: m1 },
    });
  });

  it('lists asked ids beyond the last prediction as missing', () => {
    const r = parseChronosResponse({ predictions: [q(m1)] }, ['A', 'B', 'C'], 7);
    expect([...r.verdicts.keys()]).toEqual(['A']);
    expect(r.missing).toEqual(['B', 'C']);
  });

  it('counts predictions beyond the asked ids as unattributed', () => {
    const r = parseChronosResponse({ predictions: [q(m1), q(m2), q(m2)] }, ['A'], 7);
    expect(r.unattributedEntries).toBe(2);
  });

  it('clamps small negatives to zero by default and rejects them when asked not to', () => {
    const body = {
      predictions: [
        { '0.1': [-0.2, 0, 0, 0, 0, 0, 0], '0.5': [-0.01, 1, 1, 1, 1, 1, 1], '0.9': m1 },
      ],
    };
    const clamped = parseChronosResponse(body, ['A'], 7).verdicts.get('A') as Extract<
      ProductVerdict,
      { status: 'accepted' }
    >;
    expect(clamped.forecast.daily[0]).toBe(0);
    expect(clamped.forecast.p10?.[0]).toBe(0);
    expect(
      parseChronosResponse(body, ['A'], 7, { clampNegative: false }).verdicts.get('A'),
    ).toEqual({
      status: 'rejected',
      reason: 'daily[0] is negative (-0.01)',
      code: 'negative',
    });
  });

  it('rejects a prediction of the wrong length or without a median', () => {
    const r = parseChronosResponse(
      { predictions: [{ '0.5': [1, 2] }, { '0.1': m1 }, 'x'] },
      ['A', 'B', 'C'],
      7,
    );
    expect(r.verdicts.get('A')).toMatchObject({
      status: 'rejected',
      reason: 'daily has 2 values, expected 7',
      code: 'wrong_length',
    });
    expect(r.verdicts.get('B')).toMatchObject({
      status: 'rejected',
      reason: 'daily is missing, expected an array',
      code: 'schema',
    });
    expect(r.verdicts.get('C')).toMatchObject({
      status: 'rejected',
      reason: 'prediction is a string ("x"), expected an object',
      code: 'schema',
    });
  });

  it('accepts the body as text and fails the whole answer on a wrong shape', () => {
    expect(
      parseChronosResponse(JSON.stringify({ predictions: [q(m1)] }), ['A'], 7).verdicts.get('A')
        ?.status,
    ).toBe('accepted');
    const wrong = parseChronosResponse({ forecasts: [] }, ['A'], 7);
    expect(wrong.errorCode).toBe('wrong_shape');
    expect(wrong.error).toMatch(/whose predictions is missing/);
    expect(wrong.missing).toEqual(['A']);
    expect(parseChronosResponse('{"predictions":[', ['A'], 7).errorCode).toBe('truncated');
  });
});
