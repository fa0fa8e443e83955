import { createHash } from 'node:crypto';
import { ChartLibraryError } from './errors';

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text (product names, file names, error messages) as HTML text or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

/**
 * JSON to embed in `<script type="application/json">`: `<`, `>` and `&` become `\u003c`,
 * `\u003e`, `\u0026`, so no value can close the element (`</script>`) or open a comment
 * (`<!--`), and U+2028/U+2029 are escaped too. `JSON.parse` of the element's text gives the
 * value back unchanged.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => {
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}

/**
 * Checks that code can be the text of an inline `<script>` (or CSS of a `<style>`) element as
 * is: text containing `</script` (`</style`) or `<!--` would end or change the element early.
 * Rewriting minified code to avoid that is not safe, so such a file is refused.
 * @throws ChartLibraryError
 */
export function assertInlinable(text: string, element: 'script' | 'style', what: string): string {
  if (text.trim() === '') throw new ChartLibraryError(`${what} is empty`);
  const closing = new RegExp(`</${element}|<!--`, 'i').exec(text);
  if (closing) {
    throw new ChartLibraryError(
      `${what} contains "${closing[0]}" at character ${closing.index}, which would end its inline <${element}> element`,
    );
  }
  return text;
}

/** The Content-Security-Policy source that allows exactly this inline script. */
export function cspHash(scriptText: string): string {
  return `'sha256-${createHash('sha256').update(scriptText, 'utf8').digest('base64')}'`;
}
