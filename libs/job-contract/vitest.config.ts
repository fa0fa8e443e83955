import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'job-contract',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
  },
});
