import { describe, expect, it, vi } from 'vitest';
import type * as Runtime from '@retail-forecast/forecasting/runtime';
import { noopLogger } from '@retail-forecast/util';
import { forecastStep } from '../src/forecastStep';
import type { ForecastStepOptions } from '../src/forecastStep';

const { forecastMany } = vi.hoisted(() => ({ forecastMany: vi.fn() }));
vi.mock('@retail-forecast/forecasting/runtime', async (importOriginal) => ({
  ...(await importOriginal<typeof Runtime>()),
  forecastMany,
}));

const options: ForecastStepOptions = {
  model: { kind: 'statistical', id: 'statistical' },
  asOf: '2025-04-28',
  horizon: 7,
  guardrail: 'enforce',
  concurrency: 16,
  workers: 1,
  logger: noopLogger,
};

/** What the step hands the engine: the run's engine settings become `AutoOptions`. */
describe("forecastStep's engine options", () => {
  it('passes --outliers and --level-shifts to forecastMany, and leaves their defaults to it', async () => {
    forecastMany.mockResolvedValue(new Map());
    await forecastStep([], { ...options, cleanOutliers: false, levelShifts: false });
    expect(forecastMany.mock.calls[0][1]).toMatchObject({
      cleanOutliers: false,
      levelShifts: false,
    });
    await forecastStep([], { ...options, levelShifts: true });
    expect(forecastMany.mock.calls[1][1]).toMatchObject({ levelShifts: true });
    await forecastStep([], options);
    expect(forecastMany.mock.calls[2][1]).not.toHaveProperty('levelShifts');
    expect(forecastMany.mock.calls[2][1]).not.toHaveProperty('cleanOutliers');
  });

  it('passes --weekday-profile to forecastMany, and leaves its default to it', async () => {
    forecastMany.mockReset();
    forecastMany.mockResolvedValue(new Map());
    await forecastStep([], { ...options, catalogueProfile: false });
    expect(forecastMany.mock.calls[0][1]).toMatchObject({ catalogueProfile: false });
    await forecastStep([], { ...options, catalogueProfile: true });
    expect(forecastMany.mock.calls[1][1]).toMatchObject({ catalogueProfile: true });
    await forecastStep([], options);
    expect(forecastMany.mock.calls[2][1]).not.toHaveProperty('catalogueProfile');
  });
});
