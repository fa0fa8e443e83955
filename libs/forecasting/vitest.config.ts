import { configDefaults, defineConfig } from 'vitest/config';

// Unit tests: no servers, no network. Tests that start local emulators or stand-ins
// (`*.integration.test.ts`, `*.e2e.test.ts`) run in the `test-integration` target.
export default defineConfig({
  test: {
    name: 'forecasting',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: [...configDefaults.exclude, '**/*.integration.test.ts', '**/*.e2e.test.ts'],
    environment: 'node',
    // A ceiling against a hang, not a speed target (speed lives in the bench): the population
    // tests fit hundreds of series, and on a loaded 2-core runner one took 5.2 s against the
    // default 5 s (1.1 s unloaded).
    testTimeout: 30_000,
  },
});
