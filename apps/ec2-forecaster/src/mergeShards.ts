import { EXIT_FAILED, EXIT_OK } from '@retail-forecast/util';
import type { RunSummary } from './types';

/** One shard's outcome as the merge saw it. */
export interface ShardOutcome {
  /** `i/N`. */
  shard: string;
  /** The shard's exit code; null when its summary is missing (it never finished). */
  exitCode: number | null;
  asOf: string | null;
  productsForecast: number;
  productsFailed: number;
}

/** The run summary of a sharded run: the shards' summaries added up (`forecast merge-shards`). */
export interface MergedRunSummary {
  runId: string;
  /** The shards' common as-of; null when they disagree or none finished. */
  asOf: string | null;
  shardCount: number;
  shards: ShardOutcome[];
  /** Shards without a summary: they did not finish (or wrote nowhere). */
  missing: string[];
  /** Shards whose as-of differs from the first shard's. */
  asOfMismatch: string[];
  files: number;
  rows: { read: number; used: number; rejected: number; skipped: number };
  products: {
    read: number;
    forecast: number;
    written: number;
    skippedNewer: number;
    failed: { productId: string; error: string }[];
    stockNotRead: number;
  };
  models: Record<string, number>;
  /** The shards' `outliers` added up: days the outlier cleaning replaced, products with any. */
  outliers: { daysReplaced: number; products: number };
  fallbacks: number;
  inputTokens: number;
  outputTokens: number;
  /** The slowest shard's duration (they run in parallel). */
  durationSeconds: number;
  /** 0 only when every shard exited 0 on the same as-of; else the worst shard's code, at least 1. */
  exitCode: number;
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/**
 * Adds up the summaries of shards 0..N-1 (`summaries[i]` is shard i's, undefined when missing).
 * Missing shards and shards on another as-of make the run fail (exit 1, or the worst shard code):
 * a run is a success only when every product of the catalog was handled once.
 */
export function mergeShardSummaries(
  runId: string,
  summaries: readonly (RunSummary | undefined)[],
): MergedRunSummary {
  const count = summaries.length;
  const present = summaries.filter((s): s is RunSummary => s !== undefined);
  const label = (i: number) => `${i}/${count}`;
  const missing = summaries.flatMap((s, i) => (s ? [] : [label(i)]));
  const asOf = present[0]?.asOf ?? null;
  const asOfMismatch = summaries.flatMap((s, i) => (s && s.asOf !== asOf ? [label(i)] : []));
  const models: Record<string, number> = {};
  for (const s of present)
    for (const [m, n] of Object.entries(s.models)) models[m] = (models[m] ?? 0) + n;
  const worst = Math.max(EXIT_OK, ...present.map((s) => s.exitCode));
  const exitCode =
    missing.length > 0 || asOfMismatch.length > 0 ? Math.max(worst, EXIT_FAILED) : worst;
  return {
    runId,
    asOf: asOfMismatch.length > 0 ? null : asOf,
    shardCount: count,
    shards: summaries.map((s, i) => ({
      shard: label(i),
      exitCode: s?.exitCode ?? null,
      asOf: s?.asOf ?? null,
      productsForecast: s?.products.forecast ?? 0,
      productsFailed: s?.products.failed.length ?? 0,
    })),
    missing,
    asOfMismatch,
    files: sum(present.map((s) => s.files)),
    rows: {
      read: sum(present.map((s) => s.rows.read)),
      used: sum(present.map((s) => s.rows.used)),
      rejected: sum(present.map((s) => s.rows.rejected)),
      skipped: sum(present.map((s) => sum(Object.values(s.rows.skipped)))),
    },
    products: {
      read: sum(present.map((s) => s.products.read)),
      forecast: sum(present.map((s) => s.products.forecast)),
      written: sum(present.map((s) => s.products.written)),
      skippedNewer: sum(present.map((s) => s.products.skippedNewer)),
      failed: present.flatMap((s) => s.products.failed),
      stockNotRead: sum(present.map((s) => s.products.stockNotRead.length)),
    },
    models,
    outliers: {
      daysReplaced: sum(present.map((s) => s.outliers.daysReplaced)),
      products: sum(present.map((s) => s.outliers.products)),
    },
    fallbacks: sum(present.map((s) => s.fallbacks.count)),
    inputTokens: sum(present.map((s) => s.bedrock?.inputTokens ?? 0)),
    outputTokens: sum(present.map((s) => s.bedrock?.outputTokens ?? 0)),
    durationSeconds: Math.max(0, ...present.map((s) => s.durationSeconds)),
    exitCode,
  };
}

/** The merged summary as text. */
export function formatMergedSummary(m: MergedRunSummary): string {
  const out = [
    '',
    `Forecast run ${m.runId} (${m.shardCount} shards)`,
    `  as of           ${m.asOf ?? `(shards disagree: ${m.asOfMismatch.join(', ')})`}`,
    `  shards          ${m.shards.filter((s) => s.exitCode === EXIT_OK).length} of ${m.shardCount} succeeded` +
      (m.missing.length > 0 ? `; missing: ${m.missing.join(', ')}` : ''),
    `  rows read       ${m.rows.read}  (used ${m.rows.used}, rejected ${m.rows.rejected})`,
    `  products        ${m.products.forecast} forecast, ${m.products.written} written, ${m.products.failed.length} failed`,
    `  outliers        ${m.outliers.daysReplaced} days replaced in ${m.outliers.products} of ${m.products.forecast} products`,
    `  fallbacks       ${m.fallbacks}`,
  ];
  for (const s of m.shards.filter((x) => x.exitCode !== EXIT_OK))
    out.push(
      `  shard ${s.shard}: ${s.exitCode === null ? 'no summary (did not finish)' : `exit ${s.exitCode}`}`,
    );
  out.push(`  exit code       ${m.exitCode}`, '');
  return out.join('\n');
}
