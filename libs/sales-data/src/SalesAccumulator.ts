import { DAY_MS, dayToIsoDate } from '@retail-forecast/util';
import { compareStrings } from './order';
import type { Logger } from '@retail-forecast/util';
import { FileColumns } from './FileColumns';
import { zonesWithLocalMidnight } from './timeZones';
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
 * One row as a reader hands it over. Readers reuse a single instance per file, so no per-row
 * object outlives the row.
 */
export interface RawRow {
  productId: unknown;
  eventDate: unknown;
  dailySales: unknown;
  avgPrice: unknown;
  avgRating: unknown;
  productName: unknown;
  category: unknown;
}

/** A reusable row buffer: readers fill it per row, so no object survives a row. */
export function emptyRow(): RawRow {
  return {
    productId: undefined,
    eventDate: undefined,
    dailySales: undefined,
    avgPrice: undefined,
    avgRating: undefined,
    productName: undefined,
    category: undefined,
  };
}

/** Where a row came from, for issue messages: `line 17 of x.csv` or `row 5 of y.parquet`. */
export type RowUnit = 'line' | 'row';

/**
 * One product's days. `values[i]` is the sales of day `base + i`: +0 for a day without a row (a
 * fresh Float64Array needs no fill), -0 for a row that sold nothing, NaN for a day whose only
 * rows were rejected. So "no row", "a row" and "only rejected rows" are told apart without a
 * second array: 100k products × 730 days cost 8 bytes per cell.
 */
interface ProductState {
  base: number;
  values: Float64Array;
  minDay: number;
  maxDay: number;
  latestDay: number;
  /** True once a valid row was added. */
  valid: boolean;
  /** Set under policy `error` at the first conflicting duplicate. */
  conflict?: string;
  name?: string;
  category?: string;
  price?: number;
  rating?: number;
}

const INITIAL_CAPACITY = 32;

/** True for a cell that holds a valid row: a number other than +0 (-0 is a row with zero sales). */
function hasRow(v: number): boolean {
  return (v !== 0 || 1 / v < 0) && !Number.isNaN(v);
}

/** True for a cell without any row yet (neither valid nor rejected). */
function isEmpty(v: number): boolean {
  return v === 0 && 1 / v > 0;
}

const DATE_PROBLEMS = {
  not_a_date: 'is not a date (expected YYYY-MM-DD)',
  out_of_range: 'is out of range (expected a date between 1900-01-01 and 2999-12-31)',
} as const;

const SALES_PROBLEMS = {
  empty: 'is empty (expected a finite number >= 0)',
  not_a_number: 'is not a number (expected a finite number >= 0)',
  not_finite: 'is not finite (expected a finite number >= 0)',
  negative: 'is negative (expected a finite number >= 0)',
} as const;

const POLICY_WORDS: Record<DuplicatePolicy, string> = {
  max: 'kept the larger',
  sum: 'summed',
  last: 'kept the one read last',
  error: 'the product fails',
};

export interface AccumulatorOptions {
  /** Rows after this day index are skipped as `after_as_of`; none when undefined. */
  asOfDay?: number;
  logger: Logger;
  onDuplicate?: DuplicatePolicy;
  /** Zone of bare UTC instants; undefined = UTC. */
  timeZone?: string;
}

/** Per-file record of instants read as UTC dates, to spot local midnights east/west of UTC. */
interface ClockCheck {
  instants: number;
  atMidnight: boolean;
  /** Time of day (ms) → first instant seen at it; at most 3 kept. */
  times: Map<number, number>;
}

const hhmm = (msOfDay: number) => new Date(msOfDay).toISOString().slice(11, 16);

/**
 * Validates rows, merges them into per-product day arrays and keeps the load summary: rejected
 * rows mark their day unknown (NaN), identical rows are counted once, rows for the same product
 * and day with different values follow the duplicate policy.
 */
export class SalesAccumulator {
  private readonly products = new Map<string, ProductState>();
  /** Distinct daily_sales seen per product/day, only for days with conflicting rows. */
  private readonly seen = new Map<string, number[]>();
  private readonly summary: LoadSummary;
  private latestDay = Number.NEGATIVE_INFINITY;
  private readonly asOfDay: number | undefined;
  private readonly logger: Logger;
  private readonly policy: DuplicatePolicy;
  private readonly timeZone: string | undefined;
  private dates: DateContext = {};
  private columns = FileColumns.none();
  private clock: ClockCheck = { instants: 0, atMidnight: false, times: new Map() };
  private firstDuplicate?: string;

