import { renderTextTable } from '@retail-forecast/util';
import type { AccuracyMetrics, AccuracyReport } from '@retail-forecast/forecasting';
import { describeSparseColumns } from './calendarStep';
import type { EngineSettings, RunSummary } from './types';

const CONFLICT_WORDS = {
  max: 'kept the larger',
  sum: 'summed',
  last: 'kept the one read last',
  error: 'those products failed',
} as const;

const fmt = (v: number | null, digits = 1) => (v === null ? 'n/a' : v.toFixed(digits));

/**
 * `--global-model`, `--combination`, `--outliers`, `--level-shifts`, `--weekday-profile`,
 * `--holidays` and `--events` in a line: `global model off, combination top3, outliers clean,
 * level shifts follow, weekday profile catalogue, holidays US-CA, events e.csv (12 rows)`.
 */
export function describeEngine(e: EngineSettings): string {
  return [
    `global model ${e.globalModel ? 'on' : 'off'}`,
    `combination ${e.combination}`,
    `outliers ${e.outliers}`,
    `level shifts ${e.levelShifts}`,
    `weekday profile ${e.weekdayProfile}`,
    e.holidays ? `holidays ${e.holidays}` : 'no holidays',
    e.events ? `events ${e.events.uri} (${e.events.rows} rows)` : 'no events',
  ].join(', ');
}

/**
 * The summary's outliers line: `412 days replaced in 93 of 300 products (clean)`, or that they
 * were kept (`--outliers keep`).
 */
export function describeOutliers(s: Pick<RunSummary, 'engine' | 'outliers' | 'products'>): string {
  if (s.engine.outliers === 'keep') return 'kept: every day fitted as it was (--outliers keep)';
  const { daysReplaced, products } = s.outliers;
  return `${daysReplaced} ${daysReplaced === 1 ? 'day' : 'days'} replaced in ${products} of ${s.products.forecast} products (clean)`;
}

/**
 * The summary's level-shifts line: `fitted after a shift in 3 of 300 products (follow)`, or that
 * shifts were ignored (`--level-shifts ignore`).
 */
export function describeLevelShifts(
  s: Pick<RunSummary, 'engine' | 'levelShifts' | 'products'>,
): string {
  if (s.engine.levelShifts === 'ignore')
    return 'ignored: every product fitted on its whole history (--level-shifts ignore)';
  return `fitted after a shift in ${s.levelShifts.products} of ${s.products.forecast} products (follow)`;
}

/**
 * The summary's weekday-profile line: `spread in 12 of 300 products, 10 by their category's, 2 by
 * the catalogue's (catalogue)`, or that
 * every product kept its models' week (`--weekday-profile own`, or a shard's run, which reads no
 * catalogue profile).
 */
export function describeWeekdayProfile(
  s: Pick<RunSummary, 'engine' | 'weekdayProfile' | 'products' | 'shard'>,
): string {
  if (s.engine.weekdayProfile === 'own')
    return s.shard
      ? "own: every product's week is its models' (a sharded run reads no catalogue profile)"
      : "own: every product's week is its models' (--weekday-profile own)";
  const { products, category } = s.weekdayProfile;
  return `spread in ${products} of ${s.products.forecast} products, ${category} by their category's, ${products - category} by the catalogue's (catalogue)`;
}

