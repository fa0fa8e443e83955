import { seededRandom } from '@retail-forecast/local-aws';
import { dayToIsoDate, requireIsoDay, samplePoisson } from '@retail-forecast/util';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SeriesInput } from '@retail-forecast/forecasting';

/** `../shared/datasets` seen from the repo root. */
export const DATASETS = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../../shared/datasets',
);

/**
 * Reads a Gold-schema CSV (product_id, event_date, daily_sales, ...; rows only on sale days) into
 * one dense daily series per product, zero-filled between the first and last date of the whole
 * file. Returns undefined when the file is absent.
 */
export function loadGoldCsv(file: string): SeriesInput[] | undefined {
  return readGoldCsv(file)?.series;
}

/** `loadGoldCsv` with the first date of the file, every series' `y[0]`. */
export function readGoldCsv(
  file: string,
): { series: SeriesInput[]; startDate: string } | undefined {
  if (!existsSync(file)) return undefined;
  const lines = readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.length > 0);
  const header = lines[0].split(',');
  const iId = header.indexOf('product_id');
  const iDate = header.indexOf('event_date');
  const iSales = header.indexOf('daily_sales');
  const rows = lines.slice(1).map((l) => {
    const c = l.split(',');
    return { id: c[iId], day: requireIsoDay(c[iDate], `${file} event_date`), v: Number(c[iSales]) };
  });
  let first = Infinity;
  let last = -Infinity;
  for (const r of rows) {
    first = Math.min(first, r.day);
    last = Math.max(last, r.day);
  }
  const series = new Map<string, Float64Array>();
  for (const r of rows) {
    let y = series.get(r.id);
    if (!y) {
      y = new Float64Array(last - first + 1);
      series.set(r.id, y);
    }
    y[r.day - first] += r.v;
  }
  return { series: [...series].map(([id, y]) => ({ id, y })), startDate: dayToIsoDate(first) };
}

function gaussian(r: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
}

/**
 * Smooth daily demand: level × (1 + trend) × weekly profile × (1 + noise), the shape of a
 * well-selling product with a weekend peak.
 */
export function smoothWeeklySeries(count: number, days: number, seed: number): SeriesInput[] {
  const r = seededRandom(seed);
  const out: SeriesInput[] = [];
  for (let s = 0; s < count; s++) {
    const level = 20 + 180 * r();
    const trend = (r() - 0.5) * 0.002; // up to ±0.1 % per day
    const amplitude = 0.15 + 0.35 * r();
    const phase = Math.floor(7 * r());
    const noise = 0.08 + 0.12 * r();
    const profile = Array.from(
      { length: 7 },
      (_, d) => 1 + amplitude * Math.sin((2 * Math.PI * (d + phase)) / 7),
    );
    const y = new Float64Array(days);
    for (let t = 0; t < days; t++) {
      const mu = level * (1 + trend * t) * profile[t % 7];
      y[t] = Math.max(0, Math.round(mu * (1 + noise * gaussian(r))));
    }
    out.push({ id: `gen-${s}`, y });
  }
  return out;
}

/** A generated set with calendar effects: the series, their first day and the holiday region
 * whose effects were planted. */
export interface CalendarSet {
  series: SeriesInput[];
  startDate: string;
  holidays: string;
}

/**
 * Smooth daily demand with a weekly profile, a yearly cycle and US public-holiday effects:
 * level × weekly × (1 + yearly) × holiday factor × (1 + noise). Each series draws its own
 * amplitudes; on a holiday demand falls to 30–70 % (stores shut or quiet), on the day before it
 * rises by 20–60 % (stocking up). `startDate` places the holidays (from `publicHolidays`, so the
 * effects sit on the dates the library lists).
 */
