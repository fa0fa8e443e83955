import { describe, expect, it } from 'vitest';
import {
  checkGuardrail,
  MISSING_ANSWER_REASON,
  parseChronosResponse,
  parseForecastAnswer,
  reasonCode,
  type ProductVerdict,
} from '../src/index';

describe('reasonCode', () => {
  it('recovers the code of every reason the parser produces', () => {
    const bad = [
      '{"product_id":"A","daily":[1,2,3,-2,1,1,1]}',
      '{"product_id":"B","daily":[1,NaN,3,2,1,1,1]}',
      '{"product_id":"C","daily":[1,1,null,2,1,1,1]}',
      '{"product_id":"D","daily":[1,1,2,"5",1,1,1]}',
      '{"product_id":"E","daily":[1,1,2,5,1,1]}',
      '{"product_id":"F","median":[1]}',
      '{"product_id":"G","daily":[4,4,4,4,4,4,4],"p10":[1,1,5,1,1,1,1]}',
      '{"product_id":"H","daily":[4,4,4,4,4,4,4],"p90":[9,3,9,9,9,9,9]}',
      '{"product_id":"I","daily":[1,1,1,1,1,1,1]}',
      '{"product_id":"I","daily":[1,1,1,1,1,1,1]}',
    ];
    const r = parseForecastAnswer(`{"forecasts":[${bad.join(',')}]}`, [...'ABCDEFGHI'], 7);
    const chronos = parseChronosResponse({ predictions: ['x'] }, ['J'], 7);
    const verdicts = [...r.verdicts.values(), ...chronos.verdicts.values()] as Extract<
      ProductVerdict,
      { status: 'rejected' }
    >[];
    expect(verdicts).toHaveLength(10);
    for (const v of verdicts) expect(reasonCode(v.reason)).toBe(v.code);
  });

  it('recovers whole-answer, guardrail and missing codes, and says other for foreign reasons', () => {
    for (const text of ['no json here', '{"forecasts":[', '{"a":1,}', '[1]']) {
      const r = parseForecastAnswer(text, ['A'], 7);
      expect(reasonCode(r.error!)).toBe(r.errorCode);
    }
    const history = new Float64Array(56).fill(2);
    const ref = { p50: Array(7).fill(2), p90: Array(7).fill(4) };
    for (const daily of [Array(7).fill(13), Array(7).fill(0)]) {
      const v = checkGuardrail({ daily }, ref, history);
      expect(v.ok).toBe(false);
      if (!v.ok) expect(reasonCode(v.reason)).toBe(v.code);
    }
    expect(reasonCode(MISSING_ANSWER_REASON)).toBe('missing');
    expect(reasonCode('ThrottlingException after 3 retries')).toBe('other');
  });
});
