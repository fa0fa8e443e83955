import { errorMessage, exitCodeOf, exitKindOf } from '@retail-forecast/util';
import type { ExitKind, Logger } from '@retail-forecast/util';

/**
 * What an error that ended a command means: `config`/`input` (exit 2) or `failure` (exit 1).
 * Every lib's base error carries its own `exitKind`; anything else (a bug, a raw SDK error) is a
 * failure.
 */
export function jobExitKind(err: unknown): ExitKind {
  return exitKindOf(err);
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
