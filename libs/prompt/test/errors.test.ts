import { exitCodeOf } from '@retail-forecast/util';
import { describe, expect, it } from 'vitest';
import {
  buildPromptBatches,
  InvalidDateError,
  InvalidProductError,
  InvalidPromptOptionsError,
  PromptDataParseError,
  PromptError,
} from '../src/index';

describe('errors', () => {
  it('throws its own InvalidDateError, a PromptError, for a bad as-of date', () => {
    const build = () => buildPromptBatches([], '2025-02-30');
    expect(build).toThrow(InvalidDateError);
    expect(build).toThrow(PromptError);
    expect(build).toThrow('asOf "2025-02-30" is not a date (expected YYYY-MM-DD)');
  });

  it.each([
    new PromptError('x'),
    new InvalidDateError('x'),
    new InvalidProductError('x'),
    new InvalidPromptOptionsError('x'),
    new PromptDataParseError('x'),
  ])('makes %s a run failure (exit 1)', (err) => {
    expect(err.exitKind).toBe('failure');
    expect(exitCodeOf(err)).toBe(1);
  });
});
