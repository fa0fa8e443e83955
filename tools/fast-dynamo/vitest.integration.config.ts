import { defineConfig } from 'vitest/config';

// Emulator tests: local S3/DynamoDB servers and the Bedrock stand-in on 127.0.0.1, through the
// real AWS SDK clients (`nx run fast-dynamo:test-integration`).
export default defineConfig({
  test: {
    name: 'fast-dynamo:integration',
    include: ['test/**/*.integration.test.ts', 'test/**/*.e2e.test.ts'],
    environment: 'node',
  },
});
