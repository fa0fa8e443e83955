import { vi } from 'vitest';

/**
 * Static dummy credentials for the real SDK clients the tests point at the stand-in, and nothing
 * from the machine (no profile, session token or instance metadata). Undone by `vi.unstubAllEnvs()`.
 */
export function stubStandinCredentials(): void {
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDSTANDIN');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'standin-secret');
  vi.stubEnv('AWS_SESSION_TOKEN', '');
  vi.stubEnv('AWS_PROFILE', '');
  vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
}
