import { describe, expect, it } from 'vitest';
import { CHART_LIBRARY } from '@retail-forecast/report';
import { readChartLibrary, reportKeys } from '../src/report';

describe('reportKeys', () => {
  it.each([
    ['', 'reports/as_of=2025-06-30/index.html', 'reports/latest/index.html'],
    ['site/', 'site/reports/as_of=2025-06-30/index.html', 'site/reports/latest/index.html'],
    ['site', 'site/reports/as_of=2025-06-30/index.html', 'site/reports/latest/index.html'],
  ])('puts the reports of prefix "%s" under <prefix>reports/', (prefix, dated, latest) => {
    expect(reportKeys(prefix, '2025-06-30')).toEqual({ dated, latest });
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
