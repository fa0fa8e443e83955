import { configDefaults, defineConfig } from 'vitest/config';

// Unit tests: no servers, no network. Tests that start local emulators or stand-ins
// (`*.integration.test.ts`, `*.e2e.test.ts`) run in the `test-integration` target.
export default defineConfig({
  test: {
    name: 'fast-dynamo',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: [...configDefaults.exclude, '**/*.integration.test.ts', '**/*.e2e.test.ts'],
    environment: 'node',
  },
});
