import { defineConfig } from 'vitest/config';

// Browser tests: the report in a real headless Chromium (Debian chromium, driven by
// playwright-core) (`nx run report:test-integration`).
export default defineConfig({
  test: {
    name: 'report:integration',
    include: ['test/**/*.integration.test.ts', 'test/**/*.e2e.test.ts'],
    environment: 'node',
  },
});
