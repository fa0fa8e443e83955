import { describe, expect, it } from 'vitest';
import type { AccuracyReport } from '@retail-forecast/forecasting';
import { modelCountKey } from '../src/job';
import { formatSummary } from '../src/summary';
import { summary } from './summaryFixture';

describe('modelCountKey', () => {
  it('counts a statistical model under its registry name, combo-eat apart from combo', () => {
    expect(modelCountKey('statistical:combo(ets,sarima,theta)')).toBe('statistical:combo-eat');
    expect(modelCountKey('statistical:combo(ets,theta,snaive)')).toBe('statistical:combo');
    expect(modelCountKey('statistical:top3(ets(A,N,A),theta,snaive)')).toBe('statistical:top3');
    expect(modelCountKey('bedrock:us.anthropic.claude')).toBe('bedrock:us.anthropic.claude');
  });
});

describe('formatSummary', () => {
  it('says which engine settings made the numbers: global model, combination, outliers, level shifts, weekday profile, holidays and events file', () => {
    expect(formatSummary(summary)).toMatch(
      /engine\s+global model off, combination top3, outliers clean, level shifts follow, weekday profile catalogue, holidays US-CA, events events\.csv \(12 rows\)/,
    );
    expect(formatSummary(summary)).toMatch(
      /no effect\s+holiday:Juneteenth \(1 product\) \(seen on fewer than 2 days/,
    );
    const plain = {
      ...summary,
      engine: {
        globalModel: true,
        combination: 'class',
        outliers: 'keep' as const,
        levelShifts: 'ignore' as const,
        weekdayProfile: 'own' as const,
        holidays: null,
        events: null,
        sparseCalendar: [],
        calendarTooShort: 0,
      },
    };
    expect(formatSummary(plain)).toMatch(
      /engine\s+global model on, combination class, outliers keep, level shifts ignore, weekday profile own, no holidays, no events/,
    );
    expect(formatSummary(plain)).not.toContain('no effect');
    expect(formatSummary(summary)).toMatch(
      /no calendar\s+2 product\(s\) with too little history for holiday and event effects/,
    );
    expect(formatSummary(plain)).not.toContain('no calendar');
  });

  it('says how many days the outlier cleaning replaced in how many products, or that they were kept', () => {
    const many = {
      ...summary,
      products: { ...summary.products, forecast: 300 },
      outliers: { daysReplaced: 412, products: 93 },
    };
    expect(formatSummary(many)).toMatch(
      /\n {2}outliers {8}412 days replaced in 93 of 300 products \(clean\)\n/,
    );
    const none = { ...many, outliers: { daysReplaced: 0, products: 0 } };
    expect(formatSummary(none)).toMatch(
      /outliers {8}0 days replaced in 0 of 300 products \(clean\)/,
    );
    const kept = { ...none, engine: { ...summary.engine, outliers: 'keep' as const } };
    expect(formatSummary(kept)).toMatch(
      /outliers {8}kept: every day fitted as it was \(--outliers keep\)/,
    );
    expect(formatSummary(kept)).not.toContain('replaced');
  });

  it('says in how many products the models were fitted after a level shift, or that shifts were ignored', () => {
    const many = {
      ...summary,
      products: { ...summary.products, forecast: 300 },
      levelShifts: { products: 3 },
    };
    expect(formatSummary(many)).toMatch(
      /\n {2}level shifts {4}fitted after a shift in 3 of 300 products \(follow\)\n/,
    );
    const none = { ...many, levelShifts: { products: 0 } };
    expect(formatSummary(none)).toMatch(
      /level shifts {4}fitted after a shift in 0 of 300 products \(follow\)/,
    );
    const ignored = { ...none, engine: { ...summary.engine, levelShifts: 'ignore' as const } };
    expect(formatSummary(ignored)).toMatch(
      /level shifts {4}ignored: every product fitted on its whole history \(--level-shifts ignore\)/,
    );
    expect(formatSummary(ignored)).not.toContain('fitted after a shift');
  });

  it("says in how many products the catalogue's weekday profile spread the week, or that every product kept its own", () => {
    const many = {
      ...summary,
      products: { ...summary.products, forecast: 300 },
      weekdayProfile: { products: 12, category: 10 },
    };
    expect(formatSummary(many)).toMatch(
      /\n {2}weekday profile spread in 12 of 300 products, 10 by their category's, 2 by the catalogue's \(catalogue\)\n/,
    );
    const none = { ...many, weekdayProfile: { products: 0, category: 0 } };
    expect(formatSummary(none)).toMatch(
      /weekday profile spread in 0 of 300 products, 0 by their category's, 0 by the catalogue's \(catalogue\)/,
    );
    const own = { ...none, engine: { ...summary.engine, weekdayProfile: 'own' as const } };
    expect(formatSummary(own)).toMatch(
      /weekday profile own: every product's week is its models' \(--weekday-profile own\)/,
    );
    expect(formatSummary(own)).not.toContain('spread in');
    const shard = { shard: '1/4', layout: 'bucketed', filesListed: 16, rowsOtherShards: 0 };
    expect(formatSummary({ ...own, shard })).toMatch(
      /weekday profile own: every product's week is its models' \(a sharded run reads no catalogue profile\)/,
    );
  });

  it('heads the stock-risk totals with the run’s horizon', () => {
    const text = formatSummary(summary);
    expect(text).toContain('(horizon 14 days)');
    expect(text).toMatch(/product\s+name\s+stock\s+14d expected\s+14d P90\s+days of cover\s+risk/);
    expect(text).toMatch(/P1\s+Classic Earbuds\s+12\s+41\.3\s+60\.0\s+4\.1\s+YES/);
    expect(text).not.toContain('7d');
  });

  it('names duplicates as dropped or resolved by policy, never as skipped, and lists rejected rows', () => {
    const text = formatSummary({
      ...summary,
      rows: {
        ...summary.rows,
        read: 36,
        used: 28,
        rejected: 1,
        duplicatesDropped: 7,
        conflictingDuplicates: { count: 1, policy: 'sum' },
        issues: [
          {
            file: 'b.csv',
            row: 3,
            productId: 'P1',
            column: 'daily_sales',
            value: '4',
            reason: 'conflicting_duplicate',
            message:
              'P1 2025-03-02: daily_sales 4 on line 3 of b.csv differs from 2 already read; summed (on-duplicate sum): 6',
          },
          {
            file: 'b.csv',
            row: 4,
            productId: 'P1',
            column: 'daily_sales',
            value: 'x',
            reason: 'invalid_sales',
            message: 'daily_sales "x" on line 4 of b.csv is not a number',
          },
        ],
      },
      products: { ...summary.products, flagged: 1 },
    });
    expect(text).toContain('duplicates      7 identical rows dropped (counted once)');
    expect(text).toContain(
      'conflicting     1 rows for a product and day with a different daily_sales (summed, --on-duplicate sum)',
    );
    expect(text).toContain('rows rejected   1 (budget 1%; their days are unknown, not 0)');
    expect(text).toContain('flagged         1');
    expect(text).toContain('duplicate: P1 2025-03-02: daily_sales 4');
    expect(text).toContain('rejected row: daily_sales "x" on line 4');
    expect(text).not.toMatch(/skipped row|summed \d/);
  });

  it('lists reorder suggestions with their policy', () => {
    const text = formatSummary(summary);
    expect(text).toContain('Reorder suggestions (1 of 1 products with stock need an order');
    expect(text).toMatch(/P1\s+Classic Earbuds\s+12\s+25\s+70\s+58\s+2025-04-28\s+7\/7\/0\.95/);
  });
});

describe('formatSummary with products whose stock was not read', () => {
  it('counts and lists them, saying their stored cover and risk were kept', () => {
    const text = formatSummary({
      ...summary,
      products: {
        ...summary.products,
        stockNotRead: [{ productId: 'P1', reason: 'current_stock not read after 8 attempts (x)' }],
      },
      exitCode: 1,
    });
    expect(text).toContain('stock not read  1 (stored cover, risk and reorder fields kept)');
    expect(text).toContain('STOCK NOT READ P1: current_stock not read after 8 attempts (x)');
  });

  it('prints no such line when every stock was read', () => {
    expect(formatSummary(summary)).not.toContain('stock not read');
  });
});

describe('formatSummary of a Bedrock run', () => {
  const bedrock = {
    requests: 3,
    retries: 0,
    failedRequests: 0,
    inputTokens: 16_000,
    outputTokens: 2000,
    cacheReadInputTokens: 1000,
    cacheWriteInputTokens: 0,
    estimatedCostUsd: 0.0384,
    cacheSavingUsd: 0.0027,
    accepted: 10,
    rejected: 0,
    fallback: 0,
    fallbackReasons: {},
  };

  it('shows the batch price and the prompt cache of the on-demand re-asks side by side', () => {
    const text = formatSummary({
      ...summary,
      bedrock: {
        ...bedrock,
        batch: {
          jobArn: 'arn:aws:bedrock:us-east-1:123456789012:model-invocation-job/abc',
          status: 'Completed',
          records: 10,
          recordErrors: 0,
          recordsMissing: 0,
          inputTokens: 15_000,
          outputTokens: 2000,
          costUsd: 0.0375,
          onDemandCostUsd: 0.075,
          seconds: 4,
        },
      },
    });
    expect(text).toContain('tokens          in 16000, out 2000, estimated cost $0.0384');
    expect(text).toContain(
      'prompt cache    read 1000, written 0 tokens; saved $0.0027 against no caching',
    );
    expect(text).toContain(
      'batch price     $0.0375 for 15000 in / 2000 out tokens (on demand: $0.0750)',
    );
  });

  it('prints no cache or batch line for a run without either', () => {
    const text = formatSummary({
      ...summary,
      bedrock: { ...bedrock, cacheReadInputTokens: 0, cacheSavingUsd: 0 },
    });
    expect(text).not.toMatch(/prompt cache|batch job|batch price/);
  });
});

describe('formatSummary of the accuracy of earlier forecasts', () => {
  const metrics = { forecasts: 10, wape: 0.2, mase: 0.9, bias: 0.01, coverage: 0.8 };
  const group = {
    level: 'overall' as const,
    key: 'all',
    oneDayAhead: metrics,
    horizonTotal: metrics,
  };
  const accuracy = (issued: string[]): AccuracyReport => ({
    asOf: '2026-11-29',
    window: { from: '2026-11-01', to: '2026-11-28', origins: issued.length },
    overall: group,
    categories: [],
    products: [],
    trend: {
      oneDayAhead: issued.map((asOf) => ({ asOf, wape: 0.2, mase: 0.9, bias: 0, coverage: 0.8 })),
      horizonTotal: [],
    },
    degradation: {
      lastWeekWape: null,
      medianWape: null,
      factor: 1.5,
      origins: 0,
      degraded: false,
      reason: 'too few',
    },
    missing: [],
  });

  it('names the first and last run scored (one date for one run), not the bounds of the 28-day window', () => {
    const issued = Array.from(
      { length: 16 },
      (_, i) => `2026-11-${String(13 + i).padStart(2, '0')}`,
    );
    expect(formatSummary({ ...summary, accuracy: accuracy(issued) })).toContain(
      'Accuracy of earlier forecasts (16 runs issued 2026-11-13 to 2026-11-28)',
    );
    expect(formatSummary({ ...summary, accuracy: accuracy(['2026-11-28']) })).toContain(
      'Accuracy of earlier forecasts (1 run issued 2026-11-28)\n',
    );
    expect(formatSummary({ ...summary, accuracy: accuracy([]) })).toContain(
      'Accuracy of earlier forecasts (no run issued 2026-11-01 to 2026-11-28 could be scored)',
    );
  });
});