export function calendarSeries(
  count: number,
  days: number,
  seed: number,
  holidayDays: ReadonlySet<number>,
  startDay: number,
): SeriesInput[] {
  const r = seededRandom(seed);
  const out: SeriesInput[] = [];
  for (let s = 0; s < count; s++) {
    const level = 20 + 180 * r();
    const weekly = 0.15 + 0.3 * r();
    const phase = Math.floor(7 * r());
    const yearly = 0.1 + 0.3 * r();
    const yearPhase = 2 * Math.PI * r();
    const onHoliday = 0.3 + 0.4 * r();
    const eve = 1.2 + 0.4 * r();
    const noise = 0.06 + 0.1 * r();
    const y = new Float64Array(days);
    for (let t = 0; t < days; t++) {
      const day = startDay + t;
      const season =
        (1 + weekly * Math.sin((2 * Math.PI * (t + phase)) / 7)) *
        (1 + yearly * Math.sin((2 * Math.PI * day) / 365.25 + yearPhase));
      const cal = holidayDays.has(day) ? onHoliday : holidayDays.has(day + 1) ? eve : 1;
      y[t] = Math.max(0, Math.round(level * season * cal * (1 + noise * gaussian(r))));
    }
    out.push({ id: `cal-${s}`, y });
  }
  return out;
}

/**
 * Sporadic daily demand (a Poisson count around a low rate) whose rate doubles on the day before
 * a holiday and drops to a fifth on it.
 */
export function sporadicCalendarSeries(
  count: number,
  days: number,
  seed: number,
  holidayDays: ReadonlySet<number>,
  startDay: number,
): SeriesInput[] {
  const r = seededRandom(seed);
  const poisson = (mu: number): number => samplePoisson(r, mu);
  const out: SeriesInput[] = [];
  for (let s = 0; s < count; s++) {
    const rate = 0.3 + 1.2 * r();
    const weekly = 0.3 * r();
    const y = new Float64Array(days);
    for (let t = 0; t < days; t++) {
      const day = startDay + t;
      const cal = holidayDays.has(day) ? 0.2 : holidayDays.has(day + 1) ? 2 : 1;
      y[t] = poisson(rate * cal * (1 + weekly * Math.sin((2 * Math.PI * t) / 7)));
    }
    out.push({ id: `cal-sporadic-${s}`, y });
  }
  return out;
}

/** Generated products whose demand changed before the as-of, by kind of change. */
export interface DemandShiftSets {
  /** Poisson(3–8) daily sales that turned into orders of 6, 24 or 48 units on 30 % of the days
   * (the same mean × 1.0–1.6) 2–12 weeks before the end. */
  cartons: SeriesInput[];
  /** Poisson(3–8) daily sales with one run of 10–20 days without a sale ending 0–14 days before
   * the end (a stock-out or a closure; sales are back, or not yet). */
  stockOuts: SeriesInput[];
  /** Poisson(3–8) daily sales that fell to a tenth 4–8 weeks before the end. */
  falls: SeriesInput[];
  /** A few sales a month (1–3 units on 10 % of the days) that turned into Poisson(20–200) daily
   * sales 2–5 weeks before the end (a product back in stock, or relaunched). */
  backToDaily: SeriesInput[];
  /** Poisson(3–8) daily sales that rose 2.5–5× 3–8 weeks before the end (a new listing, a price
   * cut that stayed). */
  rises: SeriesInput[];
}

/**
 * `count` series of each kind of `DemandShiftSets`, `days` days each (from seed `seed`): the
 * products whose recent weeks differ from their history, where a class read from the whole
 * history goes wrong (`currentDemandClass` in the forecasting lib).
 */
