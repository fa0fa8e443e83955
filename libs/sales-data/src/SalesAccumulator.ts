import { dayToIsoDate } from '@retail-forecast/util';
import { compareStrings } from './order';
import type { Logger } from '@retail-forecast/util';
import { ClockCheck } from './ClockCheck';
import { DaySlabs } from './DaySlabs';
import { DuplicateRows } from './DuplicateRows';
import { FileColumns } from './FileColumns';
import {
  cellAt,
  extend,
  hasRow,
  markRejected,
  productProblem,
  setSales,
  stateFor,
  toSeries,
} from './productState';
import type { DaySpan, ProductState } from './productState';
import { DATE_PROBLEMS, SALES_PROBLEMS } from './rawRow';
import type { RawRow, RowUnit } from './rawRow';
import { similarIdMessages } from './similarIds';
import type {
  DataFile,
  DuplicatePolicy,
  LoadSummary,
  LoadWarning,
  ProductProblem,
  ProductSeries,
  RowIssue,
  SkipReason,
} from './types';
import type { DateContext } from './values';
import {
  displayValue,
  parseEventDate,
  parseOptionalNumber,
  parseOptionalText,
  parseProductId,
  parseSales,
} from './values';

/** Issues and warnings kept in the summary (and logged one by one); the rest are only counted. */
export const MAX_ISSUES = 20;

/**
 * A whole catalogue selling nothing for more than a week before the as-of is far likelier to be
 * a Gold zone that stopped updating than real demand: past this gap the load warns.
 */
export const STALE_AFTER_DAYS = 7;

export interface AccumulatorOptions {
  /** Rows after this day index are skipped as `after_as_of`; none when undefined. */
  asOfDay?: number;
  logger: Logger;
  onDuplicate?: DuplicatePolicy;
  /** Zone of bare UTC instants; undefined = UTC. */
  timeZone?: string;
  /**
   * A shard run's filter: rows of products it returns false for are left to other shards, neither
   * read nor reported here (`''` stands for an empty or missing id).
   */
  keepProduct?: (productId: string, row: number) => boolean;
}

/**
 * Validates rows, merges them into per-product day arrays and keeps the load summary: rejected
 * rows mark their day unknown (NaN), identical rows are counted once, rows for the same product
 * and day with different values follow the duplicate policy.
 */
export class SalesAccumulator {
  private readonly products = new Map<string, ProductState>();
  private readonly summary: LoadSummary;
  private latestDay = Number.NEGATIVE_INFINITY;
  /** Earliest and latest day index of a dated row so far: a new product's first array covers it. */
  private readonly seen: DaySpan = {
    from: Number.POSITIVE_INFINITY,
    to: Number.NEGATIVE_INFINITY,
  };
  /** Where new products' span-sized day arrays come from (see `DaySlabs`). */
  private readonly slabs = new DaySlabs();
  private readonly asOfDay: number | undefined;
  private readonly logger: Logger;
  private readonly policy: DuplicatePolicy;
  private readonly timeZone: string | undefined;
  private readonly keepProduct: AccumulatorOptions['keepProduct'];
  private dates: DateContext = {};
  private columns = FileColumns.none();
  private clock = new ClockCheck();
  private readonly duplicates: DuplicateRows;

  constructor(options: AccumulatorOptions) {
    this.asOfDay = options.asOfDay;
    this.logger = options.logger;
    this.policy = options.onDuplicate ?? 'max';
    this.duplicates = new DuplicateRows(this.policy);
    this.timeZone = options.timeZone;
    this.keepProduct = options.keepProduct;
    this.summary = {
      files: 0,
      rowsRead: 0,
      rowsUsed: 0,
      rowsSkipped: {},
      rowsRejected: 0,
      duplicatesDropped: 0,
      conflictingDuplicates: 0,
      duplicatePolicy: this.policy,
      productsFlagged: 0,
      issues: [],
      warnings: [],
    };
  }

  /** Starts a file: its partition folders and the default reading of its dates. */
  beginFile(file: Pick<DataFile, 'uri' | 'partitions'>): void {
    this.dates = { zone: this.timeZone };
    this.columns = FileColumns.none(file.uri, file.partitions);
    this.clock = new ClockCheck();
  }

  /**
   * A reader's own knowledge of how the file's dates are to be read (Parquet logical types and
   * zone metadata); replaces the default set by `beginFile`.
   */
  setDateContext(dates: DateContext): void {
    this.dates = dates;
  }

