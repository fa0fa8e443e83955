import { describe, expect, it } from 'vitest';
import { checkBatchShift, InvalidArgumentError } from '../src/index';

const ref = [10, 10, 10, 10, 10, 10, 10];
const times = (k: number) => ref.map((v) => v * k);
const item = (k: number) => ({ daily: times(k), reference: ref });

describe('checkBatchShift', () => {
  it('flags a request whose answers all moved up together (+50 %)', () => {
    const v = checkBatchShift(Array.from({ length: 19 }, (_, i) => item(1.5 + (i % 3) * 0.05)));
    expect(v.shifted).toBe(true);
    expect(v.shifted && v.reason).toMatch(
      /^19 of 19 answers in one request are above their statistical forecast by a factor of 1.2 or more \(median ratio 1.5\d*\)/,
    );
  });

  it('flags a shift down as well', () => {
    expect(checkBatchShift([item(0.5), item(0.6), item(0.7), item(0.5), item(1)]).shifted).toBe(
      true,
    );
  });

  it('leaves independent disagreements in both directions alone', () => {
    const mixed = [1.5, 0.6, 1.3, 0.7, 1.0, 1.4, 0.8, 1.25, 0.9, 1.1].map(item);
    expect(checkBatchShift(mixed)).toEqual({ shifted: false });
  });

  it('leaves a mild common drift alone', () => {
    expect(checkBatchShift(Array.from({ length: 10 }, () => item(1.15)))).toEqual({
      shifted: false,
    });
  });

  it('needs enough products to tell a shift from chance', () => {
    expect(checkBatchShift([item(2), item(2), item(2)])).toEqual({ shifted: false });
  });

  it('does not let near-zero sellers swing the ratio', () => {
    const tiny = { daily: [0, 0, 1, 0, 0, 0, 0], reference: [0, 0, 0, 0, 0, 0, 0.5] };
    expect(checkBatchShift([tiny, tiny, tiny, tiny, tiny])).toEqual({ shifted: false });
  });

  it('rejects nonsense options', () => {
    expect(() => checkBatchShift([], { minRatio: 1 })).toThrow(InvalidArgumentError);
  });
});
