import { dayToIsoDate, weekdayOfDay } from '@retail-forecast/util';
import { FORECAST_TOOL_NAME } from './answerSchema';
import { quoteData } from './quoteData';
import type { AnswerWith } from './types';

export const DATA_OPEN = '<data products=';
export const DATA_CLOSE = '</data>';

/** Units as short text: integers as-is, anything else to two decimals at most. */
export function formatUnits(v: number): string {
  const r = Math.round(v * 100) / 100;
  return String(r === 0 ? 0 : r); // also turns -0 into 0
}

export interface ProductBlockInput {
  productId: string;
  productName?: string;
  category?: string;
  recent: ArrayLike<number>;
  recentStartDay: number;
  weekly: ArrayLike<number>;
}

/** The three lines describing one product. */
export function formatProductBlock(p: ProductBlockInput, nameMaxChars: number): string {
  let head = `id=${quoteData(p.productId)}`;
  if (p.productName !== undefined) head += ` name=${quoteData(p.productName, nameMaxChars)}`;
  if (p.category !== undefined) head += ` cat=${quoteData(p.category, nameMaxChars)}`;

  // Split the daily values into 7-day weeks that end on the as-of day, so the model sees the
  // weekly rhythm without a date per value; only the first week may be partial.
  const n = p.recent.length;
  const first = n % 7 || 7;
  let days = '';
  for (let i = 0; i < n; i++) {
    if (i > 0) days += i >= first && (i - first) % 7 === 0 ? '|' : ',';
    days += formatUnits(p.recent[i]);
  }
  const start = `${dayToIsoDate(p.recentStartDay)} ${weekdayOfDay(p.recentStartDay)}`;

  const weeks = Array.from(p.weekly, formatUnits).join(',');
  return `${head}\nr ${start}: ${days}\nw:${weeks ? ` ${weeks}` : ''}`;
}

export function formatUserMessage(
  asOfDay: number,
  horizon: number,
  blocks: readonly string[],
  answerWith: AnswerWith = 'text',
): string {
  const from = asOfDay + 1;
  const to = asOfDay + horizon;
  const range =
    horizon === 1
      ? `${dayToIsoDate(from)} ${weekdayOfDay(from)}`
      : `${dayToIsoDate(from)} ${weekdayOfDay(from)}..${dayToIsoDate(to)} ${weekdayOfDay(to)}`;
  return [
    `as_of ${dayToIsoDate(asOfDay)} ${weekdayOfDay(asOfDay)}`,
    `forecast ${range} (${horizon} days)`,
    `${DATA_OPEN}${blocks.length}>`,
    ...blocks,
    DATA_CLOSE,
    answerWith === 'tool'
      ? `Call ${FORECAST_TOOL_NAME} once: ${blocks.length} forecasts, ${horizon} numbers per array.`
      : `Reply with the JSON object only: ${blocks.length} forecasts, ${horizon} numbers per array.`,
  ].join('\n');
}
