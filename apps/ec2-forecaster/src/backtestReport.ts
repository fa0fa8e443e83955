import { formatLeaderboard } from '@retail-forecast/forecasting';
import type { BacktestReport } from '@retail-forecast/forecasting';
import { describeEngine } from './summary';
import type { BacktestBedrockUsage, EngineSettings } from './types';

const usd = (v: number | null) => (v === null ? 'unknown' : `$${v.toFixed(4)}`);
const int = (v: number) => v.toLocaleString('en-US');

/** One remote model's expected requests, tokens and cost, printed before anything is sent. */
export function formatEstimate(u: BacktestBedrockUsage, origins: number): string {
  const e = u.estimate;
  const cost =
    e.costUsd === null ? `unknown (${e.costNote ?? 'no price for this model'})` : usd(e.costUsd);
  // Origins sent on demand may read the system prompt from the prompt cache; origins sent as a
  // batch job are at the batch price, without caching (records carry no cache point).
  const cached =
    e.cacheReadTokens + e.cacheWriteTokens > 0
      ? ` (~${int(e.cacheReadTokens)} read from and ~${int(e.cacheWriteTokens)} written to the prompt cache; ${usd(e.costWithoutCacheUsd)} without caching)`
      : '';
  const batch =
    e.batchOrigins !== undefined
      ? ` (${e.batchOrigins} origin(s) as batch inference jobs at the batch price; on demand ${e.onDemandCostUsd == null ? 'unknown' : usd(e.onDemandCostUsd)})`
      : '';
  return `${u.model}: ${origins} origin(s) → ${int(e.requests)} request(s), ~${int(e.inputTokens)} input + ~${int(e.outputTokens)} output tokens, estimated cost ${cost}${cached}${batch}; ${describeReasks(e.reasksAtMost)}`;
}

/**
 * What the estimate leaves out: a product whose answer is missing or unreadable (or whose batch's
 * answers moved together) is asked once more alone, on demand, so at most one more request each.
 */
function describeReasks(r: BacktestBedrockUsage['estimate']['reasksAtMost']): string {
  return `re-asks not included: at most ${int(r.requests)} more single-product request(s), ${r.costUsd === null ? 'cost unknown' : `up to ${usd(r.costUsd)}`}, if every answer had to be asked again`;
}

/** The estimates summed over all remote models. */
export function formatEstimateTotal(usage: BacktestBedrockUsage[]): string {
  let requests = 0;
  let input = 0;
  let output = 0;
  let cost = 0;
  const unpriced: string[] = [];
  for (const { model, estimate: e } of usage) {
    requests += e.requests;
    input += e.inputTokens;
    output += e.outputTokens;
    if (e.costUsd === null) unpriced.push(model);
    else cost += e.costUsd;
  }
  const note = unpriced.length > 0 ? ` plus unknown for ${unpriced.join(', ')}` : '';
  const reasks = usage.reduce<BacktestBedrockUsage['estimate']['reasksAtMost']>(
    (t, { estimate: { reasksAtMost: r } }) => ({
      requests: t.requests + r.requests,
      costUsd: t.costUsd === null || r.costUsd === null ? null : t.costUsd + r.costUsd,
    }),
    { requests: 0, costUsd: 0 },
  );
  return `total: ${int(requests)} request(s), ~${int(input)} input + ~${int(output)} output tokens, estimated cost ${usd(cost)}${note}; ${describeReasks(reasks)}`;
}

function formatUsage(usage: BacktestBedrockUsage[]): string {
  if (usage.length === 0) return '';
  const lines = ['', 'Bedrock use (summed over origins):'];
  for (const u of usage) {
    const a = u.actual;
    if (!a) {
      lines.push(`${u.model}: not called`);
      continue;
    }
    const reasons = Object.entries(a.fallbackReasons)
      .map(([k, v]) => `${k} ×${v}`)
      .join(', ');
    lines.push(
      `${u.model}: ${a.accepted} answers used, ${a.fallback} fallbacks${reasons ? ` (${reasons})` : ''}; ` +
        `${int(a.requests)} requests (${a.failedRequests} failed, ${a.retries} retries), ` +
        `${int(a.inputTokens)} input + ${int(a.outputTokens)} output tokens, cost ${usd(a.estimatedCostUsd)} ` +
        `(estimated ${usd(u.estimate.costUsd)})` +
        (a.cacheReadInputTokens + a.cacheWriteInputTokens > 0
          ? `; prompt cache ${int(a.cacheReadInputTokens)} read + ${int(a.cacheWriteInputTokens)} written tokens, saved ${usd(a.cacheSavingUsd)}`
          : '') +
        (a.batch
          ? `; batch jobs ${int(a.batch.records)} records at the batch price ${usd(a.batch.costUsd)} (on demand ${usd(a.batch.onDemandCostUsd)})`
          : ''),
    );
  }
  return `${lines.join('\n')}\n`;
}

/** The backtest's text report: the leaderboard (with `auto`'s engine settings under its header
 * when `auto` is among the models), then what each remote model used. */
export function formatBacktestReport(
  report: BacktestReport,
  usage: BacktestBedrockUsage[],
  engine?: EngineSettings,
): string {
  const board = formatLeaderboard(report);
  if (!engine || !report.byModel.some((m) => m.model === 'auto'))
    return `${board}\n${formatUsage(usage)}`;
  // Under the header line: the settings that made auto's numbers.
  const cut = board.indexOf('\n') + 1;
  const settings = `auto's engine: ${describeEngine(engine)}\n`;
  return `${board.slice(0, cut)}${settings}${board.slice(cut)}\n${formatUsage(usage)}`;
}
