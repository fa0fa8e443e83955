import { JsonExtractionError } from './errors';
import type { ExtractJsonOptions } from './types';

// JSON has no NaN/Infinity literals but models emit them. They are read as these sentinel
// strings and turned back into numbers, so validation can reject only the product concerned.
const SENTINELS: Record<string, number> = {
  '\u0000NaN': Number.NaN,
  '\u0000Infinity': Number.POSITIVE_INFINITY,
  '\u0000-Infinity': Number.NEGATIVE_INFINITY,
};
const BARE = /^([+-]?)(NaN|Infinity)(?![\w$])/;

// A `{` or `[` only starts a candidate when what follows could be JSON, so brackets in prose
// ("[see below]", "{note}") are not mistaken for a cut-off answer.
const OBJECT_START = /^\{\s*(?:"|\})/;
const ARRAY_START = /^\[\s*(?:[[{"\]\d-]|true|false|null|NaN|Infinity)/;

type Scan = { kind: 'complete'; end: number } | { kind: 'truncated' } | { kind: 'mismatched' };

/** Walk from an opening bracket to its partner, honouring strings and escapes. */
function scan(text: string, start: number): Scan {
  const stack: string[] = [];
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') stack.push('}');
    else if (c === '[') stack.push(']');
    else if (c === '}' || c === ']') {
      if (stack.pop() !== c) return { kind: 'mismatched' };
      if (stack.length === 0) return { kind: 'complete', end: i + 1 };
    }
  }
  return { kind: 'truncated' };
}

function replaceBareNonFinite(json: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const c = json[i];
    if (inString) {
      out += c;
      if (c === '\\') out += json[++i] ?? '';
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') {
      inString = true;
      out += c;
      continue;
    }
    const m =
      /[+\-NI]/.test(c) && !/[\w$.]/.test(json[i - 1] ?? '') ? BARE.exec(json.slice(i)) : null;
    if (m) {
      const sign = m[2] === 'Infinity' && m[1] === '-' ? '-' : '';
      out += JSON.stringify(`\u0000${sign}${m[2]}`);
      i += m[0].length - 1;
    } else out += c;
  }
  return out;
}

function parseLenient(json: string): { ok: true; value: unknown } | { ok: false; error: unknown } {
  try {
    return { ok: true, value: JSON.parse(json) };
  } catch (error) {
    try {
      const value: unknown = JSON.parse(replaceBareNonFinite(json), (_key, v: unknown) =>
        typeof v === 'string' && v in SENTINELS ? SENTINELS[v] : v,
      );
      return { ok: true, value };
    } catch {
      return { ok: false, error };
    }
  }
}

// Reasoning a model shows before its answer. Whatever it holds (drafts, examples) is never the
// answer: Claude's <thinking>, DeepSeek/Qwen's <think>, and a few common variants.
const REASONING = /<(thinking|think|reasoning|scratchpad)\b[^>]*>[\s\S]*?(?:<\/\1\s*>|$)/gi;
// A closing tag with no opening one: templates that open <think> inside the prompt (DeepSeek-R1).
const ORPHAN_CLOSE = /<\/(?:thinking|think|reasoning|scratchpad)\s*>/gi;

const blank = (s: string) => s.replace(/[^\n]/g, ' ');

/**
 * The text with every reasoning section replaced by spaces (so character positions in messages
 * still point into the original): paired tags, an opening tag never closed (to the end), and
 * everything before a closing tag that was never opened.
 */
export function withoutReasoning(text: string): string {
  const paired = text.replace(REASONING, blank);
  let cut = -1;
  for (const m of paired.matchAll(ORPHAN_CLOSE)) cut = m.index + m[0].length;
  return cut < 0 ? paired : blank(paired.slice(0, cut)) + paired.slice(cut);
}

type Broken = { code: 'truncated' | 'invalid_json'; at: number; cause?: unknown };

interface Scanned {
  /** Complete values that parse, in text order. */
  values: { value: unknown; at: number; end: number }[];
  /** Values that never close or do not parse, in text order. */
  broken: Broken[];
}

/** Every top-level JSON value in `text`; a value that never closes ends the scan. */
function scanAll(text: string): Scanned {
  const out: Scanned = { values: [], broken: [] };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c !== '{' && c !== '[') continue;
    const rest = text.slice(i, i + 40);
    if (!(c === '{' ? OBJECT_START : ARRAY_START).test(rest)) continue;
    const s = scan(text, i);
    if (s.kind === 'truncated') {
      // Everything after an unclosed bracket is inside it.
      out.broken.push({ code: 'truncated', at: i });
      break;
    }
    if (s.kind === 'mismatched') {
      out.broken.push({
        code: 'invalid_json',
        at: i,
        cause: new SyntaxError('mismatched brackets'),
      });
      continue;
    }
    const parsed = parseLenient(text.slice(i, s.end));
    if (parsed.ok) out.values.push({ value: parsed.value, at: i, end: s.end });
    else out.broken.push({ code: 'invalid_json', at: i, cause: parsed.error });
    // Skip past the value: an inner object of it would pass for the answer and turn a syntax
    // error into a misleading shape error.
    i = s.end - 1;
  }
  return out;
}

function brokenError(b: Broken, length: number): JsonExtractionError {
  if (b.code === 'truncated') {
    return new JsonExtractionError(
      'truncated',
      `truncated JSON: the value starting at character ${b.at} never closes (answer has ${length} characters)`,
    );
  }
  const detail = b.cause instanceof Error ? b.cause.message : String(b.cause);
  return new JsonExtractionError('invalid_json', `invalid JSON at character ${b.at}: ${detail}`, {
    cause: b.cause,
  });
}

/**
 * Find the answer in a model's text: plain JSON, a ```json fence, or JSON surrounded by prose.
 *
 * Selection rule: text inside reasoning tags (`<thinking>`, `<think>`, …) never counts; of the
 * remaining complete JSON values, the **last one that `accept`s** is the answer, so a draft or an
 * echoed example before it is ignored. A value after it that is broken (never closes, does not
 * parse) is a final answer that failed, and an earlier draft never stands in for it. When no
 * value is accepted, the last broken value is reported, else the last value that parses is
 * returned for the caller to report its shape.
 *
 * Bare `NaN`, `Infinity` and `-Infinity` tokens are read as those numbers (JSON has no such
 * literals) so that only the product holding them is rejected later.
 *
 * @throws JsonExtractionError with code `no_json`, `truncated` or `invalid_json`
 */
export function extractJson(text: string, options: ExtractJsonOptions = {}): unknown {
  if (typeof text !== 'string') {
    throw new JsonExtractionError('no_json', `answer is ${typeof text}, expected text`);
  }
  const accept = options.accept ?? (() => true);
  const { values, broken } = scanAll(withoutReasoning(text));
  const chosen = values.filter((v) => accept(v.value)).at(-1);
  const lastBroken = broken.at(-1);
  if (chosen) {
    if (lastBroken && lastBroken.at > chosen.at) throw brokenError(lastBroken, text.length);
    return chosen.value;
  }
  if (lastBroken) throw brokenError(lastBroken, text.length);
  if (values.length > 0) return values.at(-1)!.value;
  throw new JsonExtractionError(
    'no_json',
    `no JSON object found in the answer (${text.length} characters, starting ${JSON.stringify(text.slice(0, 40))})`,
  );
}
