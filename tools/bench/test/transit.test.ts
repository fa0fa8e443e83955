import { isoDateToDay } from '@retail-forecast/util';
import { describe, expect, it } from 'vitest';
import {
  CHICAGO_LAG_DAYS,
  TRANSIT_WINDOW_DAYS,
  TRANSIT_WINDOW_ENDS,
  parseStationTable,
  spreadWindowEnds,
  transitWindows,
  type StationTable,
} from '../src/transit';

/** Rows dated 2015-01-01 … (n days); station A's value on row i is i / 1000 + 0.0004. */
function table(n: number): StationTable {
  const a = new Float64Array(n);
  const b = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    a[i] = i / 1000 + 0.0004;
    b[i] = 2.5;
  }
  return {
    firstDay: isoDateToDay('2015-01-01') as number,
    stations: ['Austin', 'Polk'],
    values: [a, b],
  };
}

describe('parseStationTable', () => {
  it('reads the Chicago export: first date, stations, one value per station and day', () => {
    const t = parseStationTable(
      'date,Austin,Quincy_Wells\n2001-01-22,1.463,8.371\n2001-01-23,1.499,8.351\n',
      'x.csv',
    );
    expect(t.firstDay).toBe(isoDateToDay('2001-01-22'));
    expect(t.stations).toEqual(['Austin', 'Quincy_Wells']);
    expect([...t.values[0]]).toEqual([1.463, 1.499]);
    expect([...t.values[1]]).toEqual([8.371, 8.351]);
  });

  it('names the file, line, station and value of a bad cell', () => {
    expect(() =>
      parseStationTable('date,Austin,Polk\n2001-01-22,1.4,2\n2001-01-23,NA,2\n', 'x.csv'),
    ).toThrow('x.csv line 3: Austin on 2001-01-23 is "NA" (expected thousands of entries');
    expect(() => parseStationTable('date,Austin\n2001-01-22,-1\n', 'x.csv')).toThrow(
      'x.csv line 2: Austin on 2001-01-22 is "-1"',
    );
  });

  it('refuses a gap in the dates and a short row', () => {
    expect(() => parseStationTable('date,Austin\n2001-01-22,1\n2001-01-24,1\n', 'x.csv')).toThrow(
      'x.csv line 3: date 2001-01-24 does not follow 2001-01-22 (expected 2001-01-23',
    );
    expect(() => parseStationTable('date,Austin,Polk\n2001-01-22,1\n', 'x.csv')).toThrow(
      'x.csv line 2: 2 cells (expected 3',
    );
  });
});

describe('transitWindows', () => {
  it('dates each value 14 days before its row and reads each window on those event dates', () => {
    // Event dates of the rows: 2014-12-18 … ; a window ending 2015-01-10 of 5 days is
    // 2015-01-06 … 2015-01-10, read from the rows dated 2015-01-20 … 2015-01-24 (rows 19 … 23).
    const [w1, w2] = transitWindows(table(40), ['2015-01-10', '2014-12-22'], 5, 14);
    expect(w1).toMatchObject({ k: 1, startDate: '2015-01-06', endDate: '2015-01-10' });
    expect(w1.series.map((s) => s.id)).toEqual(['Austin_1', 'Polk_1']);
    expect([...w1.series[0].y]).toEqual([19, 20, 21, 22, 23]);
    expect([...w1.series[1].y]).toEqual([2500, 2500, 2500, 2500, 2500]);
    // The first window that fits: event dates from the first row's 2014-12-18.
    expect(w2).toMatchObject({ k: 2, startDate: '2014-12-18', endDate: '2014-12-22' });
    expect([...w2.series[0].y]).toEqual([0, 1, 2, 3, 4]);
  });

  it('rounds thousands to whole entries', () => {
    const t = table(10);
    t.values[0][9] = 1.4636;
    const [w] = transitWindows(t, ['2014-12-27'], 1, 14);
    expect([...w.series[0].y]).toEqual([1464]);
  });

  it('names a window the table cannot hold, on either side', () => {
    expect(() => transitWindows(table(40), ['2014-12-21'], 5, 14)).toThrow(
      "window 1 (2014-12-17 … 2014-12-21, 5 days) is outside the table's event dates 2014-12-18 … 2015-01-26",
    );
    expect(() => transitWindows(table(40), ['2015-01-10', '2015-01-27'], 5, 14)).toThrow(
      'window 2 (2015-01-23 … 2015-01-27',
    );
  });

  it('defaults to the set: 5 windows of 393 days ending on the given dates, lag 14', () => {
    expect(CHICAGO_LAG_DAYS).toBe(14);
    const t = table(2300);
    t.firstDay = isoDateToDay('2010-01-01') as number;
    const windows = transitWindows(t);
    expect(windows.map((w) => w.endDate)).toEqual([...TRANSIT_WINDOW_ENDS]);
    expect(windows.every((w) => w.series.every((s) => s.y.length === TRANSIT_WINDOW_DAYS))).toBe(
      true,
    );
    expect(windows[0].startDate).toBe('2014-12-04');
  });
});

describe('spreadWindowEnds', () => {
  it('walks 40 window ends every 37 days from 2011-06-01 through weekdays and dates', () => {
    const ends = spreadWindowEnds();
    expect(ends).toHaveLength(40);
    expect(ends[0]).toBe('2011-06-01');
    expect(ends[1]).toBe('2011-07-08');
    expect(ends[39]).toBe('2015-05-14');
    const days = ends.map((d) => isoDateToDay(d) as number);
    for (let i = 1; i < days.length; i++) expect(days[i] - days[i - 1]).toBe(37);
    // 37 days is 5 weeks and 2 days: every weekday ends some window.
    expect(new Set(days.map((d) => d % 7)).size).toBe(7);
  });
});
