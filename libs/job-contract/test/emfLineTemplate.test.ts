import { describe, expect, it } from 'vitest';
import { buildEmfRecord, emfLineTemplate } from '../src/index';

describe('emfLineTemplate', () => {
  it('gives the record buildEmfRecord builds once the timestamp is put between its parts', () => {
    const options = {
      service: 'nightly "eu"',
      values: { RunSuccess: 0 },
      properties: { reason: "it's 100% broken\n" },
    };
    const { before, after } = emfLineTemplate(options);
    const line = `${before}1700000000123${after}`;
    expect(line).toBe(JSON.stringify(buildEmfRecord({ ...options, timestamp: 1_700_000_000_123 })));
    expect(JSON.parse(line)._aws.Timestamp).toBe(1_700_000_000_123);
    expect(line).not.toMatch(/[\r\n]/);
  });

  it('refuses properties that would replace the EMF metadata', () => {
    expect(() =>
      emfLineTemplate({ service: 's', values: { RunSuccess: 0 }, properties: { _aws: 'x' } }),
    ).toThrow(/_aws/);
  });
});
