/** Column alignment: `left` pads on the right, `right` pads on the left (numbers). */
export type Align = 'left' | 'right';

export interface TextTableOptions {
  /** Alignment per column; missing columns default to `right`, except the first, `left`. */
  align?: Align[];
  /** Text between columns; default two spaces. */
  separator?: string;
}

/**
 * A plain-text table for terminals and logs: a header row, a rule of dashes, then the rows, each
 * column as wide as its widest cell. Cells are used as given (format numbers before).
 * @param headers column titles (length n)
 * @param rows rows of n cells each
 */
export function renderTextTable(
  headers: string[],
  rows: string[][],
  options: TextTableOptions = {},
): string {
  const sep = options.separator ?? '  ';
  const align = (i: number): Align => options.align?.[i] ?? (i === 0 ? 'left' : 'right');
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    widths
      .map((w, i) =>
        align(i) === 'left' ? (cells[i] ?? '').padEnd(w) : (cells[i] ?? '').padStart(w),
      )
      .join(sep);
  return [line(headers), widths.map((w) => '-'.repeat(w)).join(sep), ...rows.map(line)].join('\n');
}
