import { escapeHtml as esc } from './escape';
import type { ReportModel } from './types';

const nf = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });
const num = (v: number | null | undefined) =>
  v === null || v === undefined ? 'n/a' : nf.format(v);
const pct = (v: number | null | undefined) =>
  v === null || v === undefined ? 'n/a' : `${nf.format(v * 100)} %`;
const fixed = (v: number | null | undefined, digits: number) =>
  v === null || v === undefined ? 'n/a' : v.toFixed(digits);

function tile(label: string, value: string, tone = ''): string {
  return `<div class="tile ${tone}"><div class="label">${esc(label)}</div><div class="value">${esc(value)}</div></div>`;
}

function table(headers: { label: string; num?: boolean }[], rows: string[][]): string {
  const head = headers
    .map((h) => `<th${h.num ? ' class="num"' : ''}>${esc(h.label)}</th>`)
    .join('');
  const body = rows
    .map(
      (cells) =>
        `<tr>${cells.map((c, i) => `<td${headers[i].num ? ' class="num"' : ''}>${c}</td>`).join('')}</tr>`,
    )
    .join('\n');
  return `<div class="scroll"><table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table></div>`;
}

const empty = (title: string, text: string) =>
  `<div class="empty"><strong>${esc(title)}</strong> ${esc(text)}</div>`;

/** Counts, status and where the data came from. */
export function summarySection(m: ReportModel): string {
  const r = m.run;
  const failed = m.dataIssues.failedProducts.length;
  const status =
    r.exitCode === 0
      ? `<span class="status ok">${esc(r.table === null ? 'dry run: every product forecast' : 'every product written')}</span>`
      : `<span class="status bad">${esc(failed > 0 ? `${failed} products failed` : `exit code ${r.exitCode}`)}</span>`;
  const tiles = [
    tile('products forecast', `${num(r.productsForecast)} of ${num(r.productsRead)}`),
    tile(
      'written to DynamoDB',
      r.productsWritten === null ? 'dry run' : num(r.productsWritten),
      r.productsWritten !== null && failed === 0 ? 'ok' : '',
    ),
    tile('failed', num(failed), failed > 0 ? 'bad' : ''),
    tile('kept (newer forecast)', num(r.productsSkippedNewer)),
    tile(
      'fallbacks',
      num(m.dataIssues.fallbacks.count),
      m.dataIssues.fallbacks.count > 0 ? 'bad' : '',
    ),
    tile('at risk of stock-out', num(m.stockRisk.filter((s) => s.stockoutRisk).length)),
    tile('duration', `${fixed(r.durationSeconds, 1)} s`),
  ];
  const facts: [string, string][] = [
    ['run id', r.runId],
    ['as of', `${r.asOf} (forecasting ${r.horizon} days)`],
    ['model', r.model],
    ['engine settings', r.engine],
    ['source', r.source],
    ['table', r.table ?? '(dry run: DynamoDB not touched)'],
    ['generated', r.generatedAt],
  ];
  if (r.remote) {
    const b = r.remote;
    facts.push([
      'Bedrock',
      `${b.requests} requests, ${b.retries} retries, accepted ${b.accepted}, rejected ${b.rejected}, fallback ${b.fallback}; tokens in ${b.inputTokens}, out ${b.outputTokens}; estimated cost ${b.estimatedCostUsd === null ? 'unknown' : `$${b.estimatedCostUsd.toFixed(4)}`}`,
    ]);
  }
  return `<section id="summary"><h2>Run summary ${status}</h2>
<div class="tiles">${tiles.join('')}</div>
<dl class="facts">${facts.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('')}</dl>
</section>`;
}

