import type { ParseResult, ParsedForecast } from '@retail-forecast/response-parser';
import type { Logger } from '@retail-forecast/util';

/**
 * What one request says about one product. `retry`: the answer left the product out or could not
 * be read, so it is asked again on its own; `failed`: the request itself failed (transport, a
 * refused request, the deadline), so the product falls back without being split out: the SDK
 * already retried the batch, and single-product requests would fail the same way, one by one.
 */
export type Outcome =
  | { type: 'accepted'; forecast: ParsedForecast }
  | { type: 'rejected'; reason: string; code: string }
  | { type: 'retry'; code: string; detail: string }
  | { type: 'failed'; code: string; detail: string };

/** `prefix:code` when the parser gave a stable code (e.g. `rejected:negative`), else `prefix`. */
export function codeOf(prefix: string, detail: object): string {
  const code = (detail as { code?: unknown }).code;
  return typeof code === 'string' && code !== '' ? `${prefix}:${code}` : prefix;
}

/**
 * One outcome per asked id: the parser's verdict, or `retry` when the answer left the product
 * out or could not be parsed at all.
 */
export function outcomesFromParse(
  ids: string[],
  parsed: ParseResult,
  log: Pick<Logger, 'warn'>,
): Map<string, Outcome> {
  const out = new Map<string, Outcome>();
  if (parsed.unknownIds.length > 0) {
    log.warn(`model answer named products that were not asked: ${parsed.unknownIds.join(', ')}`);
  }
  for (const id of ids) {
    const verdict = parsed.verdicts.get(id);
    if (verdict?.status === 'accepted')
      out.set(id, { type: 'accepted', forecast: verdict.forecast });
    else if (verdict?.status === 'rejected')
      out.set(id, { type: 'rejected', reason: verdict.reason, code: codeOf('rejected', verdict) });
    else if (parsed.error !== undefined)
      out.set(id, {
        type: 'retry',
        code: codeOf('unparseable', { code: parsed.errorCode }),
        detail: `answer could not be parsed: ${parsed.error}`,
      });
    else out.set(id, { type: 'retry', code: 'missing', detail: "missing from the model's answer" });
  }
  return out;
}

/** The same outcome, `retry` or `failed`, for every id of a request that failed as a whole. */
export function allOf(
  type: 'retry' | 'failed',
  ids: string[],
  code: string,
  detail: string,
): Map<string, Outcome> {
  return new Map<string, Outcome>(ids.map((id) => [id, { type, code, detail }]));
}
