import { MissingColumnError } from './errors';
import { REQUIRED_COLUMNS } from './readers/columns';
import type { RawRow, RowUnit } from './rawRow';
import type { DateContext } from './values';
import { displayValue, parseEventDate } from './values';

/** The row field each known column fills. */
const FIELD_OF: Record<string, keyof RawRow> = {
  product_id: 'productId',
  event_date: 'eventDate',
  daily_sales: 'dailySales',
  avg_price: 'avgPrice',
  avg_rating: 'avgRating',
  product_name: 'productName',
  category: 'category',
};

const NUMERIC = new Set(['daily_sales', 'avg_price', 'avg_rating']);

/** A column a file's folder names supply. */
interface PathColumn {
  column: string;
  field: keyof RawRow;
  value: string | null;
  /** The file has a column of the same name too; the folder's value wins. */
  inFile: boolean;
}

interface Conflict {
  where: string;
  column: string;
  fileValue: string;
  pathValue: string | null;
}

function sameValue(
  column: string,
  fileValue: unknown,
  pathValue: string | null,
  dates: DateContext,
): boolean {
  const text = displayValue(fileValue);
  // A null or empty cell in the file is simply filled from the folder name.
  if (text === '' || pathValue === null) return true;
  if (column === 'event_date') {
    const a = parseEventDate(fileValue, dates);
    const b = parseEventDate(pathValue, dates);
    if (a.ok && b.ok) return a.day === b.day;
  } else if (NUMERIC.has(column)) {
    const a = Number(text);
    const b = Number(pathValue);
    if (Number.isFinite(a) && Number.isFinite(b)) return a === b;
  }
  return text === pathValue;
}

const pad2 = (v: string) => (v.length === 1 ? `0${v}` : v);

/**
 * The columns of one data file: its own, and those its Hive-style folder names supply
 * (`event_date=2025-03-01/`, or `year=2025/month=3/day=1/` composed into `event_date`), as Spark,
 * Glue, Athena, pyarrow and DuckDB read them. A column both in the file and in a folder name
 * takes the folder's value (Spark's rule); rows where the two differ are counted and reported.
 */
export class FileColumns {
  private conflicts = 0;
  private first?: Conflict;

  private constructor(
    readonly file: string,
    readonly partitions: Record<string, string | null> | undefined,
    private readonly fromPath: readonly PathColumn[],
    /** Columns of the file named like a Gold column but not exactly, with that column. */
    private readonly misnamed: readonly { name: string; column: string }[] = [],
  ) {}

  static none(file = '', partitions?: Record<string, string | null>): FileColumns {
    return new FileColumns(file, partitions, []);
  }

  /** @throws MissingColumnError when a required column is neither in the file nor a folder name */
  static resolve(
    file: string,
    names: readonly string[],
    partitions: Record<string, string | null> | undefined,
    hint?: string,
  ): FileColumns {
    const own = new Set(names);
    const fromPath: PathColumn[] = [];
    const parts = partitions ?? {};
    for (const [column, value] of Object.entries(parts)) {
      const field = FIELD_OF[column];
      if (field !== undefined) fromPath.push({ column, field, value, inFile: own.has(column) });
    }
    const { year, month, day } = parts;
    if (!own.has('event_date') && !('event_date' in parts) && year && month && day) {
      fromPath.push({
        column: 'event_date',
        field: 'eventDate',
        value: `${year}-${pad2(month)}-${pad2(day)}`,
        inFile: false,
      });
    }
    const available = new Set([...names, ...fromPath.map((c) => c.column)]);
    for (const column of REQUIRED_COLUMNS) {
      if (!available.has(column)) {
        const found = [...names, ...Object.keys(parts).map((k) => `${k} (folder)`)];
        throw new MissingColumnError(file, column, found, hint);
      }
    }
    // Names are matched exactly, as Spark and Glue write them: a `Category` or ` category ` is
    // another column, which the job would read as absent without a word.
    const misnamed = names
      .filter((name) => !(name in FIELD_OF))
      .flatMap((name) => {
        const column = name.trim().toLowerCase();
        return column in FIELD_OF && !available.has(column) ? [{ name, column }] : [];
      });
    return new FileColumns(file, partitions, fromPath, misnamed);
  }

  /** The warning for columns named like a Gold column but not exactly, if any. */
  misnamedWarning(): string | undefined {
    if (this.misnamed.length === 0) return undefined;
    const list = this.misnamed.map((m) => `"${m.name}" (not "${m.column}")`).join(', ');
    const one = this.misnamed.length === 1;
    return `${this.file}: ${one ? 'column' : 'columns'} ${list} ${one ? 'is' : 'are'} not read: Gold column names are matched exactly, as Spark and Glue write them`;
  }

  /** Fills the row's folder-supplied columns, counting values that differ from the file's own. */
  apply(raw: RawRow, unit: RowUnit, row: number, dates: DateContext): void {
    for (const c of this.fromPath) {
      if (c.inFile && !sameValue(c.column, raw[c.field], c.value, dates)) {
        this.conflicts += 1;
        this.first ??= {
          where: `${unit} ${row}`,
          column: c.column,
          fileValue: displayValue(raw[c.field]),
          pathValue: c.value,
        };
      }
      raw[c.field] = c.value;
    }
  }

  /** The warning for values that differ between the file and its folder names, if any. */
  conflictWarning(): string | undefined {
    const c = this.first;
    if (c === undefined) return undefined;
    return (
      `${this.file}: column "${c.column}" is both in the file and in its folder name ` +
      `(${c.column}=${c.pathValue}); the folder's value is used, as Spark, Glue and Athena do, and ` +
      `${this.conflicts} rows held a different value (first: ${c.where} has "${c.fileValue}")`
    );
  }
}
