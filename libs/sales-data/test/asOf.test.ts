import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadSalesData, NoDataError, STALE_AFTER_DAYS } from '../src/index';
import { tempDir, writeTree } from './fixtures';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

/** P1 sells 3 a day from 2025-03-01 to 2025-03-28. */
async function source(): Promise<string> {
  const rows = ['product_id,event_date,daily_sales'];
  for (let d = 1; d <= 28; d++) rows.push(`P1,2025-03-${String(d).padStart(2, '0')},3`);
  await writeTree(dir, { 'sales.csv': `${rows.join('\n')}\n` });
  return path.join(dir, 'sales.csv');
}

describe('the as-of against the data', () => {
  it('stops with NoDataError (exit 2) when no row is on or before the as-of', async () => {
    const err = await loadSalesData({ source: await source(), asOf: '2025-01-01' }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(NoDataError);
    expect((err as NoDataError).exitKind).toBe('input');
    expect((err as Error).message).toBe(
      `no product has usable rows up to the as-of 2025-01-01 under ${path.join(dir, 'sales.csv')}: 28 rows read in 1 files, all skipped (28 after_as_of)`,
    );
  });

  it(`warns when the newest row is more than ${STALE_AFTER_DAYS} days before the as-of`, async () => {
    const stale = await loadSalesData({ source: await source(), asOf: '2025-04-10' });
    expect(stale.summary.warnings).toEqual([
      {
        kind: 'stale_data',
        message:
          'the newest row is dated 2025-03-28, 13 days before the as-of 2025-04-10: those 13 days count as 0 sales for every product. Check that the Gold zone is up to date, or set --as-of to its last complete day.',
      },
    ]);
    const fresh = await loadSalesData({ source: await source(), asOf: '2025-04-04' });
    expect(fresh.summary.warnings).toEqual([]);
  });
});
