import type { DecodedArray } from 'hyparquet';

/**
 * Decoded Parquet columns in a form that crosses a thread boundary as a few transferred buffers
 * instead of millions of structured-cloned values, and reads back to the very values hyparquet
 * produced: the same numbers, strings, bigints, nulls and undefineds, and Dates of the same
 * instant (Invalid Date included). The accumulator therefore sees what a main-thread read gives
 * it, and rejects a bad value with the same message, file and row.
 */
export type CompactColumn =
  /** The file has no such column: every value is undefined. */
  | { kind: 'absent' }
  /** hyparquet's own typed array (a required INT32, INT64, FLOAT or DOUBLE column), copied. */
  | { kind: 'typed'; values: TypedValues }
  /** Any other column: a type tag per row, with the value in `numbers`, `codes` or `others`. */
  | {
      kind: 'tagged';
      /** One of the `TAG` values per row. */
      tags: Uint8Array;
      /** Per row: the number, or the Date's epoch milliseconds (NaN for an Invalid Date). */
      numbers: Float64Array;
      /** Per row: the index into `dictionary` (strings) or `others` (anything else). */
      codes: Int32Array;
      /** Each distinct string once, in order of first appearance. */
      dictionary: string[];
      /** Values of no other kind (bigints, byte arrays, objects), structured-cloned. */
      others: unknown[];
    };

type TypedValues =
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | Float32Array
  | Float64Array
  | BigInt64Array
  | BigUint64Array;

const TAG = {
  undefined: 0,
  null: 1,
  number: 2,
  date: 3,
  string: 4,
  true: 5,
  false: 6,
  other: 7,
} as const;

/** Encodes one decoded column of `count` rows (`values` empty for a column the file lacks). */
export function compactColumn(
  values: DecodedArray,
  count: number,
  present: boolean,
): CompactColumn {
  if (!present) return { kind: 'absent' };
  // A copy: the decoded array may be a view into a page buffer that is not ours to transfer.
  if (ArrayBuffer.isView(values)) {
    return { kind: 'typed', values: (values as TypedValues).slice(0, count) };
  }
  const tags = new Uint8Array(count);
  const numbers = new Float64Array(count);
  const codes = new Int32Array(count);
  const dictionary: string[] = [];
  const index = new Map<string, number>();
  const others: unknown[] = [];
  let hasNumbers = false;
  let lastString: string | undefined;
  let lastCode = -1;
  for (let i = 0; i < count; i++) {
    const v: unknown = values[i];
    if (typeof v === 'string') {
      // Rows of one product follow each other: most lookups are the previous row's string.
      if (v !== lastString) {
        let code = index.get(v);
        if (code === undefined) {
          code = dictionary.length;
          dictionary.push(v);
          index.set(v, code);
        }
        lastString = v;
        lastCode = code;
      }
      tags[i] = TAG.string;
      codes[i] = lastCode;
    } else if (typeof v === 'number') {
      tags[i] = TAG.number;
      numbers[i] = v;
      hasNumbers = true;
    } else if (v instanceof Date) {
      tags[i] = TAG.date;
      numbers[i] = v.getTime();
      hasNumbers = true;
    } else if (v === null) {
      tags[i] = TAG.null;
    } else if (v === undefined) {
      tags[i] = TAG.undefined;
    } else if (v === true || v === false) {
      tags[i] = v ? TAG.true : TAG.false;
    } else {
      tags[i] = TAG.other;
      codes[i] = others.length;
      others.push(v);
    }
  }
  // Columns of strings need no numbers, columns of numbers or Dates no codes.
  return {
    kind: 'tagged',
    tags,
    numbers: hasNumbers ? numbers : new Float64Array(0),
    codes: dictionary.length > 0 || others.length > 0 ? codes : new Int32Array(0),
    dictionary,
    others,
  };
}

/** The buffers of a column that can be transferred rather than copied. */
export function columnBuffers(column: CompactColumn): ArrayBuffer[] {
  if (column.kind === 'absent') return [];
  if (column.kind === 'typed') return [column.values.buffer as ArrayBuffer];
  return [column.tags.buffer, column.numbers.buffer, column.codes.buffer] as ArrayBuffer[];
}

/** Reads a compact column back, value by value, as hyparquet decoded it. */
export type ColumnReader = (row: number) => unknown;

const readAbsent: ColumnReader = () => undefined;

/** A reader for `column`. Dates of the same instant are one shared (never mutated) object. */
export function columnReader(column: CompactColumn): ColumnReader {
  if (column.kind === 'absent') return readAbsent;
  if (column.kind === 'typed') {
    const values = column.values;
    return (row) => values[row];
  }
  const { tags, numbers, codes, dictionary, others } = column;
  const dates = new Map<number, Date>();
  const dateAt = (row: number): Date => {
    const ms = numbers[row];
    let date = dates.get(ms);
    if (date === undefined) {
      date = new Date(ms);
      dates.set(ms, date);
    }
    return date;
  };
  // The usual columns hold values of one kind only: read them without a switch per value.
  const only = tags.length > 0 && tags.every((t) => t === tags[0]) ? tags[0] : undefined;
  if (only === TAG.string) return (row) => dictionary[codes[row]];
  if (only === TAG.number) return (row) => numbers[row];
  if (only === TAG.date) return dateAt;
  return (row) => {
    switch (tags[row]) {
      case TAG.string:
        return dictionary[codes[row]];
      case TAG.number:
        return numbers[row];
      case TAG.date:
        return dateAt(row);
      case TAG.null:
        return null;
      case TAG.true:
        return true;
      case TAG.false:
        return false;
      case TAG.other:
        return others[codes[row]];
      default:
        return undefined;
    }
  };
}
