// Letter runs, digit runs, whitespace runs, or any other single code point.
const PIECES = /([A-Za-z]+)|(\d+)|(\s+)|([^])/gu;

/**
 * Deterministic, conservative token estimate for Claude-family models.
 *
 * Anthropic does not publish the tokenizer of current Claude models and quotes about
 * 3.5 characters per token for English. A flat characters/3.5 badly undercounts the text
 * this lib produces (short numbers separated by commas), so the estimate is structural,
 * modelled on byte-pair tokenizers of the Claude / cl100k family:
 * - an ASCII letter run costs ceil(length / 4) (common words are one token, longer ones split);
 * - a digit run costs ceil(length / 3) (BPE vocabularies hold numbers up to three digits);
 * - each punctuation or symbol character costs 1;
 * - a single space is free (tokenizers glue it to the next word); each newline costs 1, as does
 *   any other whitespace run;
 * - any other code point (accents, CJK, emoji) costs 1.
 * Real tokenizers merge frequent pairs such as `",` or `="`, so for our data lines this counts
 * high (roughly 10-30 %), and for English prose it lands near characters/3.5. Erring high
 * keeps requests under the budget.
 */
export function estimateTokens(text: string): number {
  let tokens = 0;
  for (const m of text.matchAll(PIECES)) {
    if (m[1] !== undefined) tokens += Math.ceil(m[1].length / 4);
    else if (m[2] !== undefined) tokens += Math.ceil(m[2].length / 3);
    else if (m[3] !== undefined) {
      const ws = m[3];
      const newlines = ws.split('\n').length - 1;
      tokens += newlines > 0 ? newlines : ws === ' ' ? 0 : 1;
    } else tokens += 1;
  }
  return tokens;
}
