/** Plain-text rendering of a backtest report (the CLI's and the bench's leaderboard). */
import { CLASSES } from './backtestScore';
import { modelFamily } from './models/registry';
import type { BacktestReport, BacktestSummary } from './types';

function fmt(v: number, digits = 3): string {
  return Number.isFinite(v) ? v.toFixed(digits) : '-';
}

function table(rows: BacktestSummary[], baseline?: BacktestSummary): string {
  const header = [
    'model',
    'fits',
    'MASE',
    'rel.snaive',
    'WAPE',
    'bias',
    'wQL',
    'cov80',
    '>P90',
    '<P10',
    'ms/fit',
    'skip',
    'fail',
  ];
  // The fallback column appears only when a model with a fallback is in the table; `-` where a
  // fallback does not apply.
  const withFallbacks = rows.some((r) => r.fallbacks !== undefined);
  if (withFallbacks) header.push('fallback');
  const body = [...rows]
    .sort((a, b) => (a.meanMase || Infinity) - (b.meanMase || Infinity))
    .map((r) => [
      r.model,
      String(r.fits),
      fmt(r.meanMase),
      baseline && baseline.meanMase > 0 ? fmt(r.meanMase / baseline.meanMase) : '-',
      fmt(r.wape),
      fmt(r.bias),
      fmt(r.wql),
      fmt(r.coverage, 2),
      fmt(r.above, 2),
      fmt(r.below, 2),
      fmt(r.meanFitMs, 1),
      String(r.skipped),
      String(r.failed),
      ...(withFallbacks ? [r.fallbacks === undefined ? '-' : String(r.fallbacks)] : []),
    ]);
  const all = [header, ...body];
  const widths = header.map((_, i) => Math.max(...all.map((row) => row[i].length)));
  const line = (row: string[]) =>
    row.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

/**
 * `top3(theta,combo(ets,theta,snaive),ets(A,N,A))` → `top3{combo,ets,theta}`; members by their
 * registry names (`modelFamily`), so `combo(ets,sarima,theta)` reads `combo-eat`, not `combo`.
 */
function poolKey(chosen: string): string {
  const m = /^(top\d+)\((.*)\)$/.exec(chosen);
  if (!m) return /^(mean-)?combo\(/.test(chosen) ? modelFamily(chosen) : chosen;
  const members: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of m[2]) {
    if (ch === '(' || ch === ')') depth += ch === '(' ? 1 : -1;
    if (depth === 0 && ch === ',') {
      members.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  members.push(current);
  return `${m[1]}{${members.map(modelFamily).sort().join(',')}}`;
}

/**
 * What `auto` chose over a backtest's fits, grouped by the members of each pool (parameters and
 * rank order dropped: `top3{combo,ets,theta}`), most chosen first, ties by name.
 * @returns `[choice, fits]` pairs
 */
export function autoChoiceCounts(report: BacktestReport): [string, number][] {
  const grouped = new Map<string, number>();
  for (const [chosen, count] of Object.entries(report.autoChoices)) {
    const key = poolKey(chosen);
    grouped.set(key, (grouped.get(key) ?? 0) + count);
  }
  return [...grouped].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

/** Plain-text leaderboard: overall, then per demand class, then what `auto` chose. */
export function formatLeaderboard(report: BacktestReport): string {
  const base = (rows: BacktestSummary[]) => rows.find((r) => r.model === 'snaive');
  const parts = [
    `Backtest: ${report.series} series, h = ${report.horizon}, ${report.origins} origins (MASE = mean over fits; WAPE, bias, wQL pooled)`,
    table(report.byModel, base(report.byModel)),
  ];
  for (const cls of CLASSES) {
    const rows = report.byClass[cls];
    if (!rows) continue;
    parts.push('', `Demand class: ${cls}`, table(rows, base(rows)));
  }
  // Pools grouped by their members so the line stays short.
  const choices = autoChoiceCounts(report);
  if (choices.length > 0) {
    const shown = choices.slice(0, 8).map(([k, v]) => `${k} ×${v}`);
    if (choices.length > 8) shown.push(`${choices.length - 8} more`);
    parts.push('', `auto chose: ${shown.join(', ')}`);
  }
  return parts.join('\n');
}
