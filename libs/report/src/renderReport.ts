import { isIsoDate } from '@retail-forecast/util';
import { CLIENT_SCRIPT } from './clientScript';
import { InvalidReportModelError } from './errors';
import { assertInlinable, cspHash, escapeHtml, jsonForScript } from './escape';
import {
  accuracySection,
  dataIssuesSection,
  modelMixSection,
  productsSection,
  reorderSection,
  stockRiskSection,
  summarySection,
} from './sections';
import { REPORT_CSS } from './styles';
import type { ReportModel, RenderReportOptions } from './types';

/**
 * The charting library the page uses, pinned in the root `package.json`: the app reads these
 * files (relative to the package's directory) and passes their text as `chartLibrary`.
 */
export const CHART_LIBRARY = {
  packageName: 'uplot',
  version: '1.6.32',
  script: 'dist/uPlot.iife.min.js',
  css: 'dist/uPlot.min.css',
} as const;

function validate(m: ReportModel): void {
  if (!isIsoDate(m.run.asOf))
    throw new InvalidReportModelError(
      `run.asOf "${m.run.asOf}" is not a date (expected YYYY-MM-DD)`,
    );
  for (const p of m.products) {
    const { p10, p50, p90, mean } = p.forecast;
    if (
      p10.length !== m.run.horizon ||
      p50.length !== m.run.horizon ||
      p90.length !== m.run.horizon
    )
      throw new InvalidReportModelError(
        `product ${p.id} has ${p10.length}/${p50.length}/${p90.length} P10/P50/P90 values (expected ${m.run.horizon}, the run's horizon)`,
      );
    if (mean !== undefined && mean.length !== m.run.horizon)
      throw new InvalidReportModelError(
        `product ${p.id} has ${mean.length} daily means (expected ${m.run.horizon}, the run's horizon)`,
      );
    if (!Number.isFinite(p.forecastedDemand))
      throw new InvalidReportModelError(
        `product ${p.id} has forecastedDemand ${String(p.forecastedDemand)} (expected a number of units)`,
      );
  }
  for (const a of m.accuracy ?? []) {
    if (!isIsoDate(a.asOf))
      throw new InvalidReportModelError(
        `accuracy point asOf "${a.asOf}" is not a date (expected YYYY-MM-DD)`,
      );
  }
}

/**
 * One run's report as a self-contained HTML page: the chart library, the styles, the data (as
 * escaped JSON) and the page script are all inline, so it opens from a file or an S3 object with
 * no network. A Content-Security-Policy allows exactly the page's own inline scripts (by hash)
 * and no fetches, so even a name that slipped through as markup could neither run nor load.
 * @throws ChartLibraryError when the library files cannot be inlined as they are
 * @throws InvalidReportModelError when the model is inconsistent (bad date, wrong quantile count)
 */
export function renderReport(model: ReportModel, options: RenderReportOptions): string {
  validate(model);
  const library = assertInlinable(options.chartLibrary.script, 'script', 'chart library script');
  const libraryCss = assertInlinable(
    options.chartLibrary.css,
    'style',
    'chart library style sheet',
  );
  const client = assertInlinable(CLIENT_SCRIPT, 'script', 'report page script');
  const title = options.title ?? `Demand forecast ${model.run.asOf}`;
  const csp = [
    "default-src 'none'",
    `script-src ${cspHash(library)} ${cspHash(client)}`,
    "style-src 'unsafe-inline'",
    "img-src 'none'",
    "connect-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="generator" content="@retail-forecast/report with ${CHART_LIBRARY.packageName} ${CHART_LIBRARY.version}">
<title>${escapeHtml(title)}</title>
<style>${libraryCss}</style>
<style>${REPORT_CSS}</style>
</head>
<body>
<header class="page"><h1>${escapeHtml(title)}</h1>
<p>${escapeHtml(`${model.products.length} products · as of ${model.run.asOf} · ${model.run.horizon}-day horizon · model ${model.run.model} · run ${model.run.runId}`)}</p></header>
<nav><a href="#summary">Summary</a><a href="#issues">Data issues</a><a href="#accuracy">Accuracy</a><a href="#model-mix">Model mix</a><a href="#stock-risk">Stock-out risk</a><a href="#reorder">Reorder</a><a href="#products">Products</a></nav>
<main>
${summarySection(model)}
${dataIssuesSection(model)}
${accuracySection(model)}
${modelMixSection(model)}
${stockRiskSection(model)}
${reorderSection(model)}
${productsSection(model)}
</main>
<footer>Generated ${escapeHtml(model.run.generatedAt)} by the demand forecast job. Charts: ${CHART_LIBRARY.packageName} ${CHART_LIBRARY.version} (MIT), inlined.</footer>
<script type="application/json" id="report-data">${jsonForScript(model)}</script>
<script>${library}</script>
<script>${client}</script>
</body>
</html>
`;
}
