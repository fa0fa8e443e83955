/**
 * Realistic demo Gold data: a catalog with weekly seasonality, trends, promotion spikes, slow
 * intermittent movers, new products with a short history and a discontinued one. Deterministic
 * for a given seed, so the demo and the tests see the same shapes every run.
 */

import {
  dayToIsoDate,
  DAY_MS,
  isoDate,
  requireIsoDay,
  samplePoisson,
  seededRandom,
} from '@retail-forecast/util';

export interface GoldRow {
  product_id: string;
  /** YYYY-MM-DD (UTC day) */
  event_date: string;
  daily_sales: number;
  avg_price: number;
  avg_rating: number;
  /** 1 = Sunday … 7 = Saturday (Spark's dayofweek) */
  day_of_week: number;
  month: number;
  product_name: string;
  category: string;
}

export type DemoArchetype =
  'smooth' | 'promo' | 'trending' | 'intermittent' | 'new' | 'discontinued';

export interface DemoProduct {
  product_id: string;
  product_name: string;
  category: string;
  price: number;
  rating: number;
  archetype: DemoArchetype;
  /** Expected units per day at the end of the history (before noise). */
  recentLevel: number;
  /** Stock on hand, absent for a few products (stock unknown). */
  current_stock?: number;
}

export interface DemoDataset {
  /** The last day with data (YYYY-MM-DD). */
  endDate: string;
  products: DemoProduct[];
  rows: GoldRow[];
}

export interface DemoOptions {
  products?: number;
  days?: number;
  /** YYYY-MM-DD; default yesterday (UTC). */
  endDate?: string;
  seed?: number;
  /**
   * A demand shift: from this day (YYYY-MM-DD) on, every day's sales are multiplied by `factor`
   * (rounded, at least 1 unit on a day that sold). Applied after the draws, so every row before
   * it is the same as without the shift.
   */
  shift?: { from: string; factor: number };
}

const CATEGORIES: { name: string; nouns: string[]; price: [number, number]; weekend: number }[] = [
  {
    name: 'Electronics',
    nouns: ['Earbuds', 'Charger', 'Smartwatch', 'Speaker', 'Webcam', 'Keyboard'],
    price: [15, 250],
    weekend: 1.35,
  },
  {
    name: 'Home & Kitchen',
    nouns: ['Skillet', 'Kettle', 'Blender', 'Knife Set', 'Mug', 'Towel Set'],
    price: [8, 120],
    weekend: 1.25,
  },
  {
    name: 'Grocery',
    nouns: ['Coffee Beans', 'Olive Oil', 'Granola', 'Green Tea', 'Pasta', 'Honey'],
    price: [3, 25],
    weekend: 1.15,
  },
  {
    name: 'Toys',
    nouns: ['Puzzle', 'Building Set', 'Plush Bear', 'Board Game', 'RC Car', 'Kite'],
    price: [6, 90],
    weekend: 1.6,
  },
  {
    name: 'Sports',
    nouns: ['Yoga Mat', 'Dumbbells', 'Water Bottle', 'Running Socks', 'Jump Rope'],
    price: [5, 80],
    weekend: 1.45,
  },
  {
    name: 'Beauty',
    nouns: ['Face Serum', 'Shampoo', 'Lip Balm', 'Sunscreen', 'Hand Cream'],
    price: [4, 60],
    weekend: 1.2,
  },
  {
    name: 'Books',
    nouns: ['Cookbook', 'Thriller', 'Notebook', 'Atlas', 'Sketchbook'],
    price: [6, 40],
    weekend: 1.3,
  },
];
const ADJECTIVES = [
  'Classic',
  'Pro',
  'Eco',
  'Deluxe',
  'Mini',
  'Ultra',
  'Everyday',
  'Premium',
  'Compact',
  'Organic',
  'Smart',
  'Travel',
];

/** Re-exported from util, where the generator lives, for the tools that import it from here. */
export { seededRandom };

/** Gamma(shape, 1) by Marsaglia–Tsang, used to over-disperse the Poisson (negative binomial). */
function gamma(rand: () => number, shape: number): number {
  if (shape < 1) return gamma(rand, shape + 1) * Math.pow(Math.max(rand(), 1e-12), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      const u1 = Math.max(rand(), 1e-12);
      x = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * rand());
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rand();
    if (u < 1 - 0.0331 * x ** 4 || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v)))
      return d * v;
  }
}

function yesterdayUtc(): string {
  return dayToIsoDate(Math.floor(Date.now() / DAY_MS) - 1);
}

