import { describe, expect, it } from 'vitest';
import { extractJson, parseForecastAnswer, withoutReasoning, type ParseResult } from '../src/index';

const H = 7;
const IDS = ['P1', 'P2'];
// FC-19: the final answer (P1 ≈ 11.71/day, P2 12/day) and a draft at 0.8 × of it.
const FINAL = {
  P1: [15.25, 9, 10.5, 9.75, 10.5, 10.75, 16.25],
  P2: [14.25, 10, 11.25, 10.5, 10.75, 11.75, 15.5],
};
const scale = (f: typeof FINAL, k: number) => ({
  P1: FINAL.P1.map((v) => Math.round(v * k * 100) / 100),
  P2: FINAL.P2.map((v) => Math.round(v * k * 100) / 100),
});
const json = (f: typeof FINAL) =>
  JSON.stringify({
    forecasts: [
      { product_id: 'P1', daily: f.P1 },
      { product_id: 'P2', daily: f.P2 },
    ],
  });
const final = json(FINAL);
const draft = json(scale(FINAL, 0.8));
const zeroDraft = json(scale(FINAL, 0));

const sum = (a: number[]) => a.reduce((s, v) => s + v, 0);
function totals(r: ParseResult): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [id, v] of r.verdicts) {
    if (v.status === 'accepted') out[id] = Math.round(sum(v.forecast.daily) * 100) / 100;
  }
  return out;
}

describe('parseForecastAnswer: which JSON in the text is the answer', () => {
  // The right values of FC-19, whatever shape the final answer comes in.
  const RIGHT = { P1: 82, P2: 84 };

  it.each([
    ['plain JSON', final],
    ['fenced JSON', `Here is the forecast:\n\`\`\`json\n${final}\n\`\`\`\n`],
    [
      'a <thinking> section holding a draft (FC-19)',
      `<thinking>Draft before adjusting for the weekend peak: ${draft} The weekend sells more, so I scale up.</thinking>\n${final}`,
    ],
    [
      'a <thinking> section holding an all-zero draft',
      `<thinking>Start from nothing: ${zeroDraft}</thinking>\n${final}`,
    ],
    ['a <think> section (DeepSeek, Qwen)', `<think>\nfirst try ${draft}\n</think>\n\n${final}`],
    [
      'a </think> whose opening tag was in the prompt template',
      `first try ${draft}\nhmm, the weekend\n</think>\n${final}`,
    ],
    [
      'an example object echoed before the answer',
      `The format is {"forecasts":[{"product_id":"P100","daily":[1,2,3,4,5,6,7]}]}. Answer:\n${final}`,
    ],
    ['two complete answers (the last is the correction)', `${draft}\nCorrection:\n${final}`],
    [
      'a draft in the fence and the correction after it',
      `\`\`\`json\n${draft}\n\`\`\`\nOn reflection:\n\`\`\`json\n${final}\n\`\`\``,
    ],
    ['trailing prose with an unrelated object', `${final}\nNotes: {"confidence":"medium"}`],
  ])('takes the final answer from %s', (_shape, text) => {
    const r = parseForecastAnswer(text, IDS, H);
    expect(r.error).toBeUndefined();
    expect(totals(r)).toEqual(RIGHT);
    const p1 = r.verdicts.get('P1');
    expect(p1?.status === 'accepted' && p1.forecast.daily).toEqual(FINAL.P1);
  });

  it('does not take a draft for the answer when the final answer is cut off', () => {
    const text = `<thinking>x</thinking>${draft}\nCorrection:\n${final.slice(0, 70)}`;
    const r = parseForecastAnswer(text, IDS, H);
    expect(r.errorCode).toBe('truncated');
    expect(r.error).toMatch(/^truncated JSON: the value starting at character \d+ never closes/);
    expect(r.verdicts.size).toBe(0);
    expect(r.missing).toEqual(IDS);
  });

  it('does not take a draft for the answer when the final answer does not parse', () => {
    const r = parseForecastAnswer(`${draft}\nFinal:\n${final.replace(']}]}', '],}]}')}`, IDS, H);
    expect(r.errorCode).toBe('invalid_json');
  });

  it('finds no answer when the only JSON is inside reasoning', () => {
    const r = parseForecastAnswer(`<thinking>${final}</thinking>I could not decide.`, IDS, H);
    expect(r.errorCode).toBe('no_json');
  });

  it('treats an unclosed <thinking> as reasoning to the end of the text', () => {
    const r = parseForecastAnswer(`<thinking>draft ${final}`, IDS, H);
    expect(r.errorCode).toBe('no_json');
  });

  it('skips an echoed example even when it comes after the answer', () => {
    const text = `${final}\nas in the example {"forecasts":[{"product_id":"P100","daily":[0,0,0,0,0,0,0]}]}`;
    expect(totals(parseForecastAnswer(text, IDS, H))).toEqual({ P1: 82, P2: 84 });
  });

  it('still reports unknown ids when no object names an asked product', () => {
    const r = parseForecastAnswer(
      '{"forecasts":[{"product_id":"P1-X","daily":[1,1,1,1,1,1,1]}]}',
      IDS,
      H,
    );
    expect(r.unknownIds).toEqual(['P1-X']);
    expect(r.missing).toEqual(IDS);
  });
});

describe('parseForecastAnswer: a structured answer (tool input)', () => {
  it('validates an object as it is', () => {
    expect(totals(parseForecastAnswer(JSON.parse(final), IDS, H))).toEqual({ P1: 82, P2: 84 });
  });

  it('unwraps forecasts sent as JSON text', () => {
    const input = { forecasts: JSON.stringify(JSON.parse(final).forecasts) };
    expect(totals(parseForecastAnswer(input, IDS, H))).toEqual({ P1: 82, P2: 84 });
  });

  it('reports a wrong shape for anything else', () => {
    const r = parseForecastAnswer({ forecasts: 'not json' }, IDS, H);
    expect(r.errorCode).toBe('wrong_shape');
    expect(parseForecastAnswer(null, IDS, H).errorCode).toBe('wrong_shape');
  });
});

describe('withoutReasoning', () => {
  it('blanks reasoning sections and keeps positions', () => {
    const text = 'a<thinking>x{"a":1}</thinking>b<think>y</think>c';
    const out = withoutReasoning(text);
    expect(out).toHaveLength(text.length);
    expect(out.replace(/ +/g, '|')).toBe('a|b|c');
  });

  it('keeps tags that are not reasoning', () => {
    expect(withoutReasoning('<answer>{"a":1}</answer>')).toBe('<answer>{"a":1}</answer>');
  });
});

describe('extractJson: accept', () => {
  it('returns the last accepted value and the last parsed one when none is accepted', () => {
    const text = '{"a":1} {"b":2} {"a":3} {"c":4}';
    expect(extractJson(text, { accept: (v) => 'a' in (v as object) })).toEqual({ a: 3 });
    expect(extractJson(text, { accept: () => false })).toEqual({ c: 4 });
  });
});
