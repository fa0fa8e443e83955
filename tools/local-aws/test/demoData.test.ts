import { describe, expect, it } from 'vitest';
import { parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { generateDemoDataset, writeGoldParquetParts } from '../src/index';

describe('generateDemoDataset', () => {
  it('injects a demand shift from a date on and leaves the days before it alone', () => {
    const base = generateDemoDataset({ products: 30, days: 60, endDate: '2025-06-30', seed: 5 });
    const shifted = generateDemoDataset({
      products: 30,
      days: 60,
      endDate: '2025-06-30',
      seed: 5,
      shift: { from: '2025-06-21', factor: 3 },
    });
    const total = (rows: typeof base.rows, after: boolean) =>
      rows
        .filter((r) => r.event_date >= '2025-06-21' === after)
        .reduce((t, r) => t + r.daily_sales, 0);
    expect(shifted.rows.filter((r) => r.event_date < '2025-06-21')).toEqual(
      base.rows.filter((r) => r.event_date < '2025-06-21'),
    );
    expect(total(shifted.rows, true)).toBeGreaterThan(2 * total(base.rows, true));
  });

  const demo = generateDemoDataset({ products: 120, days: 200, endDate: '2025-06-30', seed: 11 });

  it('is deterministic for a seed', () => {
    const again = generateDemoDataset({
      products: 120,
      days: 200,
      endDate: '2025-06-30',
      seed: 11,
    });
    expect(again.rows).toEqual(demo.rows);
  });

  it('holds every archetype the demo promises', () => {
    const kinds = new Set(demo.products.map((p) => p.archetype));
    for (const k of ['smooth', 'promo', 'trending', 'intermittent', 'new', 'discontinued'])
      expect(kinds).toContain(k);
  });

  it('writes rows only for days with sales, with Spark day_of_week (1 = Sunday) and month', () => {
    for (const r of demo.rows) {
      expect(r.daily_sales).toBeGreaterThan(0);
      const d = new Date(`${r.event_date}T00:00:00Z`);
      expect(r.day_of_week).toBe(d.getUTCDay() + 1);
      expect(r.month).toBe(d.getUTCMonth() + 1);
      expect(r.event_date <= '2025-06-30').toBe(true);
    }
  });

  it('gives new products a short history and the discontinued one no recent sales', () => {
    const first = new Map<string, string>();
    const last = new Map<string, string>();
    for (const r of demo.rows) {
      if (!first.has(r.product_id)) first.set(r.product_id, r.event_date);
      last.set(r.product_id, r.event_date);
    }
    const fresh = demo.products.filter((p) => p.archetype === 'new');
    for (const p of fresh) expect(first.get(p.product_id)! >= '2025-05-01').toBe(true);
    const gone = demo.products.find((p) => p.archetype === 'discontinued')!;
    expect(last.get(gone.product_id)! < '2025-05-15').toBe(true);
  });

  it('shows weekly seasonality on smooth products (weekend above mid-week)', () => {
    const byDow = new Array(8).fill(0);
    const smooth = new Set(
      demo.products.filter((p) => p.archetype === 'smooth').map((p) => p.product_id),
    );
    for (const r of demo.rows) if (smooth.has(r.product_id)) byDow[r.day_of_week] += r.daily_sales;
    expect(byDow[7]).toBeGreaterThan(byDow[3] * 1.1); // Saturday vs Tuesday
  });
});

describe('generateDemoDataset end date', () => {
  it('ends on the given day and rejects one that is not a calendar date', () => {
    const demo = generateDemoDataset({ products: 3, days: 10, endDate: '2024-03-01', seed: 5 });

    const dates = demo.rows.map((r) => r.event_date);
    expect(dates.every((d) => d >= '2024-02-21' && d <= '2024-03-01')).toBe(true);
    expect(() => generateDemoDataset({ endDate: '2025-02-30' })).toThrow(
      'endDate "2025-02-30" is not a date',
    );
  });
});

describe('writeGoldParquetParts', () => {
  it('round-trips through hyparquet with Spark-like types', async () => {
    const demo = generateDemoDataset({ products: 10, days: 30, endDate: '2025-01-31', seed: 3 });
    const parts = writeGoldParquetParts(demo.rows, 2);
    expect(parts).toHaveLength(2);
    const rows = [];
    for (const p of parts) {
      const file = p.body.buffer.slice(
        p.body.byteOffset,
        p.body.byteOffset + p.body.byteLength,
      ) as ArrayBuffer;
      rows.push(...(await parquetReadObjects({ file, compressors })));
    }
    expect(rows).toHaveLength(demo.rows.length);
    const r = rows[0] as Record<string, unknown>;
    expect(r.event_date).toBeInstanceOf(Date);
    expect(typeof r.daily_sales).toBe('bigint');
    const total = rows.reduce((s, x) => s + Number((x as { daily_sales: bigint }).daily_sales), 0);
    expect(total).toBe(demo.rows.reduce((s, x) => s + x.daily_sales, 0));
  });
});
