import type { ReasonCode } from './types';

/** The reason recorded for an asked product that the answer left out. */
export const MISSING_ANSWER_REASON = 'no answer for this product';

// Ordered: the first pattern that matches wins. Each mirrors a reason format of this lib.
const PATTERNS: [RegExp, ReasonCode][] = [
  [/^duplicate answer$/, 'duplicate'],
  [/^no answer for this product$/, 'missing'],
  [/^\w+ has \d+ values, expected \d+$/, 'wrong_length'],
  [/^\w+\[\d+\] is negative \(/, 'negative'],
  [/^\w+\[\d+\] is (?:null$|not finite \()/, 'not_finite'],
  [/^p10\[\d+\] \S+ > median |^p90\[\d+\] \S+ < median /, 'quantile_order'],
  [/^\d+-day total \S+ > .* P90 total /, 'implausibly_high'],
  [/^\d+-day total 0 while /, 'implausibly_low'],
  [/^truncated JSON/, 'truncated'],
  [/^no JSON object found/, 'no_json'],
  [/^invalid JSON/, 'invalid_json'],
  [/^wrong top-level shape/, 'wrong_shape'],
  [/^(?:\w+(?:\[\d+\])?|prediction|answer) is .*, expected /, 'schema'],
];

/**
 * Stable code of a reason string produced by this lib (verdicts, guardrail, whole-answer
 * errors), for counting `fallback_reason`s once only the text was stored; `other` otherwise.
 */
export function reasonCode(reason: string): ReasonCode {
  for (const [pattern, code] of PATTERNS) if (pattern.test(reason)) return code;
  return 'other';
}