/** The end-of-run report printed to stdout (unless --json). */
export function formatSummary(s: RunSummary): string {
  const out: string[] = [];
  out.push('');
  out.push(`Forecast run ${s.runId}`);
  out.push(`  source          ${s.source}`);
  out.push(`  table           ${s.table ?? '(dry run: DynamoDB not touched)'}`);
  out.push(`  as of           ${s.asOf}  (horizon ${s.horizon} days)`);
  out.push(`  model           ${s.model}`);
  out.push(`  engine          ${describeEngine(s.engine)}`);
  if (s.engine.sparseCalendar.length > 0)
    out.push(
      `  no effect       ${describeSparseColumns(s.engine.sparseCalendar)} (seen on fewer than 2 days of their history)`,
    );
  if (s.engine.calendarTooShort > 0)
    out.push(
      `  no calendar     ${s.engine.calendarTooShort} product(s) with too little history for holiday and event effects`,
    );
  if (s.output) out.push(`  output          ${s.output}`);
  if (s.shard)
    out.push(
      `  shard           ${s.shard.shard}  (${s.shard.layout === 'bucketed' ? `read its product_bucket folders: ${s.files} of ${s.shard.filesListed} files` : `every file read, ${s.shard.rowsOtherShards} rows left to other shards`})`,
    );
  out.push('');
  out.push(`  files read      ${s.files}`);
  out.push(`  rows read       ${s.rows.read}  (used ${s.rows.used})`);
  const skipped = Object.entries(s.rows.skipped).filter(([, n]) => n > 0);
  out.push(
    `  rows skipped    ${skipped.length === 0 ? 0 : skipped.map(([r, n]) => `${r}: ${n}`).join(', ')}`,
  );
  out.push(
    `  rows rejected   ${s.rows.rejected} (budget ${s.rows.maxBadRows}; their days are unknown, not 0)`,
  );
  out.push(`  duplicates      ${s.rows.duplicatesDropped} identical rows dropped (counted once)`);
  const conflicts = s.rows.conflictingDuplicates;
  out.push(
    `  conflicting     ${conflicts.count} rows for a product and day with a different daily_sales (${CONFLICT_WORDS[conflicts.policy]}, --on-duplicate ${conflicts.policy})`,
  );
  out.push(`  products read   ${s.products.read}`);
  out.push(`  flagged         ${s.products.flagged} (history with rejected days: data_issues)`);
  out.push(`  forecast        ${s.products.forecast}`);
  out.push(`  written         ${s.dryRun ? '- (dry run)' : s.products.written}`);
  out.push(`  skipped_newer   ${s.products.skippedNewer}`);
  out.push(`  failed          ${s.products.failed.length}`);
  if (s.products.stockNotRead.length > 0)
    out.push(
      `  stock not read  ${s.products.stockNotRead.length} (stored cover, risk and reorder fields kept)`,
    );
  out.push(
    `  models          ${Object.entries(s.models)
      .map(([m, n]) => `${m} ${n}`)
      .join(', ')}`,
  );
  out.push(`  outliers        ${describeOutliers(s)}`);
  out.push(`  level shifts    ${describeLevelShifts(s)}`);
  out.push(`  weekday profile ${describeWeekdayProfile(s)}`);
  if (s.fallbacks.count > 0 || s.bedrock) {
    out.push(
      `  fallbacks       ${s.fallbacks.count}${
        s.fallbacks.count > 0
          ? ` (${Object.entries(s.fallbacks.reasons)
              .map(([r, n]) => `${r}: ${n}`)
              .join('; ')})`
          : ''
      }`,
    );
  }
  if (s.bedrock) {
    const b = s.bedrock;
    out.push(
      `  bedrock         requests ${b.requests}, retries ${b.retries}, failed requests ${b.failedRequests}, accepted ${b.accepted}, rejected ${b.rejected}, fallback ${b.fallback}`,
    );
    out.push(
      `  tokens          in ${b.inputTokens}, out ${b.outputTokens}, estimated cost ${b.estimatedCostUsd === null ? `unknown (${b.costNote ?? 'no price for this model'})` : `$${b.estimatedCostUsd.toFixed(4)}`}`,
    );
    if (b.cacheReadInputTokens + b.cacheWriteInputTokens > 0) {
      out.push(
        `  prompt cache    read ${b.cacheReadInputTokens}, written ${b.cacheWriteInputTokens} tokens; saved ${b.cacheSavingUsd === null ? 'unknown' : `$${b.cacheSavingUsd.toFixed(4)}`} against no caching`,
      );
    }
    if (b.batch) {
      const j = b.batch;
      const usd = (v: number | null) => (v === null ? 'unknown' : `$${v.toFixed(4)}`);
      out.push(
        `  batch job       ${j.status}${j.jobArn ? ` ${j.jobArn}` : ''}: ${j.records} records, ${j.recordErrors} with an error, ${j.recordsMissing} missing, ${j.seconds.toFixed(0)} s`,
      );
      out.push(
        `  batch price     ${usd(j.costUsd)} for ${j.inputTokens} in / ${j.outputTokens} out tokens (on demand: ${usd(j.onDemandCostUsd)})`,
      );
    }
  }
  out.push(`  duration        ${s.durationSeconds.toFixed(1)} s`);
  for (const f of s.products.failed.slice(0, 20)) out.push(`  FAILED ${f.productId}: ${f.error}`);
  if (s.products.failed.length > 20)
    out.push(`  … and ${s.products.failed.length - 20} more failed products`);
  for (const p of s.products.stockNotRead.slice(0, 20))
    out.push(`  STOCK NOT READ ${p.productId}: ${p.reason}`);
  if (s.products.stockNotRead.length > 20)
    out.push(
      `  … and ${s.products.stockNotRead.length - 20} more products whose stock was not read`,
    );
  for (const issue of s.rows.issues) {
    out.push(
      `  ${issue.reason === 'conflicting_duplicate' ? 'duplicate' : 'rejected row'}: ${issue.message}`,
    );
  }
  for (const w of s.warnings) out.push(`  warning: ${w.message}`);
  if (s.stockRisk.length > 0) {
    out.push('');
    out.push('Most at risk of stock-out');
    out.push(
      renderTextTable(
        [
          'product',
          'name',
          'stock',
          `${s.horizon}d expected`,
          `${s.horizon}d P90`,
          'days of cover',
          'risk',
        ],
        s.stockRisk.map((r) => [
          r.productId,
          (r.productName ?? '').slice(0, 28),
          String(r.currentStock),
          fmt(r.forecastedDemand),
          fmt(r.p90Total),
          fmt(r.daysOfCover),
          r.stockoutRisk ? 'YES' : 'no',
        ]),
        { align: ['left', 'left'] },
      ),
    );
  }
  if (s.archive) {
    out.push('');
    out.push(
      s.archive.error
        ? `Archive ${s.archive.uri}: NOT UPDATED (${s.archive.error})`
        : `Archive ${s.archive.uri}: ${s.archive.forecastRows} forecast rows in ${s.archive.forecastsPartition}`,
    );
  }
  if (s.accuracy) out.push(...formatAccuracy(s.accuracy));
  if (s.reorder.length > 0) {
    const due = s.reorder.filter((r) => r.reorderBy !== null || r.suggestedOrderQty > 0);
    out.push('');
    out.push(
      `Reorder suggestions (${due.length} of ${s.reorder.length} products with stock need an order; first 10)`,
    );
    out.push(
      renderTextTable(
        [
          'product',
          'name',
          'stock',
          'reorder point',
          'order up to',
          'order qty',
          'order by',
          'L/R/SL',
        ],
        due
          .slice(0, 10)
          .map((r) => [
            r.productId,
            (r.productName ?? '').slice(0, 28),
            String(r.currentStock),
            String(r.reorderPoint),
            String(r.orderUpToLevel),
            String(r.suggestedOrderQty),
            r.reorderBy ?? '-',
            `${r.leadTimeDays}/${r.reviewPeriodDays}/${r.serviceLevel}`,
          ]),
        { align: ['left', 'left'] },
      ),
    );
  }
  out.push('');
  return out.join('\n');
}

