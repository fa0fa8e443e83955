import { exitCodeOf } from '@retail-forecast/util';
import { describe, expect, it } from 'vitest';
import {
  ChartLibraryError,
  escapeHtml,
  InvalidReportModelError,
  jsonForScript,
  renderReport,
  ReportError,
} from '../src/index';
import type { ChartLibraryFiles, ReportModel } from '../src/index';
import { ACCURACY, HOSTILE_NAME, model, product } from './fixtures';

const LIBRARY: ChartLibraryFiles = {
  script: 'window.uPlot = function () {};',
  css: '.uplot { display: block; }',
};

const render = (m: ReportModel, library = LIBRARY) => renderReport(m, { chartLibrary: library });

/** The embedded data, parsed as the page parses it. */
function embedded(html: string): unknown {
  const match = /<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(html);
  if (!match) throw new Error('no report-data element');
  return JSON.parse(match[1]);
}

describe('renderReport', () => {
  it('states the engine settings the numbers were made with', () => {
    const html = render(model(1));
    expect(html).toMatch(
      /engine settings<\/[a-z]+>\s*<[a-z]+>global model off, holidays US, no events/,
    );
  });

  it('embeds the whole model as JSON that parses back unchanged', () => {
    const m = model(5, { accuracy: ACCURACY });
    expect(embedded(render(m))).toEqual(m);
  });

  it('inlines the chart library, its style sheet and the page script, and loads nothing else', () => {
    const html = render(model(2));
    expect(html).toContain(`<script>${LIBRARY.script}</script>`);
    expect(html).toContain(`<style>${LIBRARY.css}</style>`);
    expect(html).not.toMatch(/\s(src|href)="(?!#)/);
    expect(html.match(/<script[\s>]/g)).toHaveLength(3);
  });

  it('allows exactly its own inline scripts by hash in the Content-Security-Policy', () => {
    const html = render(model(1));
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/
      .exec(html)![1]
      .replaceAll('&#39;', "'");
    const scriptSrc = csp.split('; ').find((d) => d.startsWith('script-src '))!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("connect-src 'none'");
    expect(scriptSrc).toMatch(/^script-src 'sha256-[A-Za-z0-9+/=]+' 'sha256-[A-Za-z0-9+/=]+'$/);
  });

  it('keeps a hostile product name from closing the data element or becoming markup', () => {
    const m = model(2, {
      products: [product(0, { name: HOSTILE_NAME, category: '</SCRIPT><!--' })],
      stockRisk: [
        {
          productId: 'P1000',
          productName: HOSTILE_NAME,
          currentStock: 1,
          forecastedDemand: 2,
          p90Total: 3,
          daysOfCover: 0.5,
          stockoutRisk: true,
        },
      ],
    });
    const html = render(m);
    expect(html).not.toContain('<img');
    expect(html).not.toMatch(/<\/script><script>alert/i);
    expect(html.match(/<\/script>/gi)).toHaveLength(3);
    expect(html).not.toContain('<!--');
    expect(html).not.toMatch(/report-data">[^<]*\u2028/);
    expect(html).toContain(escapeHtml(HOSTILE_NAME));
    expect((embedded(html) as ReportModel).products[0].name).toBe(HOSTILE_NAME);
  });

  it('shows empty states when accuracy and reorder suggestions were not computed', () => {
    const html = render(model(3, { accuracy: null, reorder: null, stockRisk: [] }));
    expect(html).toContain('No accuracy history yet.');
    expect(html).not.toContain('id="accuracy-chart"');
    expect(html).toContain('Reorder suggestions are not computed yet.');
    expect(html).toContain('No stock levels known.');
  });

  it('draws the accuracy trend and lists its points newest first when the model has them', () => {
    const html = render(model(3, { accuracy: ACCURACY }));
    expect(html).toContain('id="accuracy-chart"');
    const section = /<section id="accuracy">([\s\S]*?)<\/section>/.exec(html)![1];
    expect(section.indexOf('2025-06-23')).toBeLessThan(section.indexOf('2025-06-02'));
    expect(section).toContain('31 %');
    expect(section).toContain('0.920');
    expect(section).toContain('>products<');
  });

  it('leaves out the products column when no accuracy point counts them', () => {
    const uncounted = ACCURACY.map(({ products: _, ...p }) => p);
    const section = /<section id="accuracy">([\s\S]*?)<\/section>/.exec(
      render(model(3, { accuracy: uncounted })),
    )![1];
    expect(section).not.toContain('>products<');
    expect(section).not.toContain('n/a');
  });

  it('lists reorder rows with reorder point, suggested quantity and reorder-by date', () => {
    const html = render(
      model(3, {
        reorder: [
          {
            productId: 'P1001',
            productName: 'Product 1',
            reorderPoint: 12,
            suggestedOrderQty: 30,
            reorderBy: '2025-07-03',
            currentStock: 8,
            leadTimeDays: 5,
          },
        ],
      }),
    );
    const section = /<section id="reorder">([\s\S]*?)<\/section>/.exec(html)![1];
    for (const text of ['reorder point', 'suggested order qty', 'reorder by', '2025-07-03', '30'])
      expect(section).toContain(text);
    expect(render(model(1, { reorder: [] }))).toContain('No product needs reordering.');
  });

  it('reports data issues: skipped rows, samples, failed products and fallbacks', () => {
    const m = model(2);
    m.dataIssues = {
      ...m.dataIssues,
      rowsSkipped: { negative_sales: 3, after_as_of: 0 },
      rowSamples: [{ file: 'a.csv', row: 4, message: 'daily_sales "-2" on line 4 is negative' }],
      warnings: ['ev.csv line 3: repeats line 2 (2024-11-29, *, bf, value 1); counted once'],
      failedProducts: [{ productId: 'P9', error: 'ConditionalCheckFailed <b>' }],
      fallbacks: { count: 2, reasons: { guardrail_rejected: 2 } },
    };
    const html = render(m);
    expect(html).toContain('negative_sales');
    const section = /<section id="issues">([\s\S]*?)<\/section>/.exec(html)![1];
    expect(section).not.toContain('after_as_of');
    expect(html).toContain('daily_sales &quot;-2&quot; on line 4 is negative');
    expect(section).toContain('<h3>Warnings</h3>');
    expect(section).toContain('ev.csv line 3: repeats line 2');
    expect(html).toContain('ConditionalCheckFailed &lt;b&gt;');
    expect(html).toContain('guardrail_rejected');
    expect(render(model(2))).toContain('No data issues.');
    const warned = model(2);
    warned.dataIssues = { ...warned.dataIssues, warnings: ['ev.csv line 3: counted once'] };
    expect(render(warned)).not.toContain('No data issues.');
  });

  it('refuses a chart library that would end its own inline element', () => {
    expect(() => render(model(1), { ...LIBRARY, script: 'var s = "</script>";' })).toThrow(
      ChartLibraryError,
    );
    expect(() => render(model(1), { ...LIBRARY, css: 'a{}</style>' })).toThrow(
      'chart library style sheet contains "</style" at character 3',
    );
    expect(() => render(model(1), { ...LIBRARY, script: ' ' })).toThrow(
      'chart library script is empty',
    );
  });

  it('rejects a product whose quantiles do not cover the horizon', () => {
    const m = model(1, {
      products: [product(0, { forecast: { p10: [1], p50: [2], p90: [3] } })],
    });
    expect(() => render(m)).toThrow(InvalidReportModelError);
    expect(() => render(m)).toThrow('product P1000 has 1/1/1 P10/P50/P90 values (expected 7');
  });

  it('rejects daily means that do not cover the horizon, and a total that is not a number', () => {
    const base = product(0);
    const short = model(1, {
      products: [product(0, { forecast: { ...base.forecast, mean: [1, 2] } })],
    });
    expect(() => render(short)).toThrow('product P1000 has 2 daily means (expected 7');
    const nan = model(1, { products: [product(0, { forecastedDemand: Number.NaN })] });
    expect(() => render(nan)).toThrow('product P1000 has forecastedDemand NaN');
  });

  it("heads the stock-out table's demand column as the expected total, not P50", () => {
    const html = render(model(3));
    expect(html).toContain('7-day expected');
    expect(html).not.toContain('7-day P50');
  });

  it('rejects an as-of that is not a date', () => {
    const m = model(1);
    m.run.asOf = '2025-02-30';
    expect(() => render(m)).toThrow('run.asOf "2025-02-30" is not a date (expected YYYY-MM-DD)');
  });

  it.each([new ReportError('x'), new ChartLibraryError('x'), new InvalidReportModelError('x')])(
    'makes %s a run failure (exit 1)',
    (err) => {
      expect(err).toBeInstanceOf(ReportError);
      expect(exitCodeOf(err)).toBe(1);
    },
  );
});

describe('jsonForScript', () => {
  it('escapes <, >, &, U+2028 and U+2029 and parses back to the same value', () => {
    const value = { s: '</script><!-- & \u2028\u2029 "q"' };
    const json = jsonForScript(value);
    expect(json).not.toMatch(/[<>&\u2028\u2029]/);
    expect(json).toContain('\\u003c/script\\u003e');
    expect(JSON.parse(json)).toEqual(value);
  });
});
