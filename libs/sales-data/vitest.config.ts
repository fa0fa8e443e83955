import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'sales-data',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
    // s3rver signs ListObjectsV2 continuation tokens with DES, which OpenSSL 3 only offers through
    // its legacy provider; without it any listing of more than 1,000 keys fails with a 500.
    execArgv: ['--openssl-legacy-provider'],
  },
});
