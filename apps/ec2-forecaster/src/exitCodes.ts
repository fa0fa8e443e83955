import { InvalidModelError, ModelAccessDeniedError } from '@retail-forecast/bedrock-client';
import { errorMessage, exitCodeOf, exitKindOf } from '@retail-forecast/util';
import type { ExitKind, Logger } from '@retail-forecast/util';

type ErrorClass = abstract new (...args: never[]) => Error;

/**
 * Lib errors whose base class does not carry `exitKind` yet (each lib is being given one). An
 * error's own `exitKind` always wins, so an entry is dead once its lib lands; then delete it.
 */
const PENDING_EXIT_KINDS: [ErrorClass, ExitKind][] = [
  [ModelAccessDeniedError, 'config'],
  [InvalidModelError, 'config'],
];

/** What an error that ended a command means: `config`/`input` (exit 2) or `failure` (exit 1). */
export function jobExitKind(err: unknown): ExitKind {
  if ((err as { exitKind?: unknown } | null | undefined)?.exitKind !== undefined)
    return exitKindOf(err);
  return PENDING_EXIT_KINDS.find(([cls]) => err instanceof cls)?.[1] ?? 'failure';
}

/** The process exit code for an error that ended a command: 2 bad input or configuration, else 1. */
export function jobExitCode(err: unknown): number {
  return exitCodeOf({ exitKind: jobExitKind(err) });
}

/**
 * Logs the error that ended a command, plainly for a bad setting or input (the message names
 * the value) and with the stack for anything unexpected; returns the exit code.
 */
export function reportFailure(logger: Logger, command: string, err: unknown): number {
  if (jobExitKind(err) === 'failure') {
    logger.error(`${command} failed: ${errorMessage(err)}`, {
      stack: err instanceof Error ? err.stack : undefined,
    });
  } else {
    logger.error(errorMessage(err));
  }
  return jobExitCode(err);
}
