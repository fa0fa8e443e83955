import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { CHART_LIBRARY } from '../src/index';
import type { ChartLibraryFiles, ReportModel, ReportProduct } from '../src/index';

export const AS_OF = '2025-06-30';
export const HORIZON = 7;
export const HISTORY_DAYS = 56;
export const CATEGORIES = ['Electronics', 'Grocery', 'Home', 'Toys'];
export const HOSTILE_NAME =
  '<img src=x onerror=alert(1)></script><script>alert(2)</script>\u2028&amp;';

/** The real pinned chart library, as the app reads it. */
export function chartLibrary(): ChartLibraryFiles {
  const dir = join(
    createRequire(import.meta.url).resolve(`${CHART_LIBRARY.packageName}/package.json`),
    '..',
  );
  return {
    script: readFileSync(join(dir, CHART_LIBRARY.script), 'utf8'),
    css: readFileSync(join(dir, CHART_LIBRARY.css), 'utf8'),
  };
}

/**
 * A deterministic product: weekly pattern plus noise, a widening band. Even-numbered products are
 * count forecasts: a daily mean 0.4 above the P50 (a median), and `forecastedDemand` the sum of
 * the means; odd ones have no mean and `forecastedDemand` the sum of the P50s.
 */
export function product(i: number, overrides: Partial<ReportProduct> = {}): ReportProduct {
  let seed = i * 7919 + 17;
  const rand = () => {
    seed = (seed * 16807) % 2147483647;
    return seed / 2147483647;
  };
  const level = 2 + (i % 11) * 1.7;
  const weekly = (d: number) => 1 + 0.35 * Math.sin((2 * Math.PI * d) / 7);
  const history = Array.from({ length: HISTORY_DAYS }, (_, d) =>
    Math.max(0, Math.round(level * weekly(d) + (rand() - 0.5) * level)),
  );
  const p50 = Array.from(
    { length: HORIZON },
    (_, d) => Math.round(level * weekly(HISTORY_DAYS + d) * 10) / 10,
  );
  const mean = i % 2 === 0 ? p50.map((v) => Math.round((v + 0.4) * 10) / 10) : undefined;
  const forecastedDemand = Math.round((mean ?? p50).reduce((t, v) => t + v, 0) * 100) / 100;
  return {
    id: `P${String(1000 + i)}`,
    name: `Product ${i}`,
    category: CATEGORIES[i % CATEGORIES.length],
    model: i % 3 === 0 ? 'statistical:theta' : 'statistical:ets(A,N,A)',
    demandClass: 'smooth',
    history,
    forecastedDemand,
    forecast: {
      p10: p50.map((v, d) => Math.max(0, Math.round((v - 0.25 * level * (1 + d / 7)) * 10) / 10)),
      p50,
      p90: p50.map((v, d) => Math.round((v + 0.3 * level * (1 + d / 7)) * 10) / 10),
      ...(mean && { mean }),
    },
    ...overrides,
  };
}

export function model(products: number, overrides: Partial<ReportModel> = {}): ReportModel {
  const list = Array.from({ length: products }, (_, i) => product(i));
  return {
    run: {
      runId: 'run-test',
      asOf: AS_OF,
      horizon: HORIZON,
      model: 'statistical',
      engine: 'global model off, holidays US, no events',
      source: 's3://gold/forecast_ready/',
      table: 'RetailInventoryTable',
      generatedAt: '2025-07-01T01:02:03.000Z',
      durationSeconds: 4.2,
      exitCode: 0,
      productsRead: products,
      productsForecast: products,
      productsWritten: products,
      productsSkippedNewer: 0,
      remote: null,
    },
    dataIssues: {
      files: 3,
      rowsRead: products * 300,
      rowsUsed: products * 300,
      rowsSkipped: {},
      duplicateRows: 0,
      rowSamples: [],
      failedProducts: [],
      fallbacks: { count: 0, reasons: {} },
    },
    modelMix: [
      { model: 'statistical:ets', products: list.filter((p) => p.model.includes('ets')).length },
      {
        model: 'statistical:theta',
        products: list.filter((p) => p.model.includes('theta')).length,
      },
    ],
    products: list,
    stockRisk: [
      {
        productId: 'P1003',
        productName: 'Product 3',
        currentStock: 4,
        forecastedDemand: 30.5,
        p90Total: 41.2,
        daysOfCover: 0.9,
        stockoutRisk: true,
      },
    ],
    reorder: null,
    accuracy: null,
    ...overrides,
  };
}

export const ACCURACY = ['2025-06-02', '2025-06-09', '2025-06-16', '2025-06-23'].map((asOf, i) => ({
  asOf,
  wape: 0.31 - i * 0.02,
  mase: 0.92 - i * 0.03,
  bias: 0.04 - i * 0.015,
  coverage: 0.76 + i * 0.01,
  products: 300,
}));
