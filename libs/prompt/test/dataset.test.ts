import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { buildPromptBatches, parsePromptData, type PromptProduct } from '../src/index';

const dir = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../../shared/datasets/retail-ai-insights',
);
const csv = path.join(dir, 'forecast_ready.csv');

/** Dense daily histories (zero on days without a row) from the first date in the file to asOf. */
function loadSeedProducts(asOf: string): PromptProduct[] {
  const rows = parse(readFileSync(csv), { columns: true }) as Record<string, string>[];
  const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;
  const first = Math.min(...rows.map((r) => day(r.event_date)));
  const length = day(asOf) - first + 1;
  const byId = new Map<string, PromptProduct>();
  for (const r of rows) {
    let p = byId.get(r.product_id);
    if (!p) {
      p = {
        productId: r.product_id,
        productName: r.product_name,
        category: r.category,
        history: new Float64Array(length),
      };
      byId.set(r.product_id, p);
    }
    p.history[day(r.event_date) - first] += Number(r.daily_sales);
  }
  return [...byId.values()].sort((a, b) => a.productId.localeCompare(b.productId));
}

describe('prompts for the seed dataset', () => {
  it.skipIf(!existsSync(csv))(
    'costs at most 150 input tokens per product, system prompt included',
    () => {
      const products = loadSeedProducts('2025-04-28');
      expect(products).toHaveLength(61);
      const batches = buildPromptBatches(products, '2025-04-28');
      const total = batches.reduce((sum, b) => sum + b.estimatedInputTokens, 0);
      expect(total / products.length).toBeLessThanOrEqual(150);
      for (const b of batches) expect(b.estimatedInputTokens).toBeLessThanOrEqual(3000);

      const back = batches.flatMap((b) => parsePromptData(b.user).products);
      expect(back.map((p) => p.productId)).toEqual(products.map((p) => p.productId));
      const last28 = Array.from(products[0].history.subarray(-28));
      expect(back[0].recent).toEqual(last28);
    },
  );
});
