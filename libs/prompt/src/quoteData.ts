// Characters that could end or open a structure around the quoted value (`</data>`, code
// fences) or hide text (bidi overrides, zero-width and other format characters). JSON.stringify
// already escapes quotes, backslashes and control characters such as newlines.
const UNSAFE = /[<>`\p{Cf}\u2028\u2029]/gu;

/**
 * Quote an untrusted catalogue string as a one-line JSON string literal that can contain no
 * `<`, `>`, backtick, newline or invisible character. `JSON.parse` gives the (capped) text back.
 */
export function quoteData(value: string, maxChars = Infinity): string {
  const chars = Array.from(value); // code points, so a cut never splits a surrogate pair
  const capped = chars.length > maxChars ? `${chars.slice(0, maxChars - 1).join('')}…` : value;
  return JSON.stringify(capped).replace(UNSAFE, (c) => {
    let out = '';
    // Per UTF-16 unit, so astral format characters become a valid JSON surrogate pair.
    for (let i = 0; i < c.length; i++) out += `\\u${c.charCodeAt(i).toString(16).padStart(4, '0')}`;
    return out;
  });
}
