import { describe, expect, it } from 'vitest';
import { DECODE_THREADS_FROM_CORES, parquetDecodeOptions } from '../src/decodeThreads';

describe('parquetDecodeOptions', () => {
  it('decodes on the main thread automatically below 4 cores, where threads cost more than they free', () => {
    expect(parquetDecodeOptions(0, undefined, 1).workers).toBe(0);
    expect(parquetDecodeOptions(0, undefined, 2).workers).toBe(0);
    expect(parquetDecodeOptions(0, undefined, DECODE_THREADS_FROM_CORES - 1).workers).toBe(0);
  });

  it('decodes on one thread per core but one automatically from 4 cores', () => {
    expect(parquetDecodeOptions(0, undefined, 4).workers).toBe(3);
    expect(parquetDecodeOptions(0, undefined, 16).workers).toBe(15);
  });

  it('follows an explicit worker count whatever the cores: 1 is the main thread', () => {
    expect(parquetDecodeOptions(1, undefined, 16).workers).toBe(0);
    expect(parquetDecodeOptions(2, undefined, 2).workers).toBe(2);
    const url = new URL('file:///opt/forecast/main.mjs');
    expect(parquetDecodeOptions(3, url, 2)).toEqual({ workers: 3, workerUrl: url });
  });
});
