import { dayToIsoDate } from '@retail-forecast/util';
import type { DuplicatePolicy } from './types';

const POLICY_WORDS: Record<DuplicatePolicy, string> = {
  max: 'kept the larger',
  sum: 'summed',
  last: 'kept the one read last',
  error: 'the product fails',
};

/** A conflicting duplicate resolved by the policy. */
export interface MergedDuplicate {
  /** The daily_sales (units) the product/day now holds. */
  result: number;
  /** The issue message: where the row is, the values already read and what the policy did. */
  message: string;
}

/**
 * Second and later valid rows for a product/day under one duplicate policy. Remembers the
 * distinct daily_sales seen per product/day (only for days with conflicting rows) and the first
 * identical row dropped; the caller keeps the counts and the product's cells.
 */
export class DuplicateRows {
  /** Distinct daily_sales seen per product/day, only for days with conflicting rows. */
  private readonly seen = new Map<string, number[]>();
  private first?: string;

  constructor(private readonly policy: DuplicatePolicy) {}

  /**
   * A row with daily_sales `value` for `productId` on day index `day`, whose cell already holds
   * `current` (the -0 mark of a zero row included). `where` is e.g. `line 17 of x.csv`. Returns
   * undefined when the value equals one already read for that day (the row is to be dropped),
   * else the value the day keeps and the issue message (under `error`, `current` unchanged).
   */
  resolve(
    productId: string,
    day: number,
    current: number,
    value: number,
    where: string,
  ): MergedDuplicate | undefined {
    const key = `${productId}\u0000${day}`;
    const seen = this.seen.get(key);
    if (seen === undefined ? current === value : seen.includes(value)) {
      this.first ??= `${where} (${productId} ${dayToIsoDate(day)}, daily_sales ${value})`;
      return undefined;
    }
    const earlier = seen ?? [current + 0];
    let result: number;
    switch (this.policy) {
      case 'max':
        result = Math.max(current, value);
        break;
      case 'sum':
        result = current + value;
        break;
      case 'last':
        result = value;
        break;
      case 'error':
        result = current;
        break;
    }
    this.seen.set(key, [...earlier, value]);
    const message =
      `${productId} ${dayToIsoDate(day)}: daily_sales ${value} on ${where} differs from ` +
      `${earlier.join(', ')} already read; ${POLICY_WORDS[this.policy]} (on-duplicate ${this.policy})` +
      (this.policy === 'error' ? '' : `: ${result}`);
    return { result, message };
  }

  /** The load warning's message for `count` identical rows dropped, naming the first one. */
  droppedMessage(count: number): string {
    return (
      `${count} duplicate rows (same product, day and daily_sales as a row ` +
      `already read) were dropped, each day counted once; first: ${this.first}`
    );
  }
}
