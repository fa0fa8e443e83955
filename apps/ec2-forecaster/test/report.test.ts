import { describe, expect, it } from 'vitest';
import { CHART_LIBRARY } from '@retail-forecast/report';
import { buildReportModel, readChartLibrary, reportKeys, shardReportPath } from '../src/report';
import type { RunSummary } from '../src/types';
import { summary } from './summaryFixture';

describe('reportKeys', () => {
  it.each([
    ['', 'reports/as_of=2025-06-30/index.html', 'reports/latest/index.html'],
    ['site/', 'site/reports/as_of=2025-06-30/index.html', 'site/reports/latest/index.html'],
    ['site', 'site/reports/as_of=2025-06-30/index.html', 'site/reports/latest/index.html'],
  ])('puts the reports of prefix "%s" under <prefix>reports/', (prefix, dated, latest) => {
    expect(reportKeys(prefix, '2025-06-30')).toEqual({ dated, latest });
  });

  it('gives each shard its own report and no latest copy', () => {
    expect(reportKeys('site/', '2025-06-30', '2/4')).toEqual({
      dated: 'site/reports/as_of=2025-06-30/shard=2-of-4/index.html',
    });
    expect(shardReportPath('out/report.html', '2/4')).toBe('out/report.shard-2-of-4.html');
  });
});

describe('readChartLibrary', () => {
  it('reads the pinned uPlot script and style sheet from node_modules when run from source', async () => {
    const files = await readChartLibrary();
    expect(files.script).toContain('uPlot');
    expect(files.script.length).toBeGreaterThan(40_000);
    expect(files.css).toContain('.uplot');
    expect(CHART_LIBRARY.version).toBe('1.6.32');
  });
});

describe('buildReportModel', () => {
  const input = (over: Partial<RunSummary> = {}) => ({
    summary: { ...summary, ...over },
    products: [],
    forecasts: [],
    generatedAt: '2025-04-28T01:00:00Z',
  });

  it('takes the reorder rows and the one-day-ahead accuracy trend from the run summary', () => {
    const point = { asOf: '2025-04-27', wape: 0.25, mase: 0.8, bias: -0.05, coverage: 0.81 };
    const accuracy = {
      trend: { oneDayAhead: [point], horizonTotal: [] },
    } as unknown as RunSummary['accuracy'];
    const model = buildReportModel(input({ accuracy }));
    expect(model.accuracy).toEqual([point]);
    expect(model.reorder).toEqual([
      {
        productId: 'P1',
        productName: 'Classic Earbuds',
        reorderPoint: 25,
        suggestedOrderQty: 58,
        reorderBy: '2025-04-28',
        currentStock: 12,
        leadTimeDays: 7,
      },
    ]);
  });

  it('shows the empty states without an archive, and no reorder table on a dry run', () => {
    const model = buildReportModel(input({ dryRun: true, table: null, reorder: [] }));
    expect(model.accuracy).toBeNull();
    expect(model.reorder).toBeNull();
  });

  it("shows each product's forecastedDemand as its total and its daily means where it has them", () => {
    const day = (date: string, p50: number, mean?: number) => ({
      date,
      p10: 0,
      p50,
      p90: p50 + 3,
      ...(mean !== undefined && { mean }),
    });
    const forecast = (productId: string, daily: ReturnType<typeof day>[], total: number) => ({
      productId,
      asOf: '2025-04-27',
      horizonDays: 2,
      model: 'statistical:tsb',
      forecastedDemand: total,
      daily,
    });
    const model = buildReportModel({
      ...input(),
      forecasts: [
        // A count series: medians 0 and 1, means 0.4 and 1.3 (expected total 1.7).
        forecast('C', [day('2025-04-28', 0, 0.4), day('2025-04-29', 1, 1.3)], 1.7),
        forecast('G', [day('2025-04-28', 2.5), day('2025-04-29', 3.5)], 6),
      ],
    });
    const [c, g] = model.products;
    expect(c.forecastedDemand).toBe(1.7);
    expect(c.forecast).toEqual({ p10: [0, 0], p50: [0, 1], p90: [3, 4], mean: [0.4, 1.3] });
    expect(g.forecastedDemand).toBe(6);
    expect(g.forecast).not.toHaveProperty('mean');
  });

  it("carries each product's outliers record to its card, and none where the cleaning did not apply", () => {
    const base = {
      asOf: '2025-04-27',
      horizonDays: 1,
      model: 'statistical:ets(A,N,A)',
      forecastedDemand: 2,
      daily: [{ date: '2025-04-28', p10: 1, p50: 2, p90: 3 }],
    };
    const outliers = { count: 4, recent: [{ date: '2025-04-20', value: 0, replacement: 12.34 }] };
    const model = buildReportModel({
      ...input(),
      forecasts: [
        { ...base, productId: 'A', outliers },
        { ...base, productId: 'B' },
      ],
    });
    expect(model.products[0].outliers).toEqual(outliers);
    expect(model.products[1]).not.toHaveProperty('outliers');
  });

  it("carries each product's level shift to its card, and none where there was none", () => {
    const base = {
      asOf: '2025-04-27',
      horizonDays: 1,
      model: 'statistical:ets(A,N,A)',
      forecastedDemand: 2,
      daily: [{ date: '2025-04-28', p10: 1, p50: 2, p90: 3 }],
    };
    const levelShift = { date: '2025-03-31', before: 5.04, after: 0.47 };
    const model = buildReportModel({
      ...input(),
      forecasts: [
        { ...base, productId: 'A', levelShift },
        { ...base, productId: 'B' },
      ],
    });
    expect(model.products[0].levelShift).toEqual(levelShift);
    expect(model.products[1]).not.toHaveProperty('levelShift');
  });

  it("carries each product's weekday profile to its card, and none where there was none", () => {
    const base = {
      asOf: '2025-04-27',
      horizonDays: 1,
      model: 'statistical:ets(A,N,A)',
      forecastedDemand: 2,
      daily: [{ date: '2025-04-28', p10: 1, p50: 2, p90: 3 }],
    };
    const weekdayProfile = { source: 'category' as const, ownWeight: 0.31 };
    const model = buildReportModel({
      ...input(),
      forecasts: [
        { ...base, productId: 'A', weekdayProfile },
        { ...base, productId: 'B' },
      ],
    });
    expect(model.products[0].weekdayProfile).toEqual(weekdayProfile);
    expect(model.products[1]).not.toHaveProperty('weekdayProfile');
  });

  it("carries the run's warnings (load and events file) into the data issues", () => {
    const message = 'ev.csv line 4: scope "product:X" matches no product of the data';
    const model = buildReportModel(
      input({ warnings: [{ kind: 'events_file', file: 'ev.csv', message }] }),
    );
    expect(model.dataIssues.warnings).toEqual([message]);
  });
});
