import { configDefaults, defineConfig } from 'vitest/config';

// Unit tests of the bench's own plumbing (its figures are printed by `npm run bench`, never tested).
export default defineConfig({
  test: {
    name: 'bench',
    include: ['test/**/*.test.ts'],
    exclude: [...configDefaults.exclude, '**/*.integration.test.ts', '**/*.e2e.test.ts'],
    environment: 'node',
  },
});
