import { JsonExtractionError } from './errors';
import { extractJson } from './extractJson';
import type { AnswerErrorCode, ParseResult, ProductVerdict } from './types';
import {
  AnswerSchema,
  checkForecast,
  checkHorizon,
  describe,
  EntrySchema,
  unique,
} from './validateSeries';

export function failedAnswer(
  askedIds: readonly string[],
  code: AnswerErrorCode,
  error: string,
): ParseResult {
  return {
    verdicts: new Map(),
    missing: unique(askedIds),
    unknownIds: [],
    unattributedEntries: 0,
    error,
    errorCode: code,
  };
}

/**
 * Validate a model's answer against the contract
 * `{"forecasts":[{"product_id","daily":[horizon],"p10"?:[horizon],"p90"?:[horizon]}]}`.
 * Each asked product gets its own verdict, so one bad entry does not sink the others; ids
 * answered twice are rejected as `duplicate answer` because neither copy can be trusted.
 */
export function parseForecastAnswer(
  text: string,
  askedIds: string[],
  horizon: number,
): ParseResult {
  checkHorizon(horizon);
  let json: unknown;
  try {
    json = extractJson(text);
  } catch (error) {
    if (error instanceof JsonExtractionError)
      return failedAnswer(askedIds, error.code, error.message);
    throw error;
  }
  const answer = AnswerSchema.safeParse(json);
  if (!answer.success) {
    const forecasts =
      json !== null && typeof json === 'object' && !Array.isArray(json)
        ? (json as Record<string, unknown>).forecasts
        : undefined;
    const what =
      Array.isArray(json) || json === null || typeof json !== 'object'
        ? describe(json)
        : `an object whose forecasts is ${describe(forecasts)}`;
    return failedAnswer(
      askedIds,
      'wrong_shape',
      `wrong top-level shape: got ${what}, expected an object with a "forecasts" array`,
    );
  }

  const asked = new Set(askedIds);
  const entries = new Map<string, Record<string, unknown>[]>();
  const unknownIds: string[] = [];
  let unattributedEntries = 0;
  for (const raw of answer.data.forecasts) {
    const entry = EntrySchema.safeParse(raw);
    if (!entry.success) {
      unattributedEntries++;
      continue;
    }
    const id = entry.data.product_id;
    if (!asked.has(id)) {
      if (!unknownIds.includes(id)) unknownIds.push(id);
      continue;
    }
    const list = entries.get(id) ?? [];
    list.push(entry.data);
    entries.set(id, list);
  }

  const verdicts = new Map<string, ProductVerdict>();
  const missing: string[] = [];
  for (const id of unique(askedIds)) {
    const list = entries.get(id);
    if (!list) missing.push(id);
    else if (list.length > 1)
      verdicts.set(id, { status: 'rejected', reason: 'duplicate answer', code: 'duplicate' });
    else {
      const { daily, p10, p90 } = list[0];
      const checked = checkForecast(id, { daily, p10, p90 }, horizon);
      verdicts.set(
        id,
        checked.ok
          ? { status: 'accepted', forecast: checked.value }
          : { status: 'rejected', reason: checked.reason, code: checked.code },
      );
    }
  }
  return { verdicts, missing, unknownIds, unattributedEntries };
}