  /** The zone bare UTC instants are read in (the `timeZone` option); undefined for UTC. */
  get defaultTimeZone(): string | undefined {
    return this.timeZone;
  }

  /**
   * The file's own column names (header, schema, first object). Partition folders add the columns
   * they name; throws MissingColumnError (with `hint`) when a required column is still missing.
   */
  setColumns(file: string, names: readonly string[], hint?: string): void {
    this.columns = FileColumns.resolve(file, names, this.columns.partitions, hint);
  }

  /** A file-level warning from a reader (an unknown time zone in its metadata). */
  warnFile(file: string, message: string): void {
    this.warn({ kind: 'time_zone', file, message });
  }

  fileDone(): void {
    this.summary.files += 1;
    const conflict = this.columns.conflictWarning();
    if (conflict)
      this.warn({ kind: 'partition_conflict', file: this.columns.file, message: conflict });
    const misnamed = this.columns.misnamedWarning();
    if (misnamed) this.warn({ kind: 'column_name', file: this.columns.file, message: misnamed });
    const shifted = this.clock.warning(this.columns.file);
    if (shifted)
      this.warn({ kind: 'utc_midnight_shift', file: this.columns.file, message: shifted });
  }

  /** A row that could not even be decoded (an invalid JSON line). */
  rejectRow(
    file: string,
    unit: RowUnit,
    row: number,
    reason: SkipReason,
    value: string,
    message: string,
  ): void {
    if (this.keepProduct?.('', row) === false) return;
    this.summary.rowsRead += 1;
    this.reject(reason, {
      file,
      row,
      column: '*',
      value,
      reason,
      message: `${unit} ${row} of ${file} ${message}`,
    });
  }

  addRow(file: string, unit: RowUnit, row: number, raw: RawRow): void {
    this.columns.apply(raw, unit, row, this.dates);
    const productId = parseProductId(raw.productId);
    if (this.keepProduct?.(productId ?? '', row) === false) return;
    this.summary.rowsRead += 1;

    if (productId === undefined) {
      const value = displayValue(raw.productId);
      this.reject('missing_product_id', {
        file,
        row,
        column: 'product_id',
        value,
        reason: 'missing_product_id',
        message: `product_id "${value}" on ${unit} ${row} of ${file} is empty (expected a product id)`,
      });
      return;
    }

    const date = parseEventDate(raw.eventDate, this.dates);
    if (!date.ok) {
      const value = displayValue(raw.eventDate);
      this.reject('invalid_date', {
        file,
        row,
        productId,
        column: 'event_date',
        value,
        reason: 'invalid_date',
        message: `event_date "${value}" on ${unit} ${row} of ${file} ${DATE_PROBLEMS[date.problem]}`,
      });
      return;
    }
    const day = date.day;
    // Not an issue: an as-of run deliberately ignores what came later.
    if (this.asOfDay !== undefined && day > this.asOfDay) {
      this.skip('after_as_of');
      return;
    }
    if (date.utcInstant !== undefined) this.clock.note(date.utcInstant);
    if (day > this.latestDay) this.latestDay = day;
    if (day < this.seen.from) this.seen.from = day;
    if (day > this.seen.to) this.seen.to = day;

    const sales = parseSales(raw.dailySales);
    if (!sales.ok) {
      const value = displayValue(raw.dailySales);
      const reason: SkipReason = sales.problem === 'negative' ? 'negative_sales' : 'invalid_sales';
      this.reject(reason, {
        file,
        row,
        productId,
        column: 'daily_sales',
        value,
        reason,
        message: `daily_sales "${value}" on ${unit} ${row} of ${file} ${SALES_PROBLEMS[sales.problem]} (${productId} ${dayToIsoDate(day)} is unknown unless another row gives it)`,
      });
      // The day is unknown, not 0, unless a valid row for it is (or will be) read.
      markRejected(stateFor(this.products, productId, day, this.seen, this.slabs), day);
      return;
    }

    const state = stateFor(this.products, productId, day, this.seen, this.slabs);
    const current = cellAt(state, day);
    if (!hasRow(current)) {
      setSales(state, day, sales.value);
    } else if (!this.duplicate(state, productId, day, current, sales.value, file, unit, row)) {
      return;
    }
    this.summary.rowsUsed += 1;
    state.valid = true;
    extend(state, day);
    if (day >= state.latestDay) {
      state.latestDay = day;
      state.name = parseOptionalText(raw.productName) ?? state.name;
      state.category = parseOptionalText(raw.category) ?? state.category;
      state.price = parseOptionalNumber(raw.avgPrice) ?? state.price;
      state.rating = parseOptionalNumber(raw.avgRating) ?? state.rating;
    }
  }

