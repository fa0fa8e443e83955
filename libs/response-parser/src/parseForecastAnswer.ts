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
 * Whether a value is an answer to this request: `{"forecasts":[…]}` naming at least one asked
 * product. An example object echoed from the prompt names none, so it never counts.
 */
function answersAsked(value: unknown, asked: ReadonlySet<string>): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const forecasts = (value as Record<string, unknown>).forecasts;
  return (
    Array.isArray(forecasts) &&
    forecasts.some((e) => {
      const id = (e as Record<string, unknown> | null)?.product_id;
      return typeof id === 'string' && asked.has(id);
    })
  );
}

/**
 * A tool's input as models send it: some put a nested array as JSON text (`"forecasts":"[…]"`).
 * Only that one key is unwrapped; anything else is left for the shape check to report.
 */
function unwrapStringified(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const forecasts = (value as Record<string, unknown>).forecasts;
  if (typeof forecasts !== 'string') return value;
  try {
    return { ...value, forecasts: JSON.parse(forecasts) as unknown };
  } catch {
    return value;
  }
}

/**
 * Validate a model's answer against the contract
 * `{"forecasts":[{"product_id","daily":[horizon],"p10"?:[horizon],"p90"?:[horizon]}]}`.
 * `answer` is the model's text (the answer is chosen by {@link extractJson}'s rule: reasoning
 * never counts, the last complete object naming an asked product wins) or an already structured
 * value such as a Converse tool call's `input`.
 * Each asked product gets its own verdict, so one bad entry does not sink the others; ids
 * answered twice are rejected as `duplicate answer` because neither copy can be trusted.
 */
export function parseForecastAnswer(
  answer: unknown,
  askedIds: string[],
  horizon: number,
): ParseResult {
  checkHorizon(horizon);
  const asked = new Set(askedIds);
  let json: unknown;
  if (typeof answer === 'string') {
    try {
      json = extractJson(answer, { accept: (v) => answersAsked(v, asked) });
    } catch (error) {
      if (error instanceof JsonExtractionError)
        return failedAnswer(askedIds, error.code, error.message);
      throw error;
    }
  } else json = unwrapStringified(answer);
  const parsed = AnswerSchema.safeParse(json);
  if (!parsed.success) {
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

  const entries = new Map<string, Record<string, unknown>[]>();
  const unknownIds: string[] = [];
  let unattributedEntries = 0;
  for (const raw of parsed.data.forecasts) {
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
