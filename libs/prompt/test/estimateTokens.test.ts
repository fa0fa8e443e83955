import { describe, expect, it } from 'vitest';
import { estimateTokens } from '../src/index';

describe('estimateTokens', () => {
  it('costs letter runs per 4 letters, digit runs per 3 digits and each symbol 1', () => {
    expect(estimateTokens('')).toBe(0);
    expect(estimateTokens('the')).toBe(1);
    expect(estimateTokens('forecast')).toBe(2);
    expect(estimateTokens('123456')).toBe(2);
    expect(estimateTokens('1234567')).toBe(3);
    expect(estimateTokens('1,0,2')).toBe(5);
    expect(estimateTokens('a b')).toBe(2); // the single space is glued to "b"
    expect(estimateTokens('a\n\nb')).toBe(4);
    expect(estimateTokens('a  b')).toBe(3);
    expect(estimateTokens('東京')).toBe(2);
  });

  it('is deterministic and never decreases when text is appended', () => {
    const text = 'as_of 2025-04-28 Mon\nr 2025-04-01 Tue: 4,1,3,0|2,4,1\nname="Gaming Mouse"';
    let previous = 0;
    for (let i = 1; i <= text.length; i++) {
      const t = estimateTokens(text.slice(0, i));
      expect(t).toBeGreaterThanOrEqual(previous);
      previous = t;
    }
    expect(estimateTokens(text)).toBe(previous);
  });

  it('lands near the published 3.5 characters per token on English prose', () => {
    const prose =
      'Retailers forecast demand every morning so that stores order enough stock without ' +
      'tying up cash in products that will not sell before the next delivery arrives.';
    const ratio = estimateTokens(prose) / (prose.length / 3.5);
    expect(ratio).toBeGreaterThan(0.8);
    expect(ratio).toBeLessThan(1.3);
  });

  it('counts comma-separated small numbers as about one token per character', () => {
    const list = Array.from({ length: 28 }, (_, i) => i % 4).join(',');
    expect(estimateTokens(list)).toBe(55);
  });
});
