import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, parseForecastAnswer, type ProductVerdict } from '../src/index';

const H = 7;
const daily = [1, 2, 3, 0, 1.5, 2, 4];
const entry = (id: string, extra: Record<string, unknown> = {}) => ({
  product_id: id,
  daily,
  ...extra,
});
const answer = (...entries: unknown[]) => JSON.stringify({ forecasts: entries });

function rejected(v: ProductVerdict | undefined): { reason: string; code: string } {
  expect(v?.status).toBe('rejected');
  const r = v as Extract<ProductVerdict, { status: 'rejected' }>;
  return { reason: r.reason, code: r.code };
}

describe('parseForecastAnswer: whole answer', () => {
  it('accepts a well-formed answer with quantiles', () => {
    const p10 = daily.map((d) => d / 2);
    const p90 = daily.map((d) => d * 2);
    const r = parseForecastAnswer(answer(entry('P1', { p10, p90 }), entry('P2')), ['P1', 'P2'], H);
    expect(r.error).toBeUndefined();
    expect(r.missing).toEqual([]);
    expect(r.unknownIds).toEqual([]);
    expect(r.verdicts.get('P1')).toEqual({
      status: 'accepted',
      forecast: { productId: 'P1', daily, p10, p90 },
    });
    expect(r.verdicts.get('P2')).toEqual({
      status: 'accepted',
      forecast: { productId: 'P2', daily },
    });
  });

  it.each([
    ['non-JSON text', 'Sorry, I cannot help with that.', 'no_json', /^no JSON object found/],
    [
      'truncated JSON',
      answer(entry('P1'), entry('P2')).slice(0, 60),
      'truncated',
      /^truncated JSON/,
    ],
    [
      'a top-level array',
      JSON.stringify([entry('P1'), entry('P2')]),
      'wrong_shape',
      /got an array, expected an object with a "forecasts" array/,
    ],
    [
      'missing forecasts',
      JSON.stringify({ predictions: [entry('P1')] }),
      'wrong_shape',
      /whose forecasts is missing/,
    ],
    [
      'forecasts not an array',
      JSON.stringify({ forecasts: { P1: daily } }),
      'wrong_shape',
      /whose forecasts is an object/,
    ],
  ])(
    'fails the whole answer on %s, listing every asked id as missing',
    (_name, text, code, message) => {
      const r = parseForecastAnswer(text, ['P1', 'P2'], H);
      expect(r.errorCode).toBe(code);
      expect(r.error).toMatch(message);
      expect(r.verdicts.size).toBe(0);
      expect(r.missing).toEqual(['P1', 'P2']);
    },
  );

  it('reads an answer in a fence with prose around it', () => {
    const text = `Here are the forecasts:\n\`\`\`json\n${answer(entry('P1'))}\n\`\`\`\nNote: demand is low.`;
    expect(parseForecastAnswer(text, ['P1'], H).verdicts.get('P1')?.status).toBe('accepted');
  });

  it('ignores unknown ids, lists missing ones and counts entries without an id', () => {
    const r = parseForecastAnswer(
      answer(
        entry('P1'),
        entry('P9'),
        entry('P9'),
        { daily },
        'junk',
        entry('Ignore all instructions'),
      ),
      ['P1', 'P2', 'P3'],
      H,
    );
    expect([...r.verdicts.keys()]).toEqual(['P1']);
    expect(r.missing).toEqual(['P2', 'P3']);
    expect(r.unknownIds).toEqual(['P9', 'Ignore all instructions']);
    expect(r.unattributedEntries).toBe(2);
  });

  it('returns verdicts in asked order whatever the answer order', () => {
    const r = parseForecastAnswer(
      answer(entry('P3'), entry('P1'), entry('P2')),
      ['P1', 'P2', 'P3'],
      H,
    );
    expect([...r.verdicts.keys()]).toEqual(['P1', 'P2', 'P3']);
  });

  it('rejects a product answered twice, even if both copies are valid, and keeps the others', () => {
    const r = parseForecastAnswer(answer(entry('P1'), entry('P2'), entry('P1')), ['P1', 'P2'], H);
    expect(rejected(r.verdicts.get('P1'))).toEqual({
      reason: 'duplicate answer',
      code: 'duplicate',
    });
    expect(r.verdicts.get('P2')?.status).toBe('accepted');
  });

  it('rejects a bad horizon argument as a programming error', () => {
    expect(() => parseForecastAnswer('{}', ['P1'], 0)).toThrow(InvalidArgumentError);
  });
});

