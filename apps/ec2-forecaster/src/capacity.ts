import { totalmem } from 'node:os';
import {
  BASE_MEMORY_BYTES,
  BYTES_PER_PRODUCT,
  USABLE_MEMORY_SHARE,
  estimateMemoryBytes,
  formatBytes,
  formatGiB,
  planForCatalog,
  productsThatFit,
} from '@retail-forecast/job-contract';
import type { ShardSpec } from '@retail-forecast/job-contract';
import type { Logger } from '@retail-forecast/util';
import { ConfigError } from './errors';

/**
 * The memory the job may use: the container's limit (cgroup, as on AWS Batch or ECS) when there
 * is one below the machine's, else the machine's (bytes).
 */
export function availableMemoryBytes(): number {
  const total = totalmem();
  const constrained = process.constrainedMemory?.() ?? 0;
  return constrained > 0 && constrained < total ? constrained : total;
}

/**
 * Checks, as files are loaded, that the catalog fits the machine, using the sizing constants of
 * the job contract (one place). Products only ever add up while loading, so the estimate after a
 * file is a lower bound of the need: once it exceeds the whole memory, the run cannot fit, and it
 * stops with exit 2 and what to use instead, before the kernel kills it half-way.
 */
export class CapacityCheck {
  private warned = false;

  constructor(
    private readonly memoryBytes: number,
    private readonly logger: Pick<Logger, 'info' | 'warn'>,
    private readonly shard?: ShardSpec,
  ) {}

  /**
   * @param products products loaded so far
   * @throws ConfigError when they already need more memory than the machine has
   */
  afterFile(products: number, file: number, files: number): void {
    const need = estimateMemoryBytes(products);
    if (need > this.memoryBytes) throw new ConfigError(this.advice(products, file, files));
    if (!this.warned && need > this.memoryBytes * USABLE_MEMORY_SHARE) {
      this.warned = true;
      this.logger.warn(
        `memory is short: ${products} products loaded after file ${file} of ${files} need about ` +
          `${formatGiB(need)} of this machine's ${formatGiB(this.memoryBytes)}; ` +
          this.suggestion(products),
      );
    }
  }

  /**
   * Logs what the loaded catalog needs against what the machine has: the fixed runtime base and
   * the per-product part apart, so a small catalog does not read as needing a gigabyte itself.
   */
  loaded(products: number): void {
    this.logger.info(
      `memory: about ${formatGiB(estimateMemoryBytes(products))} planned: ` +
        `${formatGiB(BASE_MEMORY_BYTES)} for the runtime whatever the catalog, plus ` +
        `${formatBytes(BYTES_PER_PRODUCT * products)} for ${products} products ` +
        `(${BYTES_PER_PRODUCT / 1024} KiB each); this machine's ${formatGiB(this.memoryBytes)} ` +
        `holds up to about ${productsThatFit(this.memoryBytes)} products`,
      { products, needBytes: estimateMemoryBytes(products), memoryBytes: this.memoryBytes },
    );
  }

  private advice(products: number, file: number, files: number): string {
    return (
      `the catalog does not fit this machine: the ${products} products loaded after file ${file} ` +
      `of ${files} already need at least ${formatGiB(estimateMemoryBytes(products))} ` +
      `(${formatGiB(BASE_MEMORY_BYTES)} + ${BYTES_PER_PRODUCT / 1024} KiB per product, see ` +
      `"Sizing" in the README), and it has ${formatGiB(this.memoryBytes)}; nothing was written. ` +
      this.suggestion(products)
    );
  }

  private suggestion(products: number): string {
    const shards = this.shard?.count ?? 1;
    const fit = Math.max(1, productsThatFit(this.memoryBytes));
    const plan = planForCatalog(products);
    return (
      `Use an instance type with more memory (${plan.instanceType} or larger for ${products}+ ` +
      `products) or split the run: --shard i/N with N of at least ${Math.ceil((products * shards) / fit)} on this machine`
    );
  }
}
