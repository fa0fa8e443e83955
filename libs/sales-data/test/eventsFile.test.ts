import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CorruptFileError,
  parseEventsCsv,
  readEventsFile,
  unmatchedEventScopes,
} from '../src/index';

describe('parseEventsCsv', () => {
  it('reads every scope, with CRLF line ends', () => {
    const rows = parseEventsCsv(
      'date,scope,event,value\r\n2025-11-28,*,black_friday,1\r\n2025-12-01,category:Toys,promo,1\r\n2025-12-03,product:SKU-42,price_cut,0.15\r\n',
      'events.csv',
    );
    expect(rows).toEqual([
      { date: '2025-11-28', scope: { kind: 'all' }, event: 'black_friday', value: 1, line: 2 },
      {
        date: '2025-12-01',
        scope: { kind: 'category', id: 'Toys' },
        event: 'promo',
        value: 1,
        line: 3,
      },
      {
        date: '2025-12-03',
        scope: { kind: 'product', id: 'SKU-42' },
        event: 'price_cut',
        value: 0.15,
        line: 4,
      },
    ]);
  });

  it('names the file, line and value of every bad line', () => {
    const text = [
      'date,scope,event,value',
      '2025-11-28,*,black_friday,1',
      '2025-13-40,*,promo,1',
      '2025-12-01,shop:Toys,promo,abc',
      '2025-12-02,*,promo',
    ].join('\n');
    let err: unknown;
    try {
      parseEventsCsv(text, 'events.csv');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CorruptFileError);
    const message = (err as Error).message;
    expect(message).toMatch(/^3 bad line\(s\)/);
    expect(message).toContain(
      'events.csv line 3: date "2025-13-40" is not a date (expected YYYY-MM-DD)',
    );
    expect(message).toContain('events.csv line 4: scope "shop:Toys" is not a scope');
    expect(message).toContain('value "abc" is not a number');
    expect(message).toContain('events.csv line 5: 3 fields (expected 4');
  });

  it('counts a repeated line once and warns with file, line and value', () => {
    const warnings: string[] = [];
    const rows = parseEventsCsv(
      'date,scope,event,value\n2025-11-28,*,black_friday,1\n2025-11-28,category:Toys,black_friday,1\n2025-11-28,*,black_friday,1\n',
      'events.csv',
      { logger: { warn: (m: string) => warnings.push(m) } },
    );
    expect(rows.map((r) => r.line)).toEqual([2, 3]);
    expect(warnings).toEqual([
      'events.csv line 4: repeats line 2 (2025-11-28, *, black_friday, value 1); counted once',
    ]);
  });

  it('rejects a repeated date, scope and event with another value, naming both lines', () => {
    expect(() =>
      parseEventsCsv(
        'date,scope,event,value\n2025-12-03,product:SKU-42,price_cut,0.15\n2025-12-03,product:SKU-42,price_cut,0.2\n',
        'events.csv',
      ),
    ).toThrow(
      /events\.csv line 3: value "0\.2" of price_cut on 2025-12-03 for scope product:SKU-42 differs from line 2 \(0\.15\)/,
    );
  });

  it('rejects a file whose header is not date,scope,event,value', () => {
    expect(() => parseEventsCsv('day,product,event,value\n', 'e.csv')).toThrow(
      /e\.csv line 1: header "day,product,event,value" is not "date,scope,event,value"/,
    );
  });
});

describe('unmatchedEventScopes', () => {
  it('names each row whose product or category the data does not have, by file and line', () => {
    const rows = parseEventsCsv(
      'date,scope,event,value\n2025-11-28,*,black_friday,1\n2025-12-01,category:Toys,promo,1\n2025-12-01,category:Toyz,promo,1\n2025-12-03,product:SKU-42,price_cut,0.15\n2025-12-03,product:SKU-99,price_cut,0.15\n',
      'events.csv',
    );
    const products = [{ productId: 'SKU-42', category: 'Toys' }, { productId: 'SKU-43' }];
    expect(unmatchedEventScopes(rows, 'events.csv', products)).toEqual([
      'events.csv line 4: scope "category:Toyz" matches no category of the data (its promo row is not used)',
      'events.csv line 6: scope "product:SKU-99" matches no product of the data (its price_cut row is not used)',
    ]);
  });

  it('keeps an id after the colon as written, so " Accessories" is not "Accessories", and says so', () => {
    const rows = parseEventsCsv(
      'date,scope,event,value\n2025-12-01,product: Accessories,promo,1\n2025-12-01,category:Toys ,promo,1\n2025-12-02,category: Toys,promo,1\n',
      'events.csv',
    );
    expect(rows.map((r) => r.scope)).toEqual([
      { kind: 'product', id: ' Accessories' },
      // The field's own surrounding whitespace is trimmed, as for every column.
      { kind: 'category', id: 'Toys' },
      { kind: 'category', id: ' Toys' },
    ]);
    const products = [{ productId: 'Accessories', category: 'Toys' }];
    expect(unmatchedEventScopes(rows, 'events.csv', products)).toEqual([
      'events.csv line 2: scope "product: Accessories" matches no product of the data (its promo row is not used; the data has "Accessories", which differs only by whitespace: ids are kept as written)',
      'events.csv line 4: scope "category: Toys" matches no category of the data (its promo row is not used; the data has "Toys", which differs only by whitespace: ids are kept as written)',
    ]);
  });
});

describe('readEventsFile', () => {
  it('reads a local file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'events-'));
    const file = path.join(dir, 'events.csv');
    writeFileSync(file, 'date,scope,event,value\n2025-11-28,*,black_friday,1\n');
    expect(await readEventsFile(file)).toHaveLength(1);
  });
});