export function demandShiftSeries(count: number, days: number, seed: number): DemandShiftSets {
  const r = seededRandom(seed);
  const poissonDays = (rate: number, n: number) =>
    Array.from({ length: n }, () => samplePoisson(r, rate));
  const sets: DemandShiftSets = {
    cartons: [],
    stockOuts: [],
    falls: [],
    backToDaily: [],
    rises: [],
  };
  const sizes = [6, 24, 48];
  for (let s = 0; s < count; s++) {
    const rate = 3 + 5 * r();
    const turned = 14 * (1 + Math.floor(6 * r()));
    const orderRate = (0.3 * rate * (1 + 0.6 * r())) / 7.8;
    const cartons = Array.from({ length: turned }, () =>
      r() < Math.min(1, orderRate) ? sizes[Math.floor(r() * sizes.length)] : 0,
    );
    sets.cartons.push({
      id: `cartons-${turned}d-${s}`,
      y: Float64Array.from([...poissonDays(rate, days - turned), ...cartons]),
    });
    const gap = 10 + Math.floor(11 * r());
    const ago = Math.floor(15 * r());
    const y = Float64Array.from(poissonDays(rate, days));
    y.fill(0, days - ago - gap, days - ago);
    sets.stockOuts.push({ id: `stock-out-${gap}d-${ago}d-ago-${s}`, y });
    const fell = 28 + Math.floor(29 * r());
    sets.falls.push({
      id: `fall-${fell}d-${s}`,
      y: Float64Array.from([...poissonDays(rate, days - fell), ...poissonDays(rate / 10, fell)]),
    });
  }
  // Its own stream, so the sets above stay what they were.
  const q = seededRandom(seed + 1);
  for (let s = 0; s < count; s++) {
    const turned = 7 * (2 + Math.floor(4 * q()));
    const level = 20 + 180 * q();
    const y = Float64Array.from({ length: days }, (_, t) =>
      t < days - turned ? (q() < 0.1 ? 1 + Math.floor(3 * q()) : 0) : samplePoisson(q, level),
    );
    sets.backToDaily.push({ id: `daily-again-${turned}d-${Math.round(level)}-${s}`, y });
  }
  const u = seededRandom(seed + 2);
  for (let s = 0; s < count; s++) {
    const rose = 21 + Math.floor(36 * u());
    const rate = 3 + 5 * u();
    const factor = 2.5 + 2.5 * u();
    const y = Float64Array.from({ length: days }, (_, t) =>
      samplePoisson(u, t < days - rose ? rate : rate * factor),
    );
    sets.rises.push({ id: `rose-${factor.toFixed(1)}x-${rose}d-${s}`, y });
  }
  return sets;
}

/** Generated products of stores closed on some weekdays, by volume. */
export interface ClosedWeekdaySets {
  /** Sparse demand on the open days: Poisson(0.15–2), or orders of 1–8 units on 10–40 % of them. */
  sparse: SeriesInput[];
  /** Daily demand of 5–100 units on the open days, a weekday profile of ±20 %, 10–25 % noise. */
  smooth: SeriesInput[];
}

/**
 * `count` series of each kind of `ClosedWeekdaySets`, `days` days each (from seed `seed`), each
 * product closed on 1, 2 or 3 weekdays in a row (a store closed on Sundays, a weekend, Sunday to
 * Tuesday) that sell nothing on every one of them: the days `weekdayClosedDays` reads closed.
 */
export function closedWeekdaySeries(count: number, days: number, seed: number): ClosedWeekdaySets {
  const r = seededRandom(seed);
  const sets: ClosedWeekdaySets = { sparse: [], smooth: [] };
  const closedOn = (): Set<number> => {
    const first = Math.floor(7 * r());
    const run = 1 + Math.floor(3 * r());
    return new Set(Array.from({ length: run }, (_, i) => (first + i) % 7));
  };
  for (let s = 0; s < count; s++) {
    const shut = closedOn();
    const orders = r() < 0.5;
    const rate = 0.15 + 1.85 * r();
    const share = 0.1 + 0.3 * r();
    const y = new Float64Array(days);
    for (let t = 0; t < days; t++) {
      if (shut.has(t % 7)) continue;
      y[t] = orders ? (r() < share ? 1 + Math.floor(8 * r()) : 0) : samplePoisson(r, rate);
    }
    const kind = orders ? `orders-${Math.round(share * 100)}pct` : `poisson-${rate.toFixed(2)}`;
    sets.sparse.push({ id: `closed${shut.size}-${kind}-${s}`, y });
  }
  for (let s = 0; s < count; s++) {
    const shut = closedOn();
    const level = 5 + 95 * r();
    const profile = Array.from({ length: 7 }, () => 0.8 + 0.4 * r());
    const noise = 0.1 + 0.15 * r();
    const y = new Float64Array(days);
    for (let t = 0; t < days; t++) {
      if (shut.has(t % 7)) continue;
      y[t] = Math.max(0, Math.round(level * profile[t % 7] * (1 + noise * gaussian(r))));
    }
    sets.smooth.push({ id: `closed${shut.size}-level-${Math.round(level)}-${s}`, y });
  }
  return sets;
}

