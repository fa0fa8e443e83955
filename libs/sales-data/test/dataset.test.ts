import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSalesData } from '../src/index';
import type { SalesDataset } from '../src/index';
import { hasRetail, retailDir } from './fixtures';

/** The dataset's Parquet files keep one product name still CSV-quoted: `"MacBook Pro 16"""`. */
const unquote = (name?: string) =>
  name && /^".*"$/s.test(name) ? name.slice(1, -1).replace(/""/g, '"') : name;

/** Prices and ratings only agree to the CSV's 4 decimals (Parquet holds e.g. 3.7999999999999994). */
const shape = (d: SalesDataset) =>
  d.products.map(({ latestPrice: _p, latestRating: _r, productName, ...rest }) => ({
    ...rest,
    productName: unquote(productName),
  }));

describe('the shared retail-ai-insights Gold data', () => {
  it.skipIf(!hasRetail)(
    'loads the same 61 series as of 2025-04-28 from Parquet part files and from CSV',
    async () => {
      const progress: { file: string; index: number; total: number; rows: number }[] = [];
      const parquet = await loadSalesData({
        source: path.join(retailDir, 'forecast_ready'),
        onFile: (info) => progress.push(info),
      });
      const csv = await loadSalesData({ source: path.join(retailDir, 'forecast_ready.csv') });

      expect(parquet.asOf).toBe('2025-04-28');
      expect(csv.asOf).toBe('2025-04-28');
      expect(parquet.products).toHaveLength(61);
      expect(parquet.products[0].productId).toBe('P100');
      expect(parquet.products[60].productId).toBe('P160');
      expect(parquet.summary).toMatchObject({
        files: 2,
        rowsRead: 2730,
        rowsUsed: 2730,
        rowsRejected: 0,
        duplicatesDropped: 0,
        conflictingDuplicates: 0,
        duplicatePolicy: 'max',
        productsFlagged: 0,
        issues: [],
        warnings: [],
      });
      expect(csv.summary).toMatchObject({
        files: 1,
        rowsRead: 2730,
        rowsUsed: 2730,
        rowsRejected: 0,
        duplicatesDropped: 0,
        conflictingDuplicates: 0,
        duplicatePolicy: 'max',
        productsFlagged: 0,
        issues: [],
        warnings: [],
      });
      expect(progress.map((p) => [path.basename(p.file), p.index, p.total])).toEqual([
        ['part-00000.parquet', 1, 2],
        ['part-00001.parquet', 2, 2],
      ]);
      expect(progress[0].rows + progress[1].rows).toBe(2730);

      // Same products, start dates, daily values, names and categories from both formats.
      expect(shape(csv)).toEqual(shape(parquet));
      expect(csv.products.find((p) => p.productId === 'P110')?.productName).toBe('MacBook Pro 16"');
      csv.products.forEach((p, i) => {
        expect(p.latestPrice).toBeCloseTo(parquet.products[i].latestPrice as number, 6);
        expect(p.latestRating).toBeCloseTo(parquet.products[i].latestRating as number, 6);
      });
      // Every series runs from its first sale through the as-of day.
      for (const p of parquet.products) {
        expect(p.values.length).toBe(
          (Date.parse('2025-04-28') - Date.parse(p.startDate)) / 86_400_000 + 1,
        );
        expect(p.values[0]).toBeGreaterThan(0);
      }
      const total = parquet.products.reduce(
        (sum, p) => sum + Array.from(p.values).reduce((a, b) => a + b, 0),
        0,
      );
      expect(total).toBe(5016); // purchase events in events_with_metadata.csv
    },
  );
});
