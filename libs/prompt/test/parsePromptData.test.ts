import { describe, expect, it } from 'vitest';
import {
  buildPromptBatches,
  parsePromptData,
  PromptDataParseError,
  type PromptProduct,
} from '../src/index';

describe('parsePromptData', () => {
  it('round-trips ids, names, daily values (to 2 decimals), dates and weekly totals', () => {
    const products: PromptProduct[] = Array.from({ length: 12 }, (_, k) => ({
      productId: `SKU-${k}`,
      ...(k % 3 !== 0 && { productName: `Item "${k}"` }),
      ...(k % 2 === 0 && { category: 'Home & Garden' }),
      history: Float64Array.from(
        { length: 20 + k * 9 },
        (_, i) => ((i * (k + 3)) % 11) * (k % 4 === 0 ? 1 : 0.37),
      ),
    }));
    const batches = buildPromptBatches(products, '2024-03-01', {
      recentDays: 21,
      weeklyWeeks: 6,
      maxProductsPerRequest: 5,
    });
    const parsed = batches.flatMap((b) => {
      const d = parsePromptData(b.user);
      expect(d.asOf).toBe('2024-03-01');
      expect(d.horizon).toBe(7);
      return d.products;
    });
    expect(parsed).toHaveLength(products.length);

    parsed.forEach((got, k) => {
      const p = products[k];
      const h = Array.from(p.history);
      const round = (v: number) => Math.round(v * 100) / 100;
      const recentLen = Math.min(21, h.length);
      const before = h.length - recentLen;
      const weeks = Math.min(6, Math.floor(before / 7));
      const weekly = Array.from({ length: weeks }, (_, w) => {
        const start = before - 7 * (weeks - w);
        return round(h.slice(start, start + 7).reduce((a, b) => a + b, 0));
      });
      expect(got).toEqual({
        productId: p.productId,
        ...(p.productName !== undefined && { productName: p.productName }),
        ...(p.category !== undefined && { category: p.category }),
        recent: h.slice(before).map(round),
        recentStart: new Date(Date.UTC(2024, 2, 1 - (recentLen - 1))).toISOString().slice(0, 10),
        weekly,
      });
    });
  });

  it('rejects text that is not a prompt built by this lib, naming the line', () => {
    expect(() => parsePromptData('hello')).toThrow(PromptDataParseError);
    expect(() => parsePromptData('hello')).toThrow(/line 1 is not "as_of YYYY-MM-DD Ddd": "hello"/);
    const [b] = buildPromptBatches(
      [{ productId: 'P1', history: Float64Array.of(1, 2, 3) }],
      '2025-04-28',
    );
    expect(() => parsePromptData(b.user.replace('2,3', '2,x'))).toThrow(/line 5 .*bad value "x"/);
    expect(() => parsePromptData(b.user.replace('Sat', 'Sun'))).toThrow(/2025-04-26 is a Sat/);
    expect(() => parsePromptData(b.user.replace('</data>', ''))).toThrow(
      /"<\/data>" after 1 products/,
    );
    expect(() =>
      parsePromptData(b.user.replace('as_of 2025-04-28 Mon', 'as_of 2025-04-28 Tue')),
    ).toThrow(PromptDataParseError);
  });
});
