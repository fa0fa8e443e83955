import { describe, expect, it } from 'vitest';
import type { FileSource } from '../src/fileSource';
import { withReadAhead } from '../src/readAhead';
import type { DataFile } from '../src/types';

/** A source whose fetches resolve only when the test says so, recording what was requested. */
function controlledSource() {
  const requested: string[] = [];
  const streamed: string[] = [];
  const resolvers = new Map<string, (bytes: Uint8Array) => void>();
  const source: FileSource = {
    bytes(uri) {
      requested.push(uri);
      return new Promise((resolve) => resolvers.set(uri, resolve));
    },
    async *stream(uri) {
      streamed.push(uri);
      yield new TextEncoder().encode(`streamed ${uri}`);
    },
  };
  return {
    source,
    requested,
    streamed,
    resolve: (uri: string, text: string) => resolvers.get(uri)?.(new TextEncoder().encode(text)),
  };
}

const file = (uri: string, size: number): DataFile => ({ uri, format: 'csv', size });

async function collect(chunks: AsyncIterable<Uint8Array>): Promise<string> {
  let text = '';
  for await (const chunk of chunks) text += new TextDecoder().decode(chunk);
  return text;
}

describe('withReadAhead', () => {
  it('starts fetching the following files within the file and byte limits', () => {
    const s = controlledSource();
    const files = [file('a', 10), file('b', 10), file('c', 10), file('d', 10), file('e', 10)];
    const ahead = withReadAhead(s.source, files, { maxFiles: 2, maxBytes: 100 });
    void ahead.stream('a');
    expect(s.requested).toEqual(['b', 'c']);
    expect(s.streamed).toEqual([]); // generators start lazily
  });

  it('serves a fetched-ahead file from memory and tops the window up', async () => {
    const s = controlledSource();
    const files = [file('a', 10), file('b', 10), file('c', 10), file('d', 10)];
    const ahead = withReadAhead(s.source, files, { maxFiles: 2, maxBytes: 100 });
    await collect(ahead.stream('a'));
    s.resolve('b', 'bytes of b');
    expect(await collect(ahead.stream('b'))).toBe('bytes of b');
    expect(s.requested).toEqual(['b', 'c', 'd']);
    expect(s.streamed).toEqual(['a']);
  });

  it('never holds more than maxBytes ahead and streams oversized files when reached', async () => {
    const s = controlledSource();
    const files = [file('a', 1), file('big', 1000), file('b', 60), file('c', 60)];
    const ahead = withReadAhead(s.source, files, { maxFiles: 8, maxBytes: 100 });
    void ahead.bytes('a');
    // 'a' itself is read directly; 'big' exceeds the budget; 'c' would take it over 100 bytes.
    expect(s.requested).toEqual(['a', 'b']);
    expect(await collect(ahead.stream('big'))).toBe('streamed big');
  });

  it('surfaces a failed read-ahead when its file is reached, not before', async () => {
    const failing: FileSource = {
      bytes: (uri) =>
        uri === 'b'
          ? Promise.reject(new Error('reset by peer'))
          : Promise.resolve(new Uint8Array()),
      stream: async function* () {},
    };
    const ahead = withReadAhead(failing, [file('a', 1), file('b', 1)], {
      maxFiles: 4,
      maxBytes: 100,
    });
    await ahead.bytes('a');
    await expect(ahead.bytes('b')).rejects.toThrow('reset by peer');
  });
});
