import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'launcher-lambda',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
  },
});
