import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'fault-proxy',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
  },
});
