import { JsonExtractionError } from './errors';

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
const FENCE = /```[^\n`]*\n([\s\S]*?)(?:```|$)/g;

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

type Found =
  | { ok: true; value: unknown }
  | { ok: false; code: 'no_json' | 'truncated' | 'invalid_json'; cause?: unknown; at?: number };

function findIn(text: string): Found {
  let firstInvalid: Found | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c !== '{' && c !== '[') continue;
    const rest = text.slice(i, i + 40);
    if (!(c === '{' ? OBJECT_START : ARRAY_START).test(rest)) continue;
    const s = scan(text, i);
    if (s.kind === 'truncated') return { ok: false, code: 'truncated', at: i };
    if (s.kind === 'mismatched') {
      firstInvalid ??= {
        ok: false,
        code: 'invalid_json',
        cause: new SyntaxError('mismatched brackets'),
        at: i,
      };
      continue;
    }
    const parsed = parseLenient(text.slice(i, s.end));
    if (parsed.ok) return parsed;
    firstInvalid ??= { ok: false, code: 'invalid_json', cause: parsed.error, at: i };
    // Skip past the broken value: an inner object of it would pass for the answer and turn
    // a syntax error into a misleading shape error.
    i = s.end - 1;
  }
  return firstInvalid ?? { ok: false, code: 'no_json' };
}

/**
 * Find the JSON value in a model's answer: plain JSON, a ```json fence, or JSON surrounded
 * by prose. The first value that parses wins; fenced blocks are tried before the whole text.
 * Bare `NaN`, `Infinity` and `-Infinity` tokens are read as those numbers (JSON has no such
 * literals) so that only the product holding them is rejected later.
 *
 * @throws JsonExtractionError with code `no_json`, `truncated` or `invalid_json`
 */
export function extractJson(text: string): unknown {
  if (typeof text !== 'string') {
    throw new JsonExtractionError('no_json', `answer is ${typeof text}, expected text`);
  }
  for (const fence of text.matchAll(FENCE)) {
    const found = findIn(fence[1]);
    if (found.ok) return found.value;
  }
  const found = findIn(text);
  if (found.ok) return found.value;
  const where = found.at === undefined ? '' : ` at character ${found.at}`;
  switch (found.code) {
    case 'truncated':
      throw new JsonExtractionError(
        'truncated',
        `truncated JSON: the value starting${where} never closes (answer has ${text.length} characters)`,
      );
    case 'invalid_json': {
      const detail = found.cause instanceof Error ? found.cause.message : String(found.cause);
      throw new JsonExtractionError('invalid_json', `invalid JSON${where}: ${detail}`, {
        cause: found.cause,
      });
    }
    default:
      throw new JsonExtractionError(
        'no_json',
        `no JSON object found in the answer (${text.length} characters, starting ${JSON.stringify(text.slice(0, 40))})`,
      );
  }
}
