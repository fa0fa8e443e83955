/**
 * Known-future events (promotions, planned price changes, store closures) as regressor columns.
 * The events table is parsed by a data-access lib (sales-data's `readEventsFile`); this file only
 * turns its rows into one column per event name for one product.
 */
import { isoDateToDay } from '@retail-forecast/util';

/** Who an event applies to: one product, every product of a category, or every product. */
export type EventScope =
  { kind: 'product'; id: string } | { kind: 'category'; id: string } | { kind: 'all' };

/** One row of the events table. */
export interface PlannedEvent {
  /** ISO date (YYYY-MM-DD) the event is in effect. */
  date: string;
  scope: EventScope;
  /** Event name; rows of one name form one regressor (`event:<name>`). */
  event: string;
  /** The regressor's value that day: 1 for an on/off event, or a size (a discount of 0.2). */
  value: number;
}

/** `event:<name>`. */
export const eventName = (event: string): string => `event:${event}`;

const RANK = { product: 2, category: 1, all: 0 } as const;

/**
 * One column per event name that applies to the product (by id, by category or to all) on a day
 * of `[firstDay, firstDay + length)`, 0 on days without the event. When rows of different
 * scopes give the same event and day, the most specific wins (product over category over all),
 * so a product can opt out of a store-wide promotion with a value of 0.
 * @param firstDay day number (days since 1970-01-01) of the first value
 */
export function eventColumns(
  events: readonly PlannedEvent[],
  product: { id: string; category?: string },
  firstDay: number,
  length: number,
): { names: string[]; columns: Float64Array[] } {
  const byName = new Map<string, { column: Float64Array; rank: Int8Array }>();
  for (const e of events) {
    const s = e.scope;
    const applies =
      s.kind === 'all' ||
      (s.kind === 'product' && s.id === product.id) ||
      (s.kind === 'category' && product.category !== undefined && s.id === product.category);
    if (!applies) continue;
    let entry = byName.get(e.event);
    if (!entry) {
      entry = { column: new Float64Array(length), rank: new Int8Array(length).fill(-1) };
      byName.set(e.event, entry);
    }
    const t = (isoDateToDay(e.date) ?? Number.NaN) - firstDay;
    if (!(t >= 0 && t < length)) continue;
    const rank = RANK[s.kind];
    if (rank >= entry.rank[t]) {
      entry.column[t] = rank > entry.rank[t] ? e.value : entry.column[t] + e.value;
      entry.rank[t] = rank;
    }
  }
  const names = [...byName.keys()].sort();
  return { names: names.map(eventName), columns: names.map((n) => byName.get(n)!.column) };
}
