import type {
  ArchivedAccuracy,
  ArchivedForecast,
  ForecastArchive,
} from '@retail-forecast/forecast-archive';
import { scoreIssuedForecasts } from '@retail-forecast/forecasting';
import type {
  AccuracyGroup,
  AccuracyReport,
  ActualSeries,
  ProductForecast,
} from '@retail-forecast/forecasting';
import { addDays } from '@retail-forecast/util';
import type { Logger } from '@retail-forecast/util';

/** Days of issuing dates the accuracy tables cover (the alarm's median window is the same). */
export const ACCURACY_WINDOW_DAYS = 28;

export interface ArchiveStepOptions {
  archive: ForecastArchive;
  asOf: string;
  horizon: number;
  runId: string;
  alarmFactor: number;
  /**
   * Score earlier forecasts (default true). A shard run does not: its overall and category
   * figures would cover part of the catalog under the names of the whole.
   */
  score?: boolean;
  logger: Logger;
}

export interface ArchiveStepResult {
  /** Partition URIs written. */
  forecastsPartition: string;
  accuracyPartition: string | null;
  forecastRows: number;
  /** null when the archive holds no earlier forecast. */
  accuracy: AccuracyReport | null;
}

/**
 * Scores the archived forecasts of earlier as-of dates against the loaded actuals, then archives
 * this run's forecasts and that accuracy, each replacing its own `as_of=` partition. History is
 * read before this run's partition is written, and only up to the day before as-of, so a rerun
 * scores the same forecasts.
 */
export async function archiveStep(
  forecasts: readonly ProductForecast[],
  actuals: readonly ActualSeries[],
  o: ArchiveStepOptions,
): Promise<ArchiveStepResult> {
  // The degradation check looks at issuing dates up to a horizon plus 28 days back.
  const score = o.score ?? true;
  const history = score
    ? await o.archive.readForecasts({
        from: addDays(o.asOf, -(ACCURACY_WINDOW_DAYS + o.horizon)),
        to: addDays(o.asOf, -1),
      })
    : [];
  const accuracy =
    history.length > 0
      ? scoreIssuedForecasts(history, actuals, {
          asOf: o.asOf,
          windowDays: ACCURACY_WINDOW_DAYS,
          alarmFactor: o.alarmFactor,
        })
      : null;
  if (!score) o.logger.info('a shard run archives its forecasts but does not score accuracy');
  else if (!accuracy) o.logger.info('no earlier forecasts in the archive yet; accuracy not scored');

  const rows = forecastRows(forecasts, o.runId);
  const forecastsPartition = await o.archive.writeForecasts(o.asOf, rows);
  const accuracyPartition = accuracy
    ? await o.archive.writeAccuracy(o.asOf, accuracyRows(accuracy, o.runId))
    : null;
  return { forecastsPartition, accuracyPartition, forecastRows: rows.length, accuracy };
}

/** One archive row per product and forecast day. */
export function forecastRows(
  forecasts: readonly ProductForecast[],
  runId: string,
): ArchivedForecast[] {
  return forecasts.flatMap((f) =>
    f.daily.map((d, k) => ({
      productId: f.productId,
      asOf: f.asOf,
      forecastDate: d.date,
      horizonDay: k + 1,
      p10: d.p10,
      p50: d.p50,
      p90: d.p90,
      mean: d.mean ?? null,
      model: f.model,
      fallbackReason: f.fallbackReason ?? null,
      runId,
    })),
  );
}

/** Two rows (one day ahead, horizon total) per group: overall, each category, each product. */
export function accuracyRows(report: AccuracyReport, runId: string): ArchivedAccuracy[] {
  const groups: AccuracyGroup[] = [report.overall, ...report.categories, ...report.products];
  return groups.flatMap((g) =>
    (
      [
        ['one_day_ahead', g.oneDayAhead],
        ['horizon_total', g.horizonTotal],
      ] as const
    ).map(([kind, m]) => ({
      asOf: report.asOf,
      level: g.level,
      key: g.key,
      kind,
      forecasts: m.forecasts,
      wape: m.wape,
      mase: m.mase,
      bias: m.bias,
      coverage: m.coverage,
      runId,
    })),
  );
}
