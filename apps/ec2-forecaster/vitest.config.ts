import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'ec2-forecaster',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
  },
});