  /** The latest day index of a dated row (valid or rejected), or undefined when there is none. */
  get latestUsedDay(): number | undefined {
    return Number.isFinite(this.latestDay) && this.summary.rowsUsed > 0
      ? this.latestDay
      : undefined;
  }

  /** Products with at least one row so far. */
  get productCount(): number {
    return this.products.size;
  }

  get loadSummary(): LoadSummary {
    return this.summary;
  }

  /**
   * Builds the dense series through `asOfDay` inclusive, sorted by product id. Each product's
   * working array is released as soon as its series is built, so peak memory stays near one
   * copy of the data rather than two. Products without a valid row, or with a conflict under
   * policy `error`, are returned as failed instead.
   */
  finish(asOfDay: number): { products: ProductSeries[]; failed: ProductProblem[] } {
    const gap = asOfDay - this.latestDay;
    if (Number.isFinite(gap) && gap > STALE_AFTER_DAYS) {
      this.warn({
        kind: 'stale_data',
        message:
          `the newest row is dated ${dayToIsoDate(this.latestDay)}, ${gap} days before the as-of ` +
          `${dayToIsoDate(asOfDay)}: those ${gap} days count as 0 sales for every product. ` +
          'Check that the Gold zone is up to date, or set --as-of to its last complete day.',
      });
    }
    const ids = [...this.products.keys()].sort(compareStrings);
    for (const message of similarIdMessages(ids)) this.warn({ kind: 'similar_ids', message });
    const out: ProductSeries[] = [];
    const failed: ProductProblem[] = [];
    // Most products start on one of a few days: one YYYY-MM-DD string per day, not per product.
    const startDates = new Map<number, string>();
    const isoDate = (day: number) => {
      let text = startDates.get(day);
      if (text === undefined) startDates.set(day, (text = dayToIsoDate(day)));
      return text;
    };
    for (const productId of ids) {
      const state = this.products.get(productId) as ProductState;
      this.products.delete(productId);
      if (state.minDay > asOfDay) continue;
      const problem = productProblem(productId, state);
      if (problem !== undefined) {
        failed.push(problem);
        continue;
      }
      const { series, unknown } = toSeries(productId, state, asOfDay, isoDate);
      if (unknown > 0) {
        series.dataIssues = { rejectedDays: unknown };
        this.summary.productsFlagged += 1;
      }
      out.push(series);
    }
    if (this.summary.duplicatesDropped > 0) {
      this.warn({
        kind: 'duplicates_dropped',
        message: this.duplicates.droppedMessage(this.summary.duplicatesDropped),
      });
    }
    return { products: out, failed };
  }

  /**
   * A second valid row for a product/day. Returns true when the row was used (merged by
   * policy), false when it was dropped (identical, or the product fails under `error`).
   */
  private duplicate(
    state: ProductState,
    productId: string,
    day: number,
    current: number,
    value: number,
    file: string,
    unit: RowUnit,
    row: number,
  ): boolean {
    const merged = this.duplicates.resolve(
      productId,
      day,
      current,
      value,
      `${unit} ${row} of ${file}`,
    );
    if (merged === undefined) {
      this.summary.duplicatesDropped += 1;
      return false;
    }
    const { result, message } = merged;
    setSales(state, day, result);
    this.summary.conflictingDuplicates += 1;
    this.issue({
      file,
      row,
      productId,
      column: 'daily_sales',
      value: String(value),
      reason: 'conflicting_duplicate',
      message,
    });
    if (this.policy === 'error') {
      state.conflict ??= `conflicting rows for ${dayToIsoDate(day)}: ${message}`;
      return false;
    }
    return true;
  }

  private skip(reason: SkipReason): void {
    this.summary.rowsSkipped[reason] = (this.summary.rowsSkipped[reason] ?? 0) + 1;
  }

  private reject(reason: SkipReason, issue: RowIssue): void {
    this.skip(reason);
    this.summary.rowsRejected += 1;
    this.summary.firstRejected ??= issue;
    this.issue(issue);
  }

  private issue(issue: RowIssue): void {
    if (this.summary.issues.length >= MAX_ISSUES) return;
    this.summary.issues.push(issue);
    this.logger.warn(issue.message, { issue });
  }

  private warn(warning: LoadWarning): void {
    if (this.summary.warnings.length >= MAX_ISSUES) return;
    this.summary.warnings.push(warning);
    this.logger.warn(warning.message, { warning });
  }
}
