/**
 * The run's deadline, `minutes` after the job starts. Model requests stop a write reserve before
 * it (five minutes, or a fifth of the budget when that is shorter), so the DynamoDB writes that
 * follow still fit; the writes get the deadline itself.
 */
export interface RunDeadline {
  /** When the whole run must be done. */
  at: Date;
  /** Aborts when model requests must stop (`at` minus the write reserve). */
  models: AbortSignal;
  /** Aborts at `at`: for the writer, so that it lists what it could not write in time. */
  writes: AbortSignal;
  /** Clears the timers (the run ended before its deadline). */
  dispose(): void;
}

const MAX_WRITE_RESERVE_MS = 5 * 60_000;

export function runDeadline(minutes: number, startedAt = Date.now()): RunDeadline {
  const budgetMs = minutes * 60_000;
  const reserveMs = Math.min(MAX_WRITE_RESERVE_MS, budgetMs / 5);
  const at = new Date(startedAt + budgetMs);
  const timers: NodeJS.Timeout[] = [];
  const abortAfter = (ms: number, reason: string): AbortSignal => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new Error(reason)), Math.max(0, ms));
    // The deadline must not keep a finished job's process alive.
    timer.unref();
    timers.push(timer);
    return controller.signal;
  };
  const elapsed = Date.now() - startedAt;
  const reserveMin = Math.round((reserveMs / 60_000) * 10) / 10;
  return {
    at,
    models: abortAfter(
      budgetMs - reserveMs - elapsed,
      `model requests stop ${reserveMin} min before the ${minutes}-minute run deadline, to leave time for the writes`,
    ),
    writes: abortAfter(budgetMs - elapsed, `the ${minutes}-minute run deadline passed`),
    dispose: () => timers.forEach(clearTimeout),
  };
}