/** Skipped rows, duplicates, row samples, failed products and fallbacks. */
export function dataIssuesSection(m: ReportModel): string {
  const d = m.dataIssues;
  const skipped = Object.entries(d.rowsSkipped).filter(([, n]) => n > 0);
  const parts: string[] = [];
  parts.push(
    `<p>${esc(`${num(d.files)} files, ${num(d.rowsRead)} rows read, ${num(d.rowsUsed)} used, ${num(d.duplicateRows)} identical duplicate rows dropped.`)}</p>`,
  );
  const clean =
    skipped.length === 0 &&
    d.duplicateRows === 0 &&
    d.rowSamples.length === 0 &&
    (d.warnings ?? []).length === 0 &&
    d.failedProducts.length === 0 &&
    d.fallbacks.count === 0;
  if (clean) {
    parts.push(
      empty(
        'No data issues.',
        'Every row was used, no product-day appeared twice, every product was forecast by the requested model and written.',
      ),
    );
  }
  if (skipped.length > 0) {
    parts.push(
      `<h3>Rows skipped</h3>${table(
        [{ label: 'reason' }, { label: 'rows', num: true }],
        skipped.map(([reason, n]) => [esc(reason), esc(num(n))]),
      )}`,
    );
  }
  if (d.rowSamples.length > 0) {
    parts.push(
      `<h3>First reported rows</h3><ul class="issues">${d.rowSamples
        .map((s) => `<li>${esc(s.message)}</li>`)
        .join('')}</ul>`,
    );
  }
  if (d.warnings && d.warnings.length > 0) {
    parts.push(
      `<h3>Warnings</h3><ul class="issues">${d.warnings
        .map((w) => `<li>${esc(w)}</li>`)
        .join('')}</ul>`,
    );
  }
  if (d.failedProducts.length > 0) {
    parts.push(
      `<h3>Products not written</h3>${table(
        [{ label: 'product' }, { label: 'error' }],
        d.failedProducts.map((f) => [esc(f.productId), esc(f.error)]),
      )}`,
    );
  }
  if (d.fallbacks.count > 0) {
    parts.push(
      `<h3>Fallbacks to the statistical forecast</h3>${table(
        [{ label: 'reason' }, { label: 'products', num: true }],
        Object.entries(d.fallbacks.reasons).map(([reason, n]) => [esc(reason), esc(num(n))]),
      )}`,
    );
  }
  return `<section id="issues"><h2>Data issues</h2>${parts.join('\n')}</section>`;
}

/** The accuracy chart's container (drawn by the page script) and a table of the points. */
export function accuracySection(m: ReportModel): string {
  const points = m.accuracy ?? [];
  if (points.length === 0) {
    return `<section id="accuracy"><h2>Accuracy trend</h2>${empty(
      'No accuracy history yet.',
      `Accuracy is measured once past forecasts have been archived and the ${m.run.horizon} days they cover have been sold: each run then scores them against the actual sales (WAPE, MASE, bias and P10–P90 coverage) and this chart shows the trend.`,
    )}</section>`;
  }
  const newestFirst = [...points].reverse();
  // The product count is optional in the model: no column of "n/a" when no point has one.
  const counted = points.some((p) => p.products !== undefined);
  return `<section id="accuracy"><h2>Accuracy trend</h2>
<div id="accuracy-chart" class="wide-chart"></div>
<h3>Scored forecasts</h3>
${table(
  [
    { label: 'as of' },
    { label: 'WAPE', num: true },
    { label: 'MASE', num: true },
    { label: 'bias', num: true },
    { label: 'P10–P90 coverage', num: true },
    ...(counted ? [{ label: 'products', num: true }] : []),
  ],
  newestFirst.map((p) => [
    esc(p.asOf),
    esc(pct(p.wape)),
    esc(fixed(p.mase, 3)),
    esc(pct(p.bias)),
    esc(pct(p.coverage)),
    ...(counted ? [esc(num(p.products))] : []),
  ]),
)}
</section>`;
}

