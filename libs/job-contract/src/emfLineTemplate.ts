import { buildEmfRecord } from './metrics';

/** `_aws` is the record's first key and `Timestamp` the first key of `_aws`. */
const OPENING = '{"_aws":{"Timestamp":';

/**
 * One EMF record as a JSON line whose timestamp is filled in later, by a writer that cannot
 * build JSON itself (the instance's user data records a run that never started from bash):
 * `before + epochMillis + after` is `JSON.stringify(buildEmfRecord({ ...options, timestamp }))`.
 * Neither part contains a line break.
 */
export function emfLineTemplate(options: Omit<Parameters<typeof buildEmfRecord>[0], 'timestamp'>): {
  before: string;
  after: string;
} {
  const json = JSON.stringify(buildEmfRecord({ ...options, timestamp: 0 }));
  const head = `${OPENING}0`;
  if (!json.startsWith(head)) {
    throw new Error(`EMF record ${json} does not start with ${head} (a property named _aws?)`);
  }
  return { before: OPENING, after: json.slice(head.length) };
}
