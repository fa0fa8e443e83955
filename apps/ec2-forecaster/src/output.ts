import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { once } from 'node:events';
import type { ProductForecast } from '@retail-forecast/forecasting';

/**
 * The JSON Lines contract (one object per product), read by benchmarks and downstream teams.
 * Keys are snake_case like the DynamoDB attributes; `fallback_reason` is always present
 * (null when the requested model's answer was used) so consumers see a stable shape.
 * `data_issues` (`{ rejected_days }`) appears only when the product's history had days whose
 * rows were rejected: those days were unknown to the model, not 0. `outliers`
 * (`{ count, recent: [{ date, value, replacement }] }`) appears only where the published forecast
 * is the statistical engine's and its outlier cleaning applied (`ProductForecast.outliers`).
 * `level_shift` (`{ date, before, after }`) appears only where the published forecast is the
 * statistical engine's and its models were fitted after a recent level shift
 * (`ProductForecast.levelShift`). `weekday_profile` (`{ source, own_weight }`: `category` or
 * `catalogue`, and the weight 0–1 of the product's own weeks) appears only where the published
 * forecast is the statistical engine's and it spread a young product's week by the catalogue's
 * weekday profile (`ProductForecast.weekdayProfile`).
 */
export function toJsonLine(f: ProductForecast, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    product_id: f.productId,
    product_name: f.productName ?? null,
    category: f.category ?? null,
    as_of: f.asOf,
    horizon_days: f.horizonDays,
    forecasted_demand: f.forecastedDemand,
    daily: f.daily,
    model: f.model,
    fallback_reason: f.fallbackReason ?? null,
    // Only on flagged products, so a clean product's line is unchanged.
    ...(f.dataIssues ? { data_issues: { rejected_days: f.dataIssues.rejectedDays } } : {}),
    ...(f.outliers ? { outliers: f.outliers } : {}),
    ...(f.levelShift ? { level_shift: f.levelShift } : {}),
    ...(f.weekdayProfile
      ? {
          weekday_profile: {
            source: f.weekdayProfile.source,
            own_weight: f.weekdayProfile.ownWeight,
          },
        }
      : {}),
    ...extra,
  });
}

export async function writeJsonLines(
  path: string,
  forecasts: ProductForecast[],
  extra: (f: ProductForecast) => Record<string, unknown> = () => ({}),
): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const out = createWriteStream(path, { encoding: 'utf8' });
  for (const f of forecasts) {
    if (!out.write(`${toJsonLine(f, extra(f))}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}