/** Products per model, as a table with bars. */
export function modelMixSection(m: ReportModel): string {
  const total = m.modelMix.reduce((a, e) => a + e.products, 0);
  const body =
    m.modelMix.length === 0
      ? empty('No products were forecast.', '')
      : table(
          [{ label: 'model' }, { label: 'products', num: true }, { label: 'share' }],
          m.modelMix.map((e) => {
            const share = total > 0 ? e.products / total : 0;
            return [
              esc(e.model),
              esc(num(e.products)),
              `<span class="bar" style="width:${Math.round(share * 200)}px"></span> ${esc(pct(share))}`,
            ];
          }),
        );
  return `<section id="model-mix"><h2>Model mix</h2>${body}</section>`;
}

/** The at-risk ranking. */
export function stockRiskSection(m: ReportModel): string {
  const h = m.run.horizon;
  const body =
    m.stockRisk.length === 0
      ? empty(
          'No stock levels known.',
          m.run.table === null
            ? 'This was a dry run: stock levels are read from DynamoDB while writing forecasts.'
            : 'No inventory item has current_stock, so days of cover and stock-out risk cannot be computed.',
        )
      : table(
          [
            { label: 'product' },
            { label: 'name' },
            { label: 'stock', num: true },
            { label: `${h}-day expected`, num: true },
            { label: `${h}-day P90`, num: true },
            { label: 'days of cover', num: true },
            { label: 'stock-out risk' },
          ],
          m.stockRisk.map((r) => [
            esc(r.productId),
            esc(r.productName ?? ''),
            esc(num(r.currentStock)),
            esc(num(r.forecastedDemand)),
            esc(num(r.p90Total)),
            esc(num(r.daysOfCover)),
            r.stockoutRisk ? '<span class="yes">yes</span>' : 'no',
          ]),
        );
  return `<section id="stock-risk"><h2>Most at risk of stock-out</h2>${body}</section>`;
}

/** Reorder suggestions, or why there are none. */
export function reorderSection(m: ReportModel): string {
  let body: string;
  if (m.reorder === null) {
    body = empty(
      'Reorder suggestions are not computed yet.',
      'They need each product’s stock, lead time and forecast uncertainty; once the job computes them this table lists the reorder point, the suggested order quantity and the date to order by.',
    );
  } else if (m.reorder.length === 0) {
    body = empty('No product needs reordering.', 'Stock covers every reorder point.');
  } else {
    body = table(
      [
        { label: 'product' },
        { label: 'name' },
        { label: 'stock', num: true },
        { label: 'lead time (days)', num: true },
        { label: 'reorder point', num: true },
        { label: 'suggested order qty', num: true },
        { label: 'reorder by' },
      ],
      m.reorder.map((r) => [
        esc(r.productId),
        esc(r.productName ?? ''),
        esc(num(r.currentStock)),
        esc(num(r.leadTimeDays)),
        esc(num(r.reorderPoint)),
        esc(num(r.suggestedOrderQty)),
        esc(r.reorderBy ?? '–'),
      ]),
    );
  }
  return `<section id="reorder"><h2>Reorder suggestions</h2>${body}</section>`;
}

/** Search box, legend and the (script-filled) product grid. */
export function productsSection(m: ReportModel): string {
  const weeks = Math.round(Math.max(0, ...m.products.map((p) => p.history.length)) / 7);
  return `<section id="products"><h2>Products: last ${weeks} weeks and the ${m.run.horizon}-day forecast</h2>
<div class="toolbar">
<input type="search" id="product-search" placeholder="Search by id, name or category" aria-label="Search products by id, name or category" autocomplete="off">
<span id="product-count" aria-live="polite"></span>
<span class="legend"><span><i class="sold"></i>sold</span><span><i class="p50"></i>P50 forecast (daily median)</span><span><i class="band"></i>P10–P90 band</span></span>
</div>
<noscript><div class="empty">The charts need JavaScript.</div></noscript>
<div id="product-none" class="empty" hidden>No product matches the search.</div>
<div id="product-grid" class="grid"></div>
</section>`;
}
