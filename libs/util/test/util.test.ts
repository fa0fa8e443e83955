import { describe, expect, it } from 'vitest';
import {
  equalJitterDelayMs,
  errorMessage,
  EXIT_BAD_INPUT,
  EXIT_FAILED,
  exitCodeOf,
  exitKindOf,
  fullJitterDelayMs,
  noopLogger,
  renderTextTable,
  sleep,
} from '../src/index';

describe('exit kinds', () => {
  it("reads an error's own exit kind and maps it to the exit code", () => {
    const config = Object.assign(new Error('no table'), { exitKind: 'config' });
    const input = Object.assign(new Error('bad file'), { exitKind: 'input' });
    expect(exitKindOf(config)).toBe('config');
    expect(exitCodeOf(config)).toBe(EXIT_BAD_INPUT);
    expect(exitCodeOf(input)).toBe(EXIT_BAD_INPUT);
  });

  it('treats errors without a kind, or with an unknown one, as failures (exit 1)', () => {
    expect(exitKindOf(new TypeError('bug'))).toBe('failure');
    expect(exitKindOf(Object.assign(new Error('x'), { exitKind: 'weird' }))).toBe('failure');
    expect(exitCodeOf(undefined)).toBe(EXIT_FAILED);
    expect(errorMessage('plain')).toBe('plain');
    expect(errorMessage(new Error('boxed'))).toBe('boxed');
  });
});

describe('backoff', () => {
  it('draws full jitter below the capped exponential step', () => {
    const opts = { baseMs: 50, maxMs: 2000 };
    expect(fullJitterDelayMs(0, opts, () => 0.999)).toBe(49);
    expect(fullJitterDelayMs(3, opts, () => 0.5)).toBe(200);
    expect(fullJitterDelayMs(10, opts, () => 0.5)).toBe(1000);
    expect(fullJitterDelayMs(2, opts, () => 0)).toBe(0);
  });

  it('keeps at least half the step with equal jitter', () => {
    const opts = { baseMs: 250, maxMs: Number.POSITIVE_INFINITY };
    expect(equalJitterDelayMs(0, opts, () => 0)).toBe(125);
    expect(equalJitterDelayMs(2, opts, () => 1)).toBe(1000);
  });
});

describe('sleep', () => {
  it('waits, and returns early without throwing when aborted', async () => {
    const t0 = performance.now();
    await sleep(20);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(15);
    const ac = new AbortController();
    const pending = sleep(60_000, ac.signal);
    ac.abort();
    await expect(pending).resolves.toBeUndefined();
    await expect(sleep(60_000, AbortSignal.abort())).resolves.toBeUndefined();
  });
});

describe('renderTextTable', () => {
  it('pads each column to its widest cell, left then right aligned', () => {
    const out = renderTextTable(
      ['product', 'name', 'stock'],
      [
        ['P1', 'Widget', '5'],
        ['P100', 'Gadget XL', '1200'],
      ],
      { align: ['left', 'left'] },
    );
    expect(out.split('\n')).toEqual([
      'product  name       stock',
      '-------  ---------  -----',
      'P1       Widget         5',
      'P100     Gadget XL   1200',
    ]);
  });
});

describe('noopLogger', () => {
  it('accepts every level and cannot be changed', () => {
    expect(() => noopLogger.error('x', { a: 1 })).not.toThrow();
    expect(Object.isFrozen(noopLogger)).toBe(true);
  });
});
