import { DAY_MS, calendarDay } from '@retail-forecast/util';
import { isTimeZone } from '@retail-forecast/job-contract';

/**
 * Local calendar dates of instants in an IANA time zone, through the built-in
 * `Intl.DateTimeFormat` (the tz database Node ships): no offset or DST arithmetic of our own.
 */

const formats = new Map<string, Intl.DateTimeFormat>();
/** Day per instant, per zone: daily data repeats the same few instants across products. */
const days = new Map<string, Map<number, number>>();
const MAX_CACHED = 50_000;

/** True for the zones in which an instant's local date is its UTC date. */
export function isUtcZone(zone: string | undefined): boolean {
  return zone === undefined || zone === 'UTC' || zone === 'Etc/UTC' || zone === 'Z';
}

/** True when `Intl` knows the zone (the job contract's check, so settings and loader agree). */
export const isValidTimeZone = isTimeZone;

function formatFor(zone: string): Intl.DateTimeFormat {
  let f = formats.get(zone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      hourCycle: 'h23',
    });
    formats.set(zone, f);
  }
  return f;
}

function localParts(ms: number, zone: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of formatFor(zone).formatToParts(ms)) {
    if (part.type !== 'literal') out[part.type] = Number(part.value);
  }
  return out;
}

/** Day index (days since 1970-01-01) of the local date of instant `ms` in `zone`. */
export function localDayOf(ms: number, zone: string): number | undefined {
  if (isUtcZone(zone)) return Math.floor(ms / DAY_MS);
  let cache = days.get(zone);
  if (cache === undefined) {
    cache = new Map();
    days.set(zone, cache);
  }
  const hit = cache.get(ms);
  if (hit !== undefined) return hit;
  const p = localParts(ms, zone);
  const day = calendarDay(p.year, p.month, p.day);
  if (day === undefined) return undefined;
  if (cache.size >= MAX_CACHED) cache.clear();
  cache.set(ms, day);
  return day;
}

/** True when instant `ms` is 00:00 local time in `zone`. */
function isLocalMidnight(ms: number, zone: string): boolean {
  const p = localParts(ms, zone);
  return p.hour === 0 && p.minute === 0;
}

const REGIONS = /^(Europe|America|Asia|Africa|Australia|Pacific|Atlantic|Indian)\//;
/** Tried first, so a suggestion names a zone people recognise. */
const WELL_KNOWN = [
  'Europe/Berlin',
  'Europe/London',
  'Europe/Helsinki',
  'Europe/Moscow',
  'America/New_York',
  'America/Chicago',
  'America/Denver',
  'America/Los_Angeles',
  'America/Sao_Paulo',
  'Asia/Kolkata',
  'Asia/Shanghai',
  'Asia/Tokyo',
  'Australia/Sydney',
  'Pacific/Auckland',
];
const suggestions = new Map<string, string[]>();

/**
 * Up to `max` IANA zones in which every instant of `samples` is a local midnight, regional names
 * first (`Europe/Berlin` rather than `Etc/GMT-1`); empty when none fits.
 */
export function zonesWithLocalMidnight(samples: readonly number[], max = 3): string[] {
  const key = samples.join(',');
  const cached = suggestions.get(key);
  if (cached) return cached;
  const zones = [
    ...WELL_KNOWN,
    ...Intl.supportedValuesOf('timeZone').filter((z) => REGIONS.test(z) && !WELL_KNOWN.includes(z)),
  ];
  const found: string[] = [];
  for (const zone of zones) {
    if (samples.every((ms) => isLocalMidnight(ms, zone))) found.push(zone);
    if (found.length >= max) break;
  }
  suggestions.set(key, found);
  return found;
}
