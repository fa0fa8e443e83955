import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import { SourceReadError } from './errors';
import { isS3Uri, parseS3Uri } from './s3Uri';

/** Reads data files by URI, whole (Parquet, JSON arrays) or as a byte stream (CSV, JSON Lines). */
export interface FileSource {
  bytes(uri: string): Promise<Uint8Array>;
  stream(uri: string): AsyncIterable<Uint8Array>;
}

function describe(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return String(err);
}

function readError(uri: string, err: unknown): SourceReadError {
  return new SourceReadError(uri, `cannot read ${uri}: ${describe(err)}`, { cause: err });
}

/**
 * Re-yields a stream's chunks, turning any failure of the underlying read (S3 connection
 * reset, EACCES) into a SourceReadError, so parsers can tell "the bytes are bad" from "the
 * bytes could not be fetched".
 */
async function* guarded(
  uri: string,
  open: () => Promise<AsyncIterable<Uint8Array>>,
): AsyncGenerator<Uint8Array> {
  let source: AsyncIterable<Uint8Array>;
  try {
    source = await open();
  } catch (err) {
    throw readError(uri, err);
  }
  const iterator = source[Symbol.asyncIterator]();
  try {
    for (;;) {
      let next: IteratorResult<Uint8Array>;
      try {
        next = await iterator.next();
      } catch (err) {
        throw readError(uri, err);
      }
      if (next.done) return;
      yield next.value;
    }
  } finally {
    // Stopping early (a missing column) must release the socket or file handle.
    await iterator.return?.();
  }
}

function isRequestTimeout(err: unknown): boolean {
  const status = (err as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata
    ?.httpStatusCode;
  return status === 408;
}

/**
 * The whole object, read inside the SDK's retry loop: the body is read by a middleware of the
 * deserialize step, which runs within the retry middleware, so a connection reset, hang-up or
 * timeout while the body arrives is retried for this object as the request itself would be
 * (the SDK's standard strategy: attempts, backoff, retry quota), and so is a 408 Request Timeout.
 */
async function getWholeObject(client: S3Client, bucket: string, key: string): Promise<Uint8Array> {
  let bytes: Uint8Array | undefined;
  const command = new GetObjectCommand({ Bucket: bucket, Key: key });
  const readBody: Parameters<typeof command.middlewareStack.add>[0] = (next) => async (args) => {
    let result: Awaited<ReturnType<typeof next>>;
    try {
      result = await next(args);
    } catch (err) {
      // 408 Request Timeout: the server gave up waiting on this connection (Node's HTTP server
      // does so after its request timeout, without an error code the SDK knows), so the object
      // is asked again like a reset. The SDK's standard strategy retries only 5xx, throttling
      // and known time-out codes.
      if (isRequestTimeout(err))
        Object.assign(err as object, { $retryable: { throttling: false } });
      throw err;
    }
    const body = (result.output as { Body?: { transformToByteArray(): Promise<Uint8Array> } }).Body;
    if (!body) throw new Error('GetObject returned no body');
    try {
      bytes = await body.transformToByteArray();
    } catch (err) {
      // A broken body is a network failure of this attempt, whatever its error code.
      if (err instanceof Error && err.name !== 'AbortError') {
        Object.assign(err, { $retryable: { throttling: false } });
      }
      throw err;
    }
    return result;
  };
  command.middlewareStack.add(readBody, {
    step: 'deserialize',
    priority: 'high',
    name: 'salesDataReadWholeBody',
  });
  await client.send(command);
  if (bytes === undefined) throw new Error('GetObject returned no body');
  return bytes;
}

/** Reads `s3://` URIs through `client` and anything else from the local file system. */
export function createFileSource(client: () => S3Client): FileSource {
  const getObject = async (uri: string) => {
    const { bucket, prefix: key } = parseS3Uri(uri);
    const out = await client().send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    if (!out.Body) throw new Error('GetObject returned no body');
    return out.Body;
  };
  return {
    async bytes(uri) {
      try {
        if (!isS3Uri(uri)) return await readFile(uri);
        const { bucket, prefix: key } = parseS3Uri(uri);
        return await getWholeObject(client(), bucket, key);
      } catch (err) {
        throw readError(uri, err);
      }
    },
    stream(uri) {
      return guarded(uri, async () => {
        if (!isS3Uri(uri)) return createReadStream(uri);
        // In Node the body is an http.IncomingMessage, which is an async iterable of Buffers.
        return (await getObject(uri)) as unknown as AsyncIterable<Uint8Array>;
      });
    },
  };
}
