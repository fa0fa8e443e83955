/** When the writer stops retrying: an absolute time, a signal, or never. */
export interface Deadline {
  /** Aborts at the deadline, so backoff sleeps end early; undefined without a deadline. */
  signal: AbortSignal | undefined;
  expired(): boolean;
}

export function toDeadline(deadline: Date | AbortSignal | undefined): Deadline {
  if (deadline === undefined) return { signal: undefined, expired: () => false };
  if (deadline instanceof Date) {
    const at = deadline.getTime();
    // AbortSignal.timeout's timer does not keep the process alive.
    const signal = AbortSignal.timeout(Math.max(0, at - Date.now()));
    return { signal, expired: () => Date.now() >= at };
  }
  return { signal: deadline, expired: () => deadline.aborted };
}
