import { describe, expect, it } from 'vitest';
import { extractJson, JsonExtractionError, ResponseParseError } from '../src/index';

const body = '{"forecasts":[{"product_id":"P1","daily":[1,2,3]}]}';
const value = { forecasts: [{ product_id: 'P1', daily: [1, 2, 3] }] };

function codeOf(text: string): string {
  try {
    extractJson(text);
  } catch (e) {
    expect(e).toBeInstanceOf(JsonExtractionError);
    expect(e).toBeInstanceOf(ResponseParseError);
    return (e as JsonExtractionError).code;
  }
  throw new Error('extractJson did not throw');
}

describe('extractJson', () => {
  it('reads plain JSON', () => {
    expect(extractJson(body)).toEqual(value);
    expect(extractJson(`  \n${body}\n`)).toEqual(value);
  });

  it('reads JSON in a ```json fence', () => {
    expect(extractJson(`\`\`\`json\n${body}\n\`\`\``)).toEqual(value);
    expect(extractJson(`Here you go:\n\`\`\`\n${body}\n\`\`\`\nDone.`)).toEqual(value);
  });

  it('reads JSON surrounded by prose, ignoring brackets in the prose', () => {
    const text = `Sure [see below] — {note: weekly pattern}: ${body} Let me know if {anything} else.`;
    expect(extractJson(text)).toEqual(value);
  });

  it('keeps braces and quotes inside strings', () => {
    expect(extractJson('{"a":"} ] \\" {","b":[1]}')).toEqual({ a: '} ] " {', b: [1] });
  });

  it('returns a top-level array as it is (shape is the caller’s concern)', () => {
    expect(extractJson('[{"product_id":"P1"}]')).toEqual([{ product_id: 'P1' }]);
  });

  it('reads bare NaN and Infinity tokens as numbers, but not inside strings', () => {
    const got = extractJson(
      '{"daily":[1,NaN,-Infinity,Infinity,+Infinity],"note":"NaN Infinity"}',
    ) as {
      daily: number[];
      note: string;
    };
    expect(got.daily[0]).toBe(1);
    expect(got.daily[1]).toBeNaN();
    expect(got.daily.slice(2)).toEqual([-Infinity, Infinity, Infinity]);
    expect(got.note).toBe('NaN Infinity');
  });

  it('reports truncated JSON', () => {
    expect(codeOf(body.slice(0, 30))).toBe('truncated');
    expect(codeOf(`\`\`\`json\n${body.slice(0, 40)}`)).toBe('truncated');
    expect(() => extractJson(body.slice(0, 30))).toThrow(/^truncated JSON/);
  });

  it('reports text without JSON', () => {
    expect(codeOf('I cannot forecast these products.')).toBe('no_json');
    expect(codeOf('')).toBe('no_json');
    expect(() => extractJson('OK')).toThrow(
      /no JSON object found in the answer \(2 characters, starting "OK"\)/,
    );
  });

  it('reports JSON that closes but does not parse, instead of picking an inner object', () => {
    expect(codeOf('{"forecasts":[{"product_id":"P1","daily":[1]},]}')).toBe('invalid_json');
    expect(codeOf('{"a": [1, 2}')).toBe('invalid_json');
    expect(() => extractJson('{"a":1,}')).toThrow(/^invalid JSON at character 0: /);
  });
});