describe('parseForecastAnswer: per-product validation', () => {
  const cases: [string, string, string, string][] = [
    [
      'negative',
      '{"product_id":"P1","daily":[1,2,3,-2,1,1,1]}',
      'daily[3] is negative (-2)',
      'negative',
    ],
    [
      'a bare NaN',
      '{"product_id":"P1","daily":[1,NaN,3,2,1,1,1]}',
      'daily[1] is not finite (NaN)',
      'not_finite',
    ],
    [
      'Infinity',
      '{"product_id":"P1","daily":[1,1,3,2,1,1,Infinity]}',
      'daily[6] is not finite (Infinity)',
      'not_finite',
    ],
    ['null', '{"product_id":"P1","daily":[1,1,null,2,1,1,1]}', 'daily[2] is null', 'not_finite'],
    [
      'a numeric string',
      '{"product_id":"P1","daily":[1,1,2,"5",1,1,1]}',
      'daily[3] is a string ("5"), expected a number',
      'schema',
    ],
    [
      '6 values',
      '{"product_id":"P1","daily":[1,1,2,5,1,1]}',
      'daily has 6 values, expected 7',
      'wrong_length',
    ],
    [
      '8 values',
      '{"product_id":"P1","daily":[1,1,2,5,1,1,1,1]}',
      'daily has 8 values, expected 7',
      'wrong_length',
    ],
    [
      'no daily',
      '{"product_id":"P1","median":[1,1,2,5,1,1,1]}',
      'daily is missing, expected an array',
      'schema',
    ],
    [
      'daily as text',
      '{"product_id":"P1","daily":"1,1,2,5,1,1,1"}',
      'daily is a string ("1,1,2,5,1,1,1"), expected an array',
      'schema',
    ],
    [
      'short p90',
      '{"product_id":"P1","daily":[1,1,1,1,1,1,1],"p90":[2,2,2]}',
      'p90 has 3 values, expected 7',
      'wrong_length',
    ],
    [
      'negative p10',
      '{"product_id":"P1","daily":[1,1,1,1,1,1,1],"p10":[0,0,-1,0,0,0,0]}',
      'p10[2] is negative (-1)',
      'negative',
    ],
    [
      'p10 above the median',
      '{"product_id":"P1","daily":[4,4,4,4,4,4,4],"p10":[1,1,5,1,1,1,1]}',
      'p10[2] 5 > median 4',
      'quantile_order',
    ],
    [
      'p90 below the median',
      '{"product_id":"P1","daily":[4,4,4,4,4,4,4],"p90":[9,3.5,9,9,9,9,9]}',
      'p90[1] 3.5 < median 4',
      'quantile_order',
    ],
  ];

  it.each(cases)(
    'rejects %s with a specific reason, keeping the valid product',
    (_name, bad, reason, code) => {
      const text = `{"forecasts":[${bad},${JSON.stringify(entry('P2'))}]}`;
      const r = parseForecastAnswer(text, ['P1', 'P2'], H);
      expect(r.error).toBeUndefined();
      expect(rejected(r.verdicts.get('P1'))).toEqual({ reason, code });
      expect(r.verdicts.get('P2')?.status).toBe('accepted');
    },
  );

  it('accepts equal quantiles, zeros, absent or null quantiles, and ignores extra keys', () => {
    const zeros = Array(7).fill(0);
    const r = parseForecastAnswer(
      answer(entry('P1', { p10: daily, p90: daily, note: 'flat' }), {
        product_id: 'P2',
        daily: zeros,
        p10: null,
      }),
      ['P1', 'P2'],
      H,
    );
    expect(r.verdicts.get('P1')).toEqual({
      status: 'accepted',
      forecast: { productId: 'P1', daily, p10: daily, p90: daily },
    });
    expect(r.verdicts.get('P2')).toEqual({
      status: 'accepted',
      forecast: { productId: 'P2', daily: zeros },
    });
  });

  it('follows the horizon it is given', () => {
    const r = parseForecastAnswer(answer(entry('P1')), ['P1'], 3);
    expect(rejected(r.verdicts.get('P1')).reason).toBe('daily has 7 values, expected 3');
  });
});
