import { describe, expect, it, vi } from 'vitest';
import { estimateMemoryBytes, productsThatFit } from '@retail-forecast/job-contract';
import { exitCodeOf } from '@retail-forecast/util';
import { CapacityCheck, availableMemoryBytes } from '../src/capacity';
import { ConfigError } from '../src/errors';

const GiB = 1024 ** 3;
const logger = () => ({ info: vi.fn(), warn: vi.fn() });

describe('CapacityCheck', () => {
  it('lets a catalog that fits load quietly and logs what it needs', () => {
    const log = logger();
    const check = new CapacityCheck(2 * GiB, log);
    check.afterFile(10_000, 1, 3);
    check.loaded(10_000);
    expect(log.warn).not.toHaveBeenCalled();
    expect(log.info.mock.calls[0][0]).toBe(
      "memory: about 1.1 GiB planned: 1.0 GiB for the runtime whatever the catalog, plus 78.1 MiB for 10000 products (8 KiB each); this machine's 2.0 GiB holds up to about 91750 products",
    );
  });

  it('says a small catalog adds little to the fixed runtime base, rather than that it needs 1 GiB', () => {
    const log = logger();
    new CapacityCheck(2 * GiB, log).loaded(61);
    expect(log.info.mock.calls[0][0]).toMatch(
      /^memory: about 1\.0 GiB planned: 1\.0 GiB for the runtime whatever the catalog, plus 488 KiB for 61 products/,
    );
  });

  it('warns once when the need passes the usable share of the memory', () => {
    const log = logger();
    const check = new CapacityCheck(2 * GiB, log);
    check.afterFile(90_000, 1, 3); // 1.69 GiB: within 85 % of 2 GiB
    check.afterFile(100_000, 2, 3);
    check.afterFile(110_000, 3, 3);
    expect(log.warn).toHaveBeenCalledTimes(1);
    expect(log.warn.mock.calls[0][0]).toContain('memory is short: 100000 products');
  });

  it('stops with exit 2 once the products loaded already need more than the machine has', () => {
    const check = new CapacityCheck(2 * GiB, logger(), { index: 0, count: 2 });
    const products = 135_000; // 1 GiB + 135,000 × 8 KiB = 2.03 GiB
    expect(estimateMemoryBytes(products)).toBeGreaterThan(2 * GiB);
    let error: unknown;
    try {
      check.afterFile(products, 7, 40);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(exitCodeOf(error)).toBe(2);
    const fit = productsThatFit(2 * GiB);
    expect((error as Error).message).toBe(
      'the catalog does not fit this machine: the 135000 products loaded after file 7 of 40 ' +
        'already need at least 2.0 GiB (1.0 GiB + 8 KiB per product, see "Sizing" in the README), ' +
        'and it has 2.0 GiB; nothing was written. Use an instance type with more memory ' +
        `(t4g.medium or larger for 135000+ products) or split the run: --shard i/N with N of at least ${Math.ceil((2 * products) / fit)} on this machine`,
    );
  });

  it('reads the machine memory, or a smaller container limit', () => {
    const m = availableMemoryBytes();
    expect(m).toBeGreaterThan(0);
    const spy = vi.spyOn(process, 'constrainedMemory').mockReturnValue(512 * 1024 ** 2);
    expect(availableMemoryBytes()).toBe(512 * 1024 ** 2);
    spy.mockRestore();
  });
});
