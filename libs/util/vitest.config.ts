import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'util',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
  },
});
