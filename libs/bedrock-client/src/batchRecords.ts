import type { ContentBlock } from '@aws-sdk/client-bedrock-runtime';
import type { RequestUsage } from './RunLedger';

/**
 * The JSONL files of a Bedrock batch inference job (user guide, "Format and upload your batch
 * inference data" and "View the results of a batch inference job"): each input line is
 * `{"recordId": "…", "modelInput": {…}}`, each output line of `<input file>.out` the same with
 * `modelOutput` (the Converse response body for a job of invocation type `Converse`) or `error`
 * (`{"errorCode": 400, "errorMessage": "…"}`) instead; output order is not guaranteed.
 */

/** `R000000001`, …: alphanumeric, as record ids must be, and sortable. */
export function recordIdOf(index: number): string {
  return `R${String(index + 1).padStart(9, '0')}`;
}

/** One JSON line per record, newline-terminated. */
export function inputJsonl(records: ReadonlyArray<{ recordId: string; modelInput: unknown }>) {
  return records.map((r) => `${JSON.stringify(r)}\n`).join('');
}

/** What one output line says about its record. */
export type OutputRecord =
  | { recordId: string; kind: 'output'; modelOutput: unknown }
  | { recordId: string; kind: 'error'; errorCode: string; errorMessage: string };

export interface ParsedOutputFile {
  records: OutputRecord[];
  /** Lines that are not JSON or carry no recordId, as `line N: why`. */
  unreadable: string[];
}

/** Reads one `.jsonl.out` file; a line it cannot read is listed, never thrown. */
export function parseOutputJsonl(text: string): ParsedOutputFile {
  const records: OutputRecord[] = [];
  const unreadable: string[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      unreadable.push(`line ${i + 1}: not JSON (starts with ${JSON.stringify(line.slice(0, 40))})`);
      return;
    }
    const v = value as { recordId?: unknown; modelOutput?: unknown; error?: unknown };
    if (typeof v !== 'object' || v === null || typeof v.recordId !== 'string') {
      unreadable.push(`line ${i + 1}: no recordId`);
      return;
    }
    if (v.error !== undefined && v.error !== null) {
      const e = v.error as { errorCode?: unknown; errorMessage?: unknown };
      records.push({
        recordId: v.recordId,
        kind: 'error',
        errorCode: String(e.errorCode ?? 'unknown'),
        errorMessage: String(e.errorMessage ?? JSON.stringify(v.error)),
      });
    } else if (v.modelOutput !== undefined) {
      records.push({ recordId: v.recordId, kind: 'output', modelOutput: v.modelOutput });
    } else {
      records.push({
        recordId: v.recordId,
        kind: 'error',
        errorCode: 'none',
        errorMessage: 'the output line has neither modelOutput nor error',
      });
    }
  });
  return { records, unreadable };
}

/**
 * The content, stop reason and usage of a Converse response body (`modelOutput` of a Converse batch
 * record). A body of another shape reads as no content, which the parser then reports as unreadable.
 */
export function converseOutputOf(modelOutput: unknown): {
  content: ContentBlock[];
  stopReason?: string;
  usage: RequestUsage;
} {
  const o = (modelOutput ?? {}) as {
    output?: { message?: { content?: unknown } };
    stopReason?: unknown;
    usage?: {
      inputTokens?: unknown;
      outputTokens?: unknown;
      cacheReadInputTokens?: unknown;
      cacheWriteInputTokens?: unknown;
    };
  };
  const content = Array.isArray(o.output?.message?.content)
    ? (o.output.message.content as ContentBlock[])
    : [];
  const count = (n: unknown) => (typeof n === 'number' && Number.isFinite(n) && n >= 0 ? n : 0);
  return {
    content,
    ...(typeof o.stopReason === 'string' ? { stopReason: o.stopReason } : {}),
    usage: {
      attempts: 1,
      inputTokens: count(o.usage?.inputTokens),
      outputTokens: count(o.usage?.outputTokens),
      // Not expected (records carry no cache point); the ledger prices any as batch input.
      cacheReadInputTokens: count(o.usage?.cacheReadInputTokens),
      cacheWriteInputTokens: count(o.usage?.cacheWriteInputTokens),
    },
  };
}