/**
 * `count` generated products of very sparse demand, `days` days each (from seed `seed`): 0.03–0.43
 * units a day, half as Poisson days and half as orders of 1–4 units; 3 in 10 closed on one weekday,
 * and 3 in 10 drifting linearly to 0.5–1.5 times their starting rate by the last day. Most weeks of
 * such a product sell nothing or one order, so every model's count median is 0 and the P50's error
 * cannot tell the models apart: the set where the means behind `forecasted_demand` differ.
 */
export function verySparseSeries(count: number, days: number, seed: number): SeriesInput[] {
  const r = seededRandom(seed);
  const out: SeriesInput[] = [];
  for (let s = 0; s < count; s++) {
    const orders = r() < 0.5;
    const rate = 0.03 + 0.4 * r();
    const size = 1 + Math.floor(4 * r());
    const closed = r() < 0.3 ? Math.floor(7 * r()) : -1;
    const end = r() < 0.3 ? 0.5 + r() : 1;
    const y = new Float64Array(days);
    for (let t = 0; t < days; t++) {
      if (t % 7 === closed) continue;
      const mean = rate * (1 + ((end - 1) * t) / days);
      // Orders of 1..size units (mean (size + 1) / 2) on the share of days that keeps the rate.
      y[t] = orders
        ? r() < (2 * mean) / (size + 1)
          ? 1 + Math.floor(size * r())
          : 0
        : samplePoisson(r, mean);
    }
    const kind = orders ? `orders-1to${size}` : 'poisson';
    out.push({ id: `sparse-${kind}-${rate.toFixed(2)}-${s}`, y });
  }
  return out;
}

/** A young-product catalogue (`youngCatalogueSeries`): every series, and the young ones' ids. */
export interface YoungCatalogue {
  /** Each with `context.category` (`store` or `office`). */
  series: SeriesInput[];
  young: Set<string>;
}

/**
 * `count` generated products of one store's catalogue (from seed `seed`), all ending on the same
 * day: a fifth of category `office` (weekdays high, the weekend at 0.65× the week's mean), the
 * rest `store` (Saturday 1.6×, Monday 0.7×); each product's week is its category's with every
 * weekday moved by up to ±10 %; its level 1–60 a day (log uniform); its days Poisson with a
 * Gamma(6) multiplier (CV 0.41). Half of them are young: 42–210 days old (14–182 days before the
 * earliest of 4 weekly backtest origins); the others 400 days.
 */
export function youngCatalogueSeries(count: number, seed: number): YoungCatalogue {
  const store = [0.7, 0.8, 0.85, 0.9, 1.05, 1.6, 1.1];
  const office = [1.15, 1.15, 1.15, 1.15, 1.1, 0.65, 0.65];
  const r = seededRandom(seed);
  const series: SeriesInput[] = [];
  const young = new Set<string>();
  const gamma6 = () => {
    let s = 0;
    for (let i = 0; i < 6; i++) s -= Math.log(1 - r());
    return s / 6;
  };
  for (let i = 0; i < count; i++) {
    const category = r() < 0.2 ? 'office' : 'store';
    const raw = (category === 'office' ? office : store).map((v) => v * (1 + 0.1 * (2 * r() - 1)));
    const mean = raw.reduce((a, b) => a + b, 0) / 7;
    const level = Math.exp(r() * Math.log(60));
    const isYoung = r() < 0.5;
    const n = isYoung ? 42 + Math.floor(r() * 169) : 400;
    // Weekday of day t: the same for every product on the same calendar day (end-aligned).
    const y = Float64Array.from({ length: n }, (_, t) =>
      samplePoisson(r, ((level * raw[(t - n + 7 * 400) % 7]) / mean) * gamma6()),
    );
    const id = `${category}-${isYoung ? 'young' : 'old'}-${i}`;
    if (isYoung) young.add(id);
    series.push({ id, y, context: { category } });
  }
  return { series, young };
}
