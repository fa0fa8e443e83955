/**
 * Byte-level helpers for text formats. UTF-8 never uses 0x0A/0x0D inside a multi-byte
 * character, so splitting on those bytes is safe before decoding.
 */

const LF = 0x0a;
const CR = 0x0d;

/**
 * Rewrites CRLF as LF across chunk boundaries. csv-parse miscounts `info.lines` on CRLF input,
 * and the line numbers in issue messages must match what an editor shows.
 */
export async function* crlfToLf(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  let pendingCr = false;
  for await (const chunk of chunks) {
    const out = new Uint8Array(chunk.length + 1);
    let n = 0;
    let i = 0;
    if (pendingCr) {
      if (chunk.length === 0) continue;
      if (chunk[0] !== LF) out[n++] = CR;
      pendingCr = false;
    }
    for (; i < chunk.length; i++) {
      const b = chunk[i];
      if (b === CR) {
        if (i + 1 === chunk.length) {
          pendingCr = true;
          continue;
        }
        if (chunk[i + 1] === LF) continue;
      }
      out[n++] = b;
    }
    if (n > 0) yield out.subarray(0, n);
  }
  if (pendingCr) yield Uint8Array.of(CR);
}

/** Yields each line's text (without its terminator) with its 1-based line number. */
export async function* splitLines(
  chunks: AsyncIterable<Uint8Array>,
): AsyncGenerator<[string, number]> {
  const decoder = new TextDecoder('utf-8');
  let carry: Uint8Array[] = [];
  let lineNo = 0;
  const emit = (parts: Uint8Array[]): string => {
    const bytes = parts.length === 1 ? parts[0] : Buffer.concat(parts);
    let end = bytes.length;
    if (end > 0 && bytes[end - 1] === CR) end -= 1;
    let text = decoder.decode(bytes.subarray(0, end));
    if (lineNo === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    return text;
  };
  for await (const chunk of chunks) {
    let start = 0;
    for (let i = chunk.indexOf(LF); i !== -1; i = chunk.indexOf(LF, start)) {
      carry.push(chunk.subarray(start, i));
      lineNo += 1;
      yield [emit(carry), lineNo];
      carry = [];
      start = i + 1;
    }
    if (start < chunk.length) carry.push(chunk.subarray(start));
  }
  if (carry.length > 0) {
    lineNo += 1;
    yield [emit(carry), lineNo];
  }
}
