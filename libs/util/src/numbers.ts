/**
 * `x` rounded to 2 decimals (half away from zero for positives, as `Math.round`), with `-0`
 * turned into `0`. Stored and printed demand figures use this: finer digits are noise for unit
 * demand and would only bloat DynamoDB items and JSON lines.
 */
export function round2(x: number): number {
  const r = Math.round(x * 100) / 100;
  return r === 0 ? 0 : r;
}
