/// <reference lib="dom" />
// (page.evaluate callbacks run in the browser)
// The report in a real headless Chromium (Debian's `chromium`, driven by playwright-core): loaded
// from file:// with every network request blocked and counted, charts counted through the page's
// uPlot instances and canvas pixels. Saves a screenshot to <repo>/out/report-screenshot.png.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReport } from '../src/index';
import type { ReportModel } from '../src/index';
import {
  ACCURACY,
  CATEGORIES,
  chartLibrary,
  HISTORY_DAYS,
  HORIZON,
  HOSTILE_NAME,
  model,
  product,
} from './fixtures';

const CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOT = fileURLToPath(
  new URL('../../../out/report-screenshot.png', import.meta.url),
);

interface Opened {
  page: Page;
  /** Requests to anything but the report file itself (all blocked). */
  requests: string[];
  consoleErrors: string[];
  dialogs: string[];
}

/** Chart facts read in the page: uPlot series and their non-null point counts, canvas ink. */
interface ChartFacts {
  series: number;
  points: number[];
  inkedPixels: number;
}

describe('the report in headless Chromium', () => {
  let browser: Browser;
  let dir: string;
  const library = chartLibrary();
  const opened: Opened[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `Chromium is not installed at ${CHROMIUM}: these tests need it. Install it with ` +
          '`apt-get update && apt-get install -y chromium` (CI does this in .ci/run).',
      );
    }
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    dir = await mkdtemp(join(tmpdir(), 'report-browser-'));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function open(m: ReportModel, name: string): Promise<Opened> {
    const file = join(dir, `${name}.html`);
    await writeFile(file, renderReport(m, { chartLibrary: library }), 'utf8');
    const url = pathToFileURL(file).href;
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const o: Opened = { page, requests: [], consoleErrors: [], dialogs: [] };
    opened.push(o);
    await page.route('**/*', (route) => {
      if (route.request().url() === url) return route.continue();
      o.requests.push(route.request().url());
      return route.abort();
    });
    page.on('console', (msg) => {
      if (msg.type() === 'error') o.consoleErrors.push(msg.text());
    });
    page.on('pageerror', (err) => o.consoleErrors.push(`page error: ${err.message}`));
    page.on('dialog', (dialog) => {
      o.dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForFunction(() => 'forecastReport' in window);
    return o;
  }

  function expectClean(o: Opened) {
    expect(o.consoleErrors).toEqual([]);
    expect(o.requests).toEqual([]);
    expect(o.dialogs).toEqual([]);
  }

  /** Facts of every drawn product chart, by product id. */
  const chartFacts = (page: Page) =>
    page.evaluate(() => {
      type U = { series: unknown[]; data: (number | null)[][]; ctx: CanvasRenderingContext2D };
      const charts = (window as unknown as { forecastReport: { charts: Record<string, U> } })
        .forecastReport.charts;
      const out: Record<string, ChartFacts> = {};
      for (const [id, u] of Object.entries(charts)) {
        const { width, height } = u.ctx.canvas;
        const pixels = u.ctx.getImageData(0, 0, width, height).data;
        let inked = 0;
        for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) inked++;
        out[id] = {
          series: u.series.length,
          points: u.data.map((s) => s.filter((v) => v !== null).length),
          inkedPixels: inked,
        };
      }
      return out;
    });

  const drawnCount = (page: Page) =>
    page.evaluate(
      () =>
        Object.keys(
          (window as unknown as { forecastReport: { charts: object } }).forecastReport.charts,
        ).length,
    );

  it('draws one chart per product with 8 weeks of sales, the P10–P90 band and the P50 forecast', async () => {
    const o = await open(model(6, { accuracy: ACCURACY }), 'six');
    const { page } = o;
    // Below the summary tables: drawn once the grid scrolls into view.
    expect(await drawnCount(page)).toBe(0);
    await page.locator('#product-grid').scrollIntoViewIfNeeded();
    await page.waitForFunction(() => document.querySelectorAll('[data-drawn]').length === 6);
    expect(await page.locator('.card').count()).toBe(6);
    expect(await page.locator('#product-grid .uplot').count()).toBe(6);
    const facts = await chartFacts(page);
    expect(Object.keys(facts).sort()).toEqual([
      'P1000',
      'P1001',
      'P1002',
      'P1003',
      'P1004',
      'P1005',
    ]);
    for (const f of Object.values(facts)) {
      // x, sold, P10, P50, P90
      expect(f.series).toBe(5);
      expect(f.points).toEqual([HISTORY_DAYS + HORIZON, HISTORY_DAYS, HORIZON, HORIZON, HORIZON]);
      expect(f.inkedPixels).toBeGreaterThan(2000);
    }
    // The accuracy trend: WAPE, bias, coverage and MASE at each of the 4 as-of dates.
    const accuracy = await page.evaluate(() => {
      const u = (
        window as unknown as {
          forecastReport: { accuracyChart: { series: unknown[]; data: (number | null)[][] } };
        }
      ).forecastReport.accuracyChart;
      return { series: u.series.length, points: u.data.map((s) => s.length) };
    });
    expect(accuracy).toEqual({ series: 5, points: [4, 4, 4, 4, 4] });
    expect(await page.locator('#accuracy-chart canvas').count()).toBe(1);
    expectClean(o);
  }, 60_000);

  it("shows the expected total on each card, and each day's median (P50) with its mean", async () => {
    // P1000 is a count forecast: medians 0 and 1 (sum 3), means 0.4 and 0.6 (expected 3.4).
    const medians = [0, 1, 0, 1, 0, 1, 0];
    const count = product(0, {
      forecastedDemand: 3.4,
      forecast: {
        p10: [0, 0, 0, 0, 0, 0, 0],
        p50: medians,
        p90: [2, 3, 2, 3, 2, 3, 2],
        mean: medians.map((v) => (v === 0 ? 0.4 : 0.6)),
      },
    });
    const plain = product(1);
    expect(plain.forecast.mean).toBeUndefined();
    const o = await open(model(2, { products: [count, plain] }), 'mean');
    const { page } = o;
    await page.waitForFunction(() => document.querySelectorAll('[data-drawn]').length === 2);
    const card = (id: string) => page.locator(`.card[data-product-id="${id}"]`);
    expect(await card('P1000').locator('.total').textContent()).toBe(
      'Next 7 days: 3.4 units expected',
    );
    expect(await card('P1001').locator('.total').textContent()).toBe(
      `Next 7 days: ${new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 }).format(plain.forecastedDemand)} units expected`,
    );
    // Put each chart's cursor on the first forecast day (2025-07-01) and read the readout.
    const readout = (id: string) =>
      page.evaluate(
        ([id, idx]) => {
          type U = {
            data: number[][];
            valToPos(v: number, s: string): number;
            setCursor(o: object): void;
          };
          const u = (window as unknown as { forecastReport: { charts: Record<string, U> } })
            .forecastReport.charts[id];
          u.setCursor({ left: u.valToPos(u.data[0][idx], 'x'), top: 10 });
          return document.querySelector(`.card[data-product-id="${id}"] .readout`)!.textContent;
        },
        [id, HISTORY_DAYS] as const,
      );
    expect(await readout('P1000')).toBe(
      'Tue 2025-07-01: median (P50) 0, mean 0.4 (P10 0 \u2013 P90 2)',
    );
    expect(await readout('P1001')).toMatch(
      /^Tue 2025-07-01: median \(P50\) [\d.]+ \(P10 [\d.]+ \u2013 P90 [\d.]+\)$/,
    );
    expect(await page.locator('#products .legend').textContent()).toContain(
      'P50 forecast (daily median)',
    );
    expectClean(o);
  }, 60_000);

  it('says on a card where its models were fitted after a level shift, as text', async () => {
    const shifted = product(0, { levelShift: { date: '2025-05-12', before: 5.04, after: 0.47 } });
    const hostile = product(1, { levelShift: { date: HOSTILE_NAME, before: 1, after: 2 } });
    const o = await open(model(3, { products: [shifted, hostile, product(2)] }), 'level-shift');
    const { page } = o;
    const line = (id: string) => page.locator(`.card[data-product-id="${id}"] .shift`);
    expect(await line('P1000').textContent()).toBe(
      'Level shift on 2025-05-12: 5 \u2192 0.5 units a day; fitted on the days since',
    );
    expect(await line('P1000').isVisible()).toBe(true);
    expect(await line('P1001').textContent()).toContain(HOSTILE_NAME);
    expect(await line('P1002').count()).toBe(0);
    expect(await page.locator('img').count()).toBe(0);
    expectClean(o);
  }, 60_000);

  it("says on a card where a young product's week was spread by the category's or catalogue's weekday profile, as text", async () => {
    const category = product(0, { weekdayProfile: { source: 'category', ownWeight: 0.31 } });
    const catalogue = product(1, { weekdayProfile: { source: 'catalogue', ownWeight: 0 } });
    const o = await open(
      model(3, { products: [category, catalogue, product(2)] }),
      'weekday-profile',
    );
    const { page } = o;
    const line = (id: string) => page.locator(`.card[data-product-id="${id}"] .weekday-profile`);
    expect(await line('P1000').textContent()).toBe(
      "Weekly pattern from the category's products; its own few weeks count 31 %",
    );
    expect(await line('P1000').isVisible()).toBe(true);
    expect(await line('P1001').textContent()).toBe(
      "Weekly pattern from the catalogue's products; its own few weeks count 0 %",
    );
    expect(await line('P1002').count()).toBe(0);
    expect(await page.locator('img').count()).toBe(0);
    expectClean(o);
  }, 60_000);

  it('shows per product the days replaced as outliers and the recent ones (day, sold, fitted), as text', async () => {
    const cleaned = product(0, {
      outliers: {
        count: 3,
        recent: [
          { date: '2025-06-20', value: 0, replacement: 41.27 },
          { date: '2025-06-27', value: 97, replacement: 40.5 },
        ],
      },
    });
    const nothingFound = product(1, { outliers: { count: 0, recent: [] } });
    const notCleaned = product(2);
    const hostile = product(3, {
      outliers: { count: 1, recent: [{ date: HOSTILE_NAME, value: 5, replacement: 2 }] },
    });
    const o = await open(
      model(4, { products: [cleaned, nothingFound, notCleaned, hostile] }),
      'outliers',
    );
    const { page } = o;
    // The cards are built at load (their charts are drawn near the viewport).
    const box = (id: string) => page.locator(`.card[data-product-id="${id}"] .outliers`);
    expect(await page.locator('.card').count()).toBe(4);
    expect(await box('P1001').count()).toBe(0);
    expect(await box('P1002').count()).toBe(0);
    expect(await box('P1000').locator('summary').textContent()).toBe(
      '3 outlier days replaced in the fit (the last 2 listed)',
    );
    // Closed until asked for: the card stays small.
    expect(await box('P1000').locator('td').first().isVisible()).toBe(false);
    await box('P1000').locator('summary').click();
    expect(await box('P1000').locator('th').allTextContents()).toEqual(['day', 'sold', 'fitted']);
    const rows = box('P1000').locator('tbody tr');
    expect(await rows.count()).toBe(2);
    expect(await rows.nth(0).locator('td').allTextContents()).toEqual(['2025-06-20', '0', '41.3']);
    expect(await rows.nth(1).locator('td').allTextContents()).toEqual(['2025-06-27', '97', '40.5']);
    expect(await rows.nth(0).isVisible()).toBe(true);
    expect(await box('P1003').locator('summary').textContent()).toBe(
      '1 outlier day replaced in the fit',
    );
    expect(await box('P1003').locator('td').first().textContent()).toBe(HOSTILE_NAME);
    expect(await page.locator('img').count()).toBe(0);
    expectClean(o);
  }, 60_000);

  it('stays fast with 1,200 products: charts are drawn only near the viewport, and the last is reachable', async () => {
    const started = performance.now();
    const o = await open(model(1200), 'many');
    const { page } = o;
    const loadMs = performance.now() - started;
    expect(await page.locator('.card').count()).toBe(1200);
    const initial = await drawnCount(page);
    expect(initial).toBeGreaterThan(0);
    expect(initial).toBeLessThan(60);
    expect(loadMs).toBeLessThan(10_000);

    const last = page.locator('.card[data-product-id="P2199"]');
    await last.scrollIntoViewIfNeeded();
    await page.waitForSelector('.card[data-product-id="P2199"][data-drawn]');
    const facts = await chartFacts(page);
    expect(facts.P2199.points).toEqual([63, HISTORY_DAYS, HORIZON, HORIZON, HORIZON]);
    expect(await drawnCount(page)).toBeLessThan(120);
    expectClean(o);
  }, 60_000);

  it('filters products by id, name and category as the search box changes', async () => {
    const m = model(300);
    m.products[42] = product(42, { name: 'Espresso Grinder Deluxe' });
    const o = await open(m, 'search');
    const { page } = o;
    const visible = () => page.locator('.card:not([hidden])');
    const search = page.locator('#product-search');
    await expect.poll(() => page.locator('#product-count').textContent()).toBe('All 300 products');

    await search.fill('toys');
    await expect.poll(() => visible().count()).toBe(300 / CATEGORIES.length);
    const categories = await visible().locator('.tag:first-child').allTextContents();
    expect(new Set(categories)).toEqual(new Set(['Toys']));
    expect(await page.locator('#product-count').textContent()).toBe('75 of 300 products match');
    // Filtered cards are drawn as they come into view.
    await page.waitForFunction(
      () => document.querySelectorAll('.card:not([hidden])[data-drawn]').length >= 6,
    );

    await search.fill('espresso GRINDER');
    await expect.poll(() => visible().count()).toBe(1);
    expect(await visible().getAttribute('data-product-id')).toBe('P1042');
    await page.waitForSelector('.card[data-product-id="P1042"][data-drawn]');

    await search.fill('p1299');
    await expect.poll(() => visible().count()).toBe(1);

    await search.fill('no such product');
    await expect.poll(() => visible().count()).toBe(0);
    expect(await page.locator('#product-none').isVisible()).toBe(true);

    await search.fill('');
    await expect.poll(() => visible().count()).toBe(300);
    expectClean(o);
  }, 60_000);

  it('shows a hostile product name as text: no markup, no script, no request', async () => {
    const m = model(3);
    m.products[1] = product(1, { name: HOSTILE_NAME, category: '</script><b>bold</b>' });
    m.stockRisk[0] = { ...m.stockRisk[0], productName: HOSTILE_NAME };
    const o = await open(m, 'hostile');
    const { page } = o;
    await page.waitForFunction(() => document.querySelectorAll('[data-drawn]').length === 3);
    expect(await page.locator('.card[data-product-id="P1001"] .pname').textContent()).toBe(
      HOSTILE_NAME,
    );
    expect(await page.locator('#stock-risk td').nth(1).textContent()).toBe(HOSTILE_NAME);
    expect(await page.locator('img, b').count()).toBe(0);
    expect(await page.locator('script').count()).toBe(3);
    expectClean(o);
  }, 60_000);

  it(`saves a screenshot to out/report-screenshot.png (${SCREENSHOT})`, async () => {
    const m = model(12, { accuracy: ACCURACY });
    const o = await open(m, 'screenshot');
    const { page } = o;
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await page.waitForFunction(() => document.querySelectorAll('[data-drawn]').length === 12);
    await page.evaluate(() => window.scrollTo(0, 0));
    await mkdir(join(SCREENSHOT, '..'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(existsSync(SCREENSHOT)).toBe(true);
    expectClean(o);
  }, 60_000);
});
