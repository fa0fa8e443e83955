import { describe, expect, it } from 'vitest';
import { faultFromModelId, standinForecast } from '../src';

const history = Float64Array.from({ length: 28 }, (_, i) => (i % 7) + 1);

describe('standinForecast', () => {
  it('takes the weekday mean of the last four weeks with a ±1.28·√m band', () => {
    const f = standinForecast(history, 7);
    expect(f.p50).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(f.p10[0]).toBe(0); // 1 − 1.28 clamps at 0
    expect(f.p90[3]).toBe(6.56); // 4 + 1.28 × 2
  });

  it('uses the plain mean for a series shorter than a week', () => {
    expect(standinForecast([2, 4], 3).p50).toEqual([3, 3, 3]);
  });
});

describe('faultFromModelId', () => {
  it('reads the fault from a model id or the tail of an ARN, and ignores unknown modes', () => {
    expect(faultFromModelId('local')).toBeUndefined();
    expect(faultFromModelId('local-fault-throttle')).toBe('throttle');
    expect(faultFromModelId('arn:aws:sagemaker:us-east-1:1:endpoint/local-fault-nan')).toBe('nan');
    expect(faultFromModelId('local-fault-meteor')).toBeUndefined();
  });
});
