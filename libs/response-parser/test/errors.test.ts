import { exitCodeOf, exitKindOf } from '@retail-forecast/util';
import { describe, expect, it } from 'vitest';
import {
  checkGuardrail,
  extractJson,
  InvalidArgumentError,
  JsonExtractionError,
  ResponseParseError,
} from '../src/index';

describe('errors', () => {
  it('makes an answer without JSON a run failure (exit 1), not bad input', () => {
    let caught: unknown;
    try {
      extractJson('no json here');
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(JsonExtractionError);
    expect(exitKindOf(caught)).toBe('failure');
    expect(exitCodeOf(caught)).toBe(1);
  });

  it('makes a bad argument and the base error failures too', () => {
    expect(() => checkGuardrail({ daily: [] }, { p50: [], p90: [] }, new Float64Array())).toThrow(
      InvalidArgumentError,
    );
    expect(new InvalidArgumentError('x').exitKind).toBe('failure');
    expect(new ResponseParseError('x').exitKind).toBe('failure');
  });
});
