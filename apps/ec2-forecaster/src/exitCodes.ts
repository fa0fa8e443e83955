import { errorMessage, exitCodeOf, exitKindOf } from '@retail-forecast/util';
import type { Logger } from '@retail-forecast/util';

/**
 * Logs the error that ended a command, plainly for a bad setting or input (the message names
 * the value) and with the stack for anything unexpected; returns the exit code. Every lib's base
 * error carries its own `exitKind` (util's `exitKindOf`/`exitCodeOf` read it): `config`/`input`
 * exit 2, anything else (a bug, a raw SDK error) exits 1.
 */
export function reportFailure(logger: Logger, command: string, err: unknown): number {
  if (exitKindOf(err) === 'failure') {
    logger.error(`${command} failed: ${errorMessage(err)}`, {
      stack: err instanceof Error ? err.stack : undefined,
    });
  } else {
    logger.error(errorMessage(err));
  }
  return exitCodeOf(err);
}
