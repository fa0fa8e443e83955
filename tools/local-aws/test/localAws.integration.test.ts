import { describe, expect, it } from 'vitest';

describe('startLocalAws', () => {
  it('lists more than 1,000 objects through the real S3 client (continuation tokens work)', async () => {
    const { startLocalAws } = await import('../src/testing');
    const { ListObjectsV2Command } = await import('@aws-sdk/client-s3');
    const local = await startLocalAws({ buckets: ['many'] });
    try {
      const keys = Array.from({ length: 1010 }, (_, i) => `p/${String(i).padStart(4, '0')}.csv`);
      for (let i = 0; i < keys.length; i += 50) {
        await Promise.all(keys.slice(i, i + 50).map((k) => local.put('many', k, 'x')));
      }
      let token: string | undefined;
      let seen = 0;
      let pages = 0;
      do {
        const page = await local.s3.send(
          new ListObjectsV2Command({ Bucket: 'many', Prefix: 'p/', ContinuationToken: token }),
        );
        seen += page.KeyCount ?? 0;
        pages++;
        token = page.NextContinuationToken;
      } while (token);
      expect(seen).toBe(1010);
      expect(pages).toBe(2);
    } finally {
      await local.close();
    }
  }, 120_000);
});
