import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'inventory-planning',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
  },
});