const pct = (v: number | null) => (v === null ? 'n/a' : `${(v * 100).toFixed(1)}%`);
const num = (v: number | null) => (v === null ? 'n/a' : v.toFixed(2));
const metricCells = (m: AccuracyMetrics) => [
  String(m.forecasts),
  pct(m.wape),
  num(m.mase),
  pct(m.bias),
  pct(m.coverage),
];

/** The "accuracy of earlier forecasts" section. */
function formatAccuracy(a: AccuracyReport): string[] {
  const out: string[] = [];
  out.push('');
  // The runs actually scored (the trend has one point per issuing date in the window), not the
  // window's bounds: 16 runs replayed into a 28-day window were issued in its last 16 days.
  const issued = a.trend.oneDayAhead.map((p) => p.asOf);
  const runs = `${a.window.origins} run${a.window.origins === 1 ? '' : 's'}`;
  const first = issued[0];
  const last = issued[issued.length - 1];
  out.push(
    issued.length === 0
      ? `Accuracy of earlier forecasts (no run issued ${a.window.from} to ${a.window.to} could be scored)`
      : `Accuracy of earlier forecasts (${runs} issued ${first === last ? first : `${first} to ${last}`})`,
  );
  const head = ['group', 'kind', 'forecasts', 'WAPE', 'MASE', 'bias', 'P10-P90'];
  const rows = [a.overall, ...a.categories].flatMap((g) => [
    [g.key, '1 day ahead', ...metricCells(g.oneDayAhead)],
    [g.key, 'horizon total', ...metricCells(g.horizonTotal)],
  ]);
  out.push(renderTextTable(head, rows, { align: ['left', 'left'] }));
  const trend = a.trend.horizonTotal.slice(-14);
  if (trend.length > 0) {
    out.push(
      `  horizon-total WAPE by run: ${trend.map((p) => `${p.asOf.slice(5)} ${pct(p.wape)}`).join(', ')}`,
    );
  }
  const d = a.degradation;
  out.push(
    d.reason !== undefined
      ? `  degradation check: not made (${d.reason})`
      : `  degradation check: last week ${pct(d.lastWeekWape)} vs 28-day median ${pct(d.medianWape)} × ${d.factor}: ${d.degraded ? 'DEGRADED' : 'ok'}`,
  );
  if (a.missing.length > 0) {
    out.push(
      `  outside P10-P90 on most recent days (${a.missing.length}): ${a.missing
        .slice(0, 10)
        .map((m) => `${m.productId} ${m.outside}/${m.days}`)
        .join(', ')}${a.missing.length > 10 ? ', …' : ''}`,
    );
  }
  return out;
}
