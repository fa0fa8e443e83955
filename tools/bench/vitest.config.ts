import { configDefaults, defineConfig } from 'vitest/config';

// Unit tests of the bench's own plumbing. Its figures are printed by `npm run bench`, never held to
// a target; test/accuracyTable.test.ts only checks that the README's recorded table is current.
export default defineConfig({
  test: {
    name: 'bench',
    include: ['test/**/*.test.ts'],
    exclude: [...configDefaults.exclude, '**/*.integration.test.ts', '**/*.e2e.test.ts'],
    environment: 'node',
  },
});