export function generateDemoDataset(options: DemoOptions = {}): DemoDataset {
  const productCount = options.products ?? 300;
  const days = options.days ?? 400;
  const endDate = options.endDate ?? yesterdayUtc();
  const rand = seededRandom(options.seed ?? 20250428);
  const startMs = (requireIsoDay(endDate, 'endDate') - (days - 1)) * DAY_MS;

  const products: DemoProduct[] = [];
  const rows: GoldRow[] = [];
  const discontinuedIndex = productCount > 10 ? 7 : -1;

  for (let i = 0; i < productCount; i++) {
    const cat = CATEGORIES[Math.floor(rand() * CATEGORIES.length)];
    const noun = cat.nouns[Math.floor(rand() * cat.nouns.length)];
    const adjective = ADJECTIVES[Math.floor(rand() * ADJECTIVES.length)];
    const productId = `P${1000 + i}`;
    const name = i === 3 ? `Chef's "Signature" ${noun}, 8-inch` : `${adjective} ${noun}`;
    const basePrice =
      Math.round((cat.price[0] + rand() * (cat.price[1] - cat.price[0])) * 100) / 100;
    const rating = Math.round((3.2 + rand() * 1.7) * 10) / 10;

    const r = rand();
    let archetype: DemoArchetype =
      i === discontinuedIndex
        ? 'discontinued'
        : r < 0.4
          ? 'smooth'
          : r < 0.58
            ? 'promo'
            : r < 0.72
              ? 'trending'
              : r < 0.93
                ? 'intermittent'
                : 'new';
    if (archetype === 'new' && productCount <= 10) archetype = 'smooth';

    // Cheaper items sell more; intermittent movers sell well under one unit a day.
    const level =
      archetype === 'intermittent'
        ? 0.05 + rand() * 0.55
        : (4 + rand() * 40) * Math.min(2.5, Math.max(0.3, 30 / basePrice));
    const trendPerDay =
      archetype === 'trending'
        ? ((rand() < 0.7 ? 1 : -1) * (0.8 + rand() * 1.6)) / days
        : ((rand() - 0.5) * 0.3) / days;
    const weekendLift = 1 + (cat.weekend - 1) * (0.6 + rand() * 0.8);
    // Day-of-week multipliers (0 = Sunday), Friday/Saturday/Sunday lifted, mid-week dip.
    const dow = [weekendLift, 0.85, 0.8, 0.85, 0.95, 1.1 * Math.sqrt(weekendLift), weekendLift];
    const dowMean = dow.reduce((a, b) => a + b, 0) / 7;
    const dispersion = archetype === 'intermittent' ? 0.8 : 6 + rand() * 20; // NB shape: lower = noisier

    const promos: [number, number, number][] = [];
    if (archetype === 'promo' || rand() < 0.1) {
      const count = 2 + Math.floor(rand() * 4);
      for (let k = 0; k < count; k++) {
        const start = Math.floor(rand() * (days - 10));
        promos.push([start, start + 3 + Math.floor(rand() * 5), 1.8 + rand() * 2.2]);
      }
    }
    const firstDay =
      archetype === 'new' ? days - (8 + Math.floor(rand() * 35)) : Math.floor(rand() * 20);
    const lastDay = archetype === 'discontinued' ? days - 60 : days - 1;

    for (let d = firstDay; d <= lastDay; d++) {
      const ms = startMs + d * DAY_MS;
      const date = new Date(ms);
      const weekday = date.getUTCDay();
      const trend = Math.max(0.1, 1 + trendPerDay * (d - days / 2));
      let mean = (level * trend * dow[weekday]) / dowMean;
      let price = basePrice;
      for (const [from, to, lift] of promos) {
        if (d >= from && d <= to) {
          mean *= lift;
          price = Math.round(basePrice * 0.8 * 100) / 100;
        }
      }
      // New products ramp up over their first days.
      if (archetype === 'new') mean *= Math.min(1, 0.3 + (d - firstDay) / 10);
      const sales = samplePoisson(rand, (mean * gamma(rand, dispersion)) / dispersion);
      // The seed's day 0 is always a sale, so a product's history starts where it appears.
      const units = d === firstDay ? Math.max(1, sales) : sales;
      if (units === 0) continue;
      rows.push({
        product_id: productId,
        event_date: isoDate(date),
        daily_sales: units,
        avg_price: price,
        avg_rating: Math.round((rating + (rand() - 0.5) * 0.2) * 100) / 100,
        day_of_week: weekday + 1,
        month: date.getUTCMonth() + 1,
        product_name: name,
        category: cat.name,
      });
    }

    const recentLevel =
      archetype === 'discontinued' ? 0 : level * Math.max(0.1, 1 + trendPerDay * (days / 2));
    // Stock between 2 and 25 days of demand; a few items have no stock figure at all.
    const cover = 2 + rand() * 23;
    const product: DemoProduct = {
      product_id: productId,
      product_name: name,
      category: cat.name,
      price: basePrice,
      rating,
      archetype,
      recentLevel,
    };
    if (rand() > 0.04) product.current_stock = Math.round(Math.max(recentLevel, 0.2) * cover);
    products.push(product);
  }
  if (options.shift) {
    const { from, factor } = options.shift;
    requireIsoDay(from, 'shift.from');
    for (const row of rows)
      if (row.event_date >= from)
        row.daily_sales = Math.max(1, Math.round(row.daily_sales * factor));
  }
  rows.sort((a, b) =>
    a.event_date < b.event_date
      ? -1
      : a.event_date > b.event_date
        ? 1
        : a.product_id < b.product_id
          ? -1
          : 1,
  );
  return { endDate, products, rows };
}

/** Inventory items for the demo products as other systems would have stored them. */
export function demoInventoryItems(
  dataset: DemoDataset,
  extra: Record<string, unknown> = {},
): ({ product_id: string } & Record<string, unknown>)[] {
  return dataset.products.map((p) => ({
    product_id: p.product_id,
    product_name: p.product_name,
    category: p.category,
    price: p.price,
    rating: p.rating,
    ...(p.current_stock !== undefined ? { current_stock: p.current_stock } : {}),
    ...extra,
  }));
}
