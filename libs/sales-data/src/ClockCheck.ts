import { DAY_MS } from '@retail-forecast/util';
import { zonesWithLocalMidnight } from './timeZones';

const hhmm = (msOfDay: number) => new Date(msOfDay).toISOString().slice(11, 16);

/**
 * Per-file record of instants read as UTC dates, to spot local midnights east/west of UTC. One
 * instance per file: `note` each instant (ms since the epoch), then ask `warning` at the end.
 */
export class ClockCheck {
  private instants = 0;
  private atMidnight = false;
  /** Time of day (ms) → first instant seen at it; at most 3 kept. */
  private readonly times = new Map<number, number>();

  /** Records one event_date instant (ms since the epoch, UTC) that was read as a UTC date. */
  note(ms: number): void {
    this.instants += 1;
    const msOfDay = ms - Math.floor(ms / DAY_MS) * DAY_MS;
    if (msOfDay === 0) this.atMidnight = true;
    else if (this.times.size <= 2 && !this.times.has(msOfDay)) this.times.set(msOfDay, ms);
  }

  /**
   * Every instant of the file read as a UTC date, none at UTC midnight and all at one or two
   * times of day (two: a DST change): these look like local midnights of a zone east (or west)
   * of UTC, whose UTC dates are the previous (or next) day. Returns the warning's message naming
   * `file`, or undefined when the instants do not look shifted. Said loudly, never corrected
   * silently.
   */
  warning(file: string): string | undefined {
    const { instants, atMidnight, times } = this;
    if (instants === 0 || atMidnight || times.size === 0 || times.size > 2) return undefined;
    const samples = [...times.values()];
    const at = [...times.keys()].map(hhmm).join(' or ');
    const east = [...times.keys()][0] >= DAY_MS / 2;
    const zones = zonesWithLocalMidnight(samples);
    const example = new Date(samples[0]).toISOString();
    return (
      `every event_date instant in ${file} is at ${at} UTC, not midnight: they look like ` +
      `local midnights ${east ? 'east' : 'west'} of UTC, and read as UTC dates each falls on the ` +
      `${east ? 'previous' : 'next'} day (${example} is read as ${example.slice(0, 10)}); if they ` +
      `are local dates, set --timezone to their zone${zones.length ? ` (e.g. ${zones.join(', ')})` : ''}`
    );
  }
}
