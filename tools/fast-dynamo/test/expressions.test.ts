import { describe, expect, it } from 'vitest';
import {
  applyUpdate,
  evaluateCondition,
  parseCondition,
  parseProjection,
  parseUpdate,
  Placeholders,
} from '../src/expressions';
import { WireError } from '../src/wireError';

const NEWER_WINS = 'attribute_not_exists(#asOf) OR #asOf <= :asOf';

function refusal(fn: () => unknown): WireError {
  try {
    fn();
  } catch (err) {
    if (err instanceof WireError) return err;
    throw err;
  }
  throw new Error('expected a WireError');
}

describe('condition expressions', () => {
  const ph = (asOf: string) =>
    new Placeholders({ '#asOf': 'forecast_as_of' }, { ':asOf': { S: asOf } });
  const { parsed } = parseCondition(NEWER_WINS);

  it('holds for a missing item and an item without the attribute', () => {
    expect(evaluateCondition(parsed, undefined, ph('2025-04-28'))).toBe(true);
    expect(evaluateCondition(parsed, { product_id: { S: 'a' } }, ph('2025-04-28'))).toBe(true);
  });

  it('holds for the same or an older stored as-of and fails for a newer one', () => {
    const item = { forecast_as_of: { S: '2025-04-28' } };
    expect(evaluateCondition(parsed, item, ph('2025-04-28'))).toBe(true);
    expect(evaluateCondition(parsed, item, ph('2025-04-29'))).toBe(true);
    expect(evaluateCondition(parsed, item, ph('2025-04-27'))).toBe(false);
  });

  it('compares numbers numerically, not as text', () => {
    const c = parseCondition('#n < :v').parsed;
    const p = new Placeholders({ '#n': 'n' }, { ':v': { N: '10' } });
    expect(evaluateCondition(c, { n: { N: '9' } }, p)).toBe(true);
    expect(evaluateCondition(c, { n: { N: '11' } }, p)).toBe(false);
  });

  it('treats a comparison with a different type as false', () => {
    const c = parseCondition('#n <= :v').parsed;
    const p = new Placeholders({ '#n': 'n' }, { ':v': { S: '10' } });
    expect(evaluateCondition(c, { n: { N: '9' } }, p)).toBe(false);
  });

  it('honours NOT, AND and parentheses', () => {
    const c = parseCondition('NOT (attribute_exists(#a) AND #a = :v)').parsed;
    const p = new Placeholders({ '#a': 'a' }, { ':v': { BOOL: true } });
    expect(evaluateCondition(c, { a: { BOOL: true } }, p)).toBe(false);
    expect(evaluateCondition(c, { a: { BOOL: false } }, p)).toBe(true);
  });

  it('refuses functions and operators it does not implement instead of misreading them', () => {
    expect(refusal(() => parseCondition('begins_with(#a, :p)')).message).toMatch(
      /does not support the function begins_with/,
    );
    expect(refusal(() => parseCondition('#a BETWEEN :x AND :y')).message).toMatch(
      /does not support BETWEEN/,
    );
    expect(refusal(() => parseCondition('#a.b = :x')).errorName).toBe('ValidationException');
  });

  it('refuses a syntax error', () => {
    expect(refusal(() => parseCondition('#a <= ')).message).toMatch(/Syntax error/);
    expect(refusal(() => parseCondition('#a = :v :w')).message).toMatch(/Syntax error/);
  });
});

describe('update expressions', () => {
  const key = { product_id: { S: 'P1' } };

  it('sets, keeps with if_not_exists and removes, leaving other attributes alone', () => {
    const { parsed } = parseUpdate('SET #fd = :fd, #pn = if_not_exists(#pn, :pn) REMOVE #doc');
    const p = new Placeholders(
      { '#fd': 'forecasted_demand', '#pn': 'product_name', '#doc': 'days_of_cover' },
      { ':fd': { N: '14' }, ':pn': { S: 'new name' } },
    );
    const stored = {
      ...key,
      product_name: { S: 'kept name' },
      days_of_cover: { N: '3' },
      price: { N: '9.99' },
    };
    expect(applyUpdate(parsed, stored, key, ['product_id'], p)).toEqual({
      ...key,
      product_name: { S: 'kept name' },
      forecasted_demand: { N: '14' },
      price: { N: '9.99' },
    });
    expect(applyUpdate(parsed, undefined, key, ['product_id'], p)).toEqual({
      ...key,
      product_name: { S: 'new name' },
      forecasted_demand: { N: '14' },
    });
    // The stored item itself is never changed in place.
    expect(stored.days_of_cover).toEqual({ N: '3' });
  });

  it('refuses to update a key attribute', () => {
    const { parsed } = parseUpdate('SET #k = :v');
    const p = new Placeholders({ '#k': 'product_id' }, { ':v': { S: 'other' } });
    expect(refusal(() => applyUpdate(parsed, undefined, key, ['product_id'], p)).message).toMatch(
      /Cannot update attribute product_id/,
    );
  });

  it('refuses overlapping paths, repeated clauses, ADD and arithmetic', () => {
    expect(refusal(() => parseUpdate('SET #a = :a REMOVE #a')).message).toMatch(/overlap/);
    expect(refusal(() => parseUpdate('SET #a = :a SET #b = :b')).message).toMatch(
      /only be used once/,
    );
    expect(refusal(() => parseUpdate('ADD #a :a')).message).toMatch(/does not support ADD/);
    expect(refusal(() => parseUpdate('SET #a = #a + :a')).message).toMatch(/arithmetic/);
  });
});

describe('placeholders', () => {
  it('refuses names and values no expression used', () => {
    const { used } = parseUpdate('SET #a = :a');
    const p = new Placeholders({ '#a': 'a', '#b': 'b' }, { ':a': { S: 'x' } });
    expect(refusal(() => p.check([used])).message).toBe(
      'Value provided in ExpressionAttributeNames unused in expressions: keys: {#b}',
    );
    const q = new Placeholders({ '#a': 'a' }, { ':a': { S: 'x' }, ':z': { S: 'y' } });
    expect(refusal(() => q.check([used])).message).toMatch(/ExpressionAttributeValues unused.*:z/);
  });

  it('refuses a placeholder the request does not define', () => {
    const { used } = parseUpdate('SET #a = :a');
    expect(refusal(() => new Placeholders({}, { ':a': { S: 'x' } }).check([used])).message).toMatch(
      /attribute name: #a/,
    );
  });

  it('resolves projections of placeholders and plain names', () => {
    const { parsed, used } = parseProjection('#pk, current_stock');
    const p = new Placeholders({ '#pk': 'product_id' });
    p.check([used]);
    expect(parsed.map((r) => p.name(r))).toEqual(['product_id', 'current_stock']);
  });
});
