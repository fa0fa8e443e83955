/**
 * What a failure means for the run, so that apps map errors to exit codes in one place instead
 * of listing every lib's error classes:
 * - `config`: a missing or invalid setting, or an environment that cannot work (no table, no
 *   model access) — exit 2;
 * - `input`: input data that cannot be used (corrupt file, missing column, empty prefix) — exit 2;
 * - `failure`: anything else (a product that could not be written, a bug) — exit 1.
 */
export type ExitKind = 'config' | 'input' | 'failure';

/** Process exit codes of the job and its tools. */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_BAD_INPUT = 2;

const EXIT_CODE: Record<ExitKind, number> = {
  config: EXIT_BAD_INPUT,
  input: EXIT_BAD_INPUT,
  failure: EXIT_FAILED,
};

/** Implemented by every lib's base error (`readonly exitKind`); subclasses may narrow it. */
export interface HasExitKind {
  readonly exitKind: ExitKind;
}

function hasExitKind(err: unknown): err is HasExitKind {
  const kind = (err as { exitKind?: unknown } | null | undefined)?.exitKind;
  return kind === 'config' || kind === 'input' || kind === 'failure';
}

/** The error's own exit kind, or `failure` for errors that carry none (bugs, SDK errors). */
export function exitKindOf(err: unknown): ExitKind {
  return hasExitKind(err) ? err.exitKind : 'failure';
}

/** Exit code for an error that ended a run: 2 for `config`/`input`, else 1. */
export function exitCodeOf(err: unknown): number {
  return EXIT_CODE[exitKindOf(err)];
}

/** The message of anything thrown. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Thrown by this lib's date helpers for text that is not a calendar date. */
export class InvalidDateError extends Error implements HasExitKind {
  readonly exitKind: ExitKind = 'input';
  constructor(message: string) {
    super(message);
    this.name = 'InvalidDateError';
  }
}
