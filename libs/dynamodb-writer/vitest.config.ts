import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'dynamodb-writer',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
  },
});
