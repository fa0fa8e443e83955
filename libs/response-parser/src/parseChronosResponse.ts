import { JsonExtractionError } from './errors';
import { extractJson } from './extractJson';
import { failedAnswer } from './parseForecastAnswer';
import type { ChronosOptions, ParseResult, ProductVerdict } from './types';
import { checkForecast, checkHorizon, describe } from './validateSeries';
import { z } from 'zod';

const ChronosSchema = z.object({ predictions: z.array(z.unknown()) });

/**
 * Validate a Chronos endpoint answer `{"predictions":[{"mean","0.1","0.5","0.9"}]}` whose
 * predictions follow the order of the request's inputs: `daily` is "0.5" (or `mean` when
 * absent), `p10` is "0.1" and `p90` is "0.9". Predictions past `askedIds` are counted in
 * `unattributedEntries`; asked ids past the last prediction are `missing`.
 * `body` may be the parsed JSON or its text.
 */
export function parseChronosResponse(
  body: unknown,
  askedIds: string[],
  horizon: number,
  options: ChronosOptions = {},
): ParseResult {
  checkHorizon(horizon);
  const clampNegative = options.clampNegative ?? true;
  let json = body;
  if (typeof body === 'string') {
    try {
      json = extractJson(body, { accept: (v) => ChronosSchema.safeParse(v).success });
    } catch (error) {
      if (error instanceof JsonExtractionError)
        return failedAnswer(askedIds, error.code, error.message);
      throw error;
    }
  }
  const parsed = ChronosSchema.safeParse(json);
  if (!parsed.success) {
    const predictions =
      json !== null && typeof json === 'object' && !Array.isArray(json)
        ? (json as Record<string, unknown>).predictions
        : undefined;
    const what =
      Array.isArray(json) || json === null || typeof json !== 'object'
        ? describe(json)
        : `an object whose predictions is ${describe(predictions)}`;
    return failedAnswer(
      askedIds,
      'wrong_shape',
      `wrong top-level shape: got ${what}, expected an object with a "predictions" array`,
    );
  }

  const predictions = parsed.data.predictions;
  const verdicts = new Map<string, ProductVerdict>();
  const missing: string[] = [];
  const seen = new Set<string>();
  askedIds.forEach((id, i) => {
    if (i >= predictions.length) {
      if (!seen.has(id)) missing.push(id);
      seen.add(id);
      return;
    }
    if (seen.has(id)) {
      verdicts.set(id, { status: 'rejected', reason: 'duplicate answer', code: 'duplicate' });
      return;
    }
    seen.add(id);
    const p: unknown = predictions[i];
    if (p === null || typeof p !== 'object' || Array.isArray(p)) {
      verdicts.set(id, {
        status: 'rejected',
        reason: `prediction is ${describe(p)}, expected an object`,
        code: 'schema',
      });
      return;
    }
    const q = p as Record<string, unknown>;
    const checked = checkForecast(
      id,
      { daily: q['0.5'] ?? q.mean, p10: q['0.1'], p90: q['0.9'] },
      horizon,
      clampNegative,
    );
    verdicts.set(
      id,
      checked.ok
        ? { status: 'accepted', forecast: checked.value }
        : { status: 'rejected', reason: checked.reason, code: checked.code },
    );
  });
  return {
    verdicts,
    missing: missing.filter((id) => !verdicts.has(id)),
    unknownIds: [],
    unattributedEntries: Math.max(0, predictions.length - askedIds.length),
  };
}
