import { InvalidPromptOptionsError } from './errors';
import type { PromptOptions } from './types';

export const DEFAULT_PROMPT_OPTIONS: Readonly<Required<PromptOptions>> = Object.freeze({
  horizon: 7,
  recentDays: 28,
  weeklyWeeks: 12,
  maxInputTokensPerRequest: 3000,
  maxProductsPerRequest: 20,
  nameMaxChars: 60,
  answerWith: 'text',
});

type NumericOption = Exclude<keyof PromptOptions, 'answerWith'>;

const LIMITS: Record<NumericOption, [min: number, max: number]> = {
  horizon: [1, 366],
  recentDays: [1, 3660],
  weeklyWeeks: [0, 520],
  maxInputTokensPerRequest: [1, 10_000_000],
  maxProductsPerRequest: [1, 100_000],
  nameMaxChars: [1, 10_000],
};

function checkInt(name: NumericOption, value: number): number {
  const [min, max] = LIMITS[name];
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new InvalidPromptOptionsError(
      `${name} ${String(value)} is not allowed (expected an integer from ${min} to ${max})`,
    );
  }
  return value;
}

export function resolveHorizon(horizon?: number): number {
  return checkInt('horizon', horizon ?? DEFAULT_PROMPT_OPTIONS.horizon);
}

export function resolveOptions(options: PromptOptions = {}): Required<PromptOptions> {
  const out = { ...DEFAULT_PROMPT_OPTIONS };
  for (const key of Object.keys(LIMITS) as NumericOption[]) {
    const value = options[key];
    if (value !== undefined) out[key] = checkInt(key, value);
  }
  if (options.answerWith !== undefined) {
    if (options.answerWith !== 'text' && options.answerWith !== 'tool') {
      throw new InvalidPromptOptionsError(
        `answerWith ${JSON.stringify(options.answerWith)} is not allowed (expected "text" or "tool")`,
      );
    }
    out.answerWith = options.answerWith;
  }
  return out;
}
