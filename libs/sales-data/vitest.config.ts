import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'sales-data',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
  },
});
