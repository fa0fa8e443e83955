import { configDefaults, defineConfig } from 'vitest/config';

// Unit tests: no servers, no network. Tests that start local emulators or stand-ins
// (`*.integration.test.ts`, `*.e2e.test.ts`) run in the `test-integration` target.
export default defineConfig({
  test: {
    name: 'infra',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: [...configDefaults.exclude, '**/*.integration.test.ts', '**/*.e2e.test.ts'],
    environment: 'node',
    // The first test of a file synthesizes a whole stack (and cdk-nag walks it): seconds, more
    // on a loaded 2-core machine, past vitest's 5 s default.
    testTimeout: 30_000,
  },
});