  constructor(options: AccumulatorOptions) {
    this.asOfDay = options.asOfDay;
    this.logger = options.logger;
    this.policy = options.onDuplicate ?? 'max';
    this.timeZone = options.timeZone;
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
    this.clock = { instants: 0, atMidnight: false, times: new Map() };
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
    this.checkClock();
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
    this.summary.rowsRead += 1;
    this.columns.apply(raw, unit, row, this.dates);
    const where = `on ${unit} ${row} of ${file}`;

    const productId = parseProductId(raw.productId);
    if (productId === undefined) {
      const value = displayValue(raw.productId);
      this.reject('missing_product_id', {
        file,
        row,
        column: 'product_id',
        value,
        reason: 'missing_product_id',
        message: `product_id "${value}" ${where} is empty (expected a product id)`,
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
        message: `event_date "${value}" ${where} ${DATE_PROBLEMS[date.problem]}`,
      });
      return;
    }
    const day = date.day;
    // Not an issue: an as-of run deliberately ignores what came later.
    if (this.asOfDay !== undefined && day > this.asOfDay) {
      this.skip('after_as_of');
      return;
    }
    if (date.utcInstant !== undefined) this.noteInstant(date.utcInstant);
    if (day > this.latestDay) this.latestDay = day;

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
        message: `daily_sales "${value}" ${where} ${SALES_PROBLEMS[sales.problem]} (${productId} ${dayToIsoDate(day)} is unknown unless another row gives it)`,
      });
      // The day is unknown, not 0, unless a valid row for it is (or will be) read.
      const state = this.stateFor(productId, day);
      const i = day - state.base;
      if (isEmpty(state.values[i])) state.values[i] = Number.NaN;
      this.extend(state, day);
      return;
    }

    const state = this.stateFor(productId, day);
    const i = day - state.base;
    const current = state.values[i];
    if (!hasRow(current)) {
      state.values[i] = sales.value === 0 ? -0 : sales.value;
    } else if (!this.duplicate(state, productId, day, current, sales.value, file, unit, row)) {
      return;
    }
    this.summary.rowsUsed += 1;
    state.valid = true;
    this.extend(state, day);
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
    const ids = [...this.products.keys()].sort(compareStrings);
    this.checkSimilarIds(ids);
    const out: ProductSeries[] = [];
    const failed: ProductProblem[] = [];
    for (const productId of ids) {
      const state = this.products.get(productId) as ProductState;
      this.products.delete(productId);
      if (state.minDay > asOfDay) continue;
      if (state.conflict !== undefined) {
        failed.push({ productId, error: state.conflict });
        continue;
      }
      if (!state.valid) {
        failed.push({
          productId,
          error: `every row of ${productId} was rejected (no daily_sales to forecast from)`,
        });
        continue;
      }
      const values = new Float64Array(asOfDay - state.minDay + 1);
      const last = Math.min(state.maxDay, asOfDay);
      let unknown = 0;
      for (let day = state.minDay; day <= last; day++) {
        // + 0 turns the -0 row mark into a plain 0; NaN stays NaN.
        const v = state.values[day - state.base] + 0;
        if (Number.isNaN(v)) unknown += 1;
        values[day - state.minDay] = v;
      }
      const series: ProductSeries = { productId, startDate: dayToIsoDate(state.minDay), values };
      if (state.name !== undefined) series.productName = state.name;
      if (state.category !== undefined) series.category = state.category;
      if (state.price !== undefined) series.latestPrice = state.price;
      if (state.rating !== undefined) series.latestRating = state.rating;
      if (unknown > 0) {
        series.dataIssues = { rejectedDays: unknown };
        this.summary.productsFlagged += 1;
      }
      out.push(series);
    }
    if (this.summary.duplicatesDropped > 0) {
      this.warn({
        kind: 'duplicates_dropped',
        message:
          `${this.summary.duplicatesDropped} duplicate rows (same product, day and daily_sales as a row ` +
          `already read) were dropped, each day counted once; first: ${this.firstDuplicate}`,
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
    const key = `${productId}\u0000${day}`;
    const seen = this.seen.get(key);
    if (seen === undefined ? current === value : seen.includes(value)) {
      this.summary.duplicatesDropped += 1;
      this.firstDuplicate ??= `${unit} ${row} of ${file} (${productId} ${dayToIsoDate(day)}, daily_sales ${value})`;
      return false;
    }
    const earlier = seen ?? [current + 0];
    const i = day - state.base;
    let result: number;
    switch (this.policy) {
      case 'max':
        result = Math.max(current, value);
        break;
      case 'sum':
        result = current + value;
        break;
      case 'last':
        result = value;
        break;
      case 'error':
        result = current;
        break;
    }
    this.seen.set(key, [...earlier, value]);
    state.values[i] = result === 0 ? -0 : result;
    this.summary.conflictingDuplicates += 1;
    const isoDay = dayToIsoDate(day);
    const message =
      `${productId} ${isoDay}: daily_sales ${value} on ${unit} ${row} of ${file} differs from ` +
      `${earlier.join(', ')} already read; ${POLICY_WORDS[this.policy]} (on-duplicate ${this.policy})` +
      (this.policy === 'error' ? '' : `: ${result}`);
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
      state.conflict ??= `conflicting rows for ${isoDay}: ${message}`;
      return false;
    }
    return true;
  }

  private extend(state: ProductState, day: number): void {
    if (day < state.minDay) state.minDay = day;
    if (day > state.maxDay) state.maxDay = day;
  }

  private stateFor(productId: string, day: number): ProductState {
    let state = this.products.get(productId);
    if (state === undefined) {
      state = {
        base: day,
        values: new Float64Array(INITIAL_CAPACITY),
        minDay: day,
        maxDay: day,
        latestDay: Number.NEGATIVE_INFINITY,
        valid: false,
      };
      this.products.set(productId, state);
      return state;
    }
    const capacity = state.values.length;
    if (day >= state.base && day < state.base + capacity) return state;
    // Grow by half again towards the side that overflowed: rows in date order (the usual case)
    // and in reverse order both cost amortised O(1), and the slack left at the end is at most
    // a third of the array (doubling would leave up to half: 1,024 cells for 730 days).
    const step = Math.max(INITIAL_CAPACITY, capacity >> 1);
    let base = state.base;
    let end = state.base + capacity;
    if (day < base) base = Math.min(day, base - step);
    else end = Math.max(day + 1, end + step);
    const values = new Float64Array(end - base);
    values.set(state.values, state.base - base);
    state.values = values;
    state.base = base;
    return state;
  }

  private noteInstant(ms: number): void {
    const c = this.clock;
    c.instants += 1;
    const msOfDay = ms - Math.floor(ms / DAY_MS) * DAY_MS;
    if (msOfDay === 0) c.atMidnight = true;
    else if (c.times.size <= 2 && !c.times.has(msOfDay)) c.times.set(msOfDay, ms);
  }

  /**
   * Every instant of the file read as a UTC date, none at UTC midnight and all at one or two
   * times of day (two: a DST change): these look like local midnights of a zone east (or west)
   * of UTC, whose UTC dates are the previous (or next) day. Said loudly, never corrected silently.
   */
  private checkClock(): void {
    const { instants, atMidnight, times } = this.clock;
    if (instants === 0 || atMidnight || times.size === 0 || times.size > 2) return;
    const samples = [...times.values()];
    const at = [...times.keys()].map(hhmm).join(' or ');
    const east = [...times.keys()][0] >= DAY_MS / 2;
    const zones = zonesWithLocalMidnight(samples);
    const example = new Date(samples[0]).toISOString();
    this.warn({
      kind: 'utc_midnight_shift',
      file: this.columns.file,
      message:
        `every event_date instant in ${this.columns.file} is at ${at} UTC, not midnight: they look like ` +
        `local midnights ${east ? 'east' : 'west'} of UTC, and read as UTC dates each falls on the ` +
        `${east ? 'previous' : 'next'} day (${example} is read as ${example.slice(0, 10)}); if they ` +
        `are local dates, set --timezone to their zone${zones.length ? ` (e.g. ${zones.join(', ')})` : ''}`,
    });
  }

  /** Ids that differ from another only by surrounding whitespace or Unicode normalisation. */
  private checkSimilarIds(ids: readonly string[]): void {
    const groups = new Map<string, string[]>();
    for (const id of ids) {
      const key = id.trim().normalize('NFC');
      const group = groups.get(key);
      if (group === undefined) groups.set(key, [id]);
      else group.push(id);
    }
    for (const [a, ...rest] of groups.values()) {
      for (const b of rest) {
        this.warn({
          kind: 'similar_ids',
          message:
            `product ids ${JSON.stringify(a)} and ${JSON.stringify(b)} differ only by surrounding ` +
            'whitespace or Unicode normalisation; they are kept apart as written (each is its own ' +
            'DynamoDB item): fix the ids upstream if they are the same product',
        });
      }
    }
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
