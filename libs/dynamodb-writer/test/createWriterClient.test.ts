import { NodeHttpHandler } from '@smithy/node-http-handler';
import { describe, expect, it } from 'vitest';
import { createWriterClient, WriterRetryStrategy } from '../src/index';

describe('createWriterClient', () => {
  it('uses the writer retry strategy and one keep-alive socket per parallel update', async () => {
    const client = createWriterClient({ region: 'eu-west-1' }, { concurrency: 24 });
    try {
      expect(await client.config.retryStrategy()).toBeInstanceOf(WriterRetryStrategy);
      const handler = client.config.requestHandler as NodeHttpHandler;
      expect(handler).toBeInstanceOf(NodeHttpHandler);
      // The handler resolves its options lazily; its provider holds the agents it made.
      const resolved = (await (handler as unknown as { configProvider: Promise<unknown> })
        .configProvider) as {
        httpsAgent: { keepAlive: boolean; maxSockets: number };
        httpAgentProvider(): Promise<{ keepAlive: boolean; maxSockets: number }>;
      };
      expect(resolved.httpsAgent).toMatchObject({ keepAlive: true, maxSockets: 24 });
      expect(await resolved.httpAgentProvider()).toMatchObject({ keepAlive: true, maxSockets: 24 });
    } finally {
      client.destroy();
    }
  });

  it('drops the Lambda-only recursion detection middleware and keeps signing', () => {
    const client = createWriterClient({ region: 'eu-west-1' });
    try {
      const names = client.middlewareStack.identify().join('\n');
      expect(names).not.toMatch(/recursionDetectionMiddleware/);
      expect(names).toMatch(/httpSigningMiddleware/);
    } finally {
      client.destroy();
    }
  });

  it('makes its SigV4 signer once, not per request, and does not keep a failed one', async () => {
    let regionCalls = 0;
    const client = createWriterClient({
      region: async () => {
        regionCalls += 1;
        if (regionCalls === 1) throw new Error('region not there yet');
        return 'eu-west-1';
      },
      credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' },
    });
    try {
      await expect(client.config.signer()).rejects.toThrow('region not there yet');
      const first = await client.config.signer();
      expect(first.constructor.name).toBe('SignatureV4');
      expect(await client.config.signer()).toBe(first);
      expect(await client.config.signer()).toBe(first);
      expect(regionCalls).toBe(2);
    } finally {
      client.destroy();
    }
  });

  it('lets the given config win', async () => {
    const strategy = new WriterRetryStrategy(5);
    const client = createWriterClient({ region: 'eu-west-1', retryStrategy: strategy });
    try {
      expect(await client.config.retryStrategy()).toBe(strategy);
    } finally {
      client.destroy();
    }
  });
});
