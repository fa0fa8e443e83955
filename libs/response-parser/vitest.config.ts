import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'response-parser',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
  },
});
