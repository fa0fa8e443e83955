import type { ArchivedForecast } from '../src/index';

/**
 * Two forecast days per product; product i has P10 i, P50 i + 0.5, P90 i + 1.25, and a mean of
 * i + 0.75 on even i (none on odd i).
 */
export function rows(asOf: string, products: string[], runId = 'run-1'): ArchivedForecast[] {
  return products.flatMap((productId, i) =>
    [1, 2].map((horizonDay) => ({
      productId,
      asOf,
      forecastDate: new Date(Date.parse(`${asOf}T00:00:00Z`) + horizonDay * 86_400_000)
        .toISOString()
        .slice(0, 10),
      horizonDay,
      p10: i,
      p50: i + 0.5,
      p90: i + 1.25,
      mean: i % 2 === 0 ? i + 0.75 : null,
      model: 'statistical:ets(A,N,A)',
      fallbackReason: i === 1 ? 'bedrock timeout' : null,
      runId,
    })),
  );
}
