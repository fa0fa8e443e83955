import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'forecast-archive',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
  },
});
