/** One series' answer from the stand-in's own method. */
export interface StandinForecast {
  p10: number[];
  p50: number[];
  p90: number[];
}

const round2 = (v: number) => Math.round(v * 100) / 100;

/**
 * Seasonal mean by weekday over the last 4 weeks (fewer if the series is shorter; the plain mean
 * under a week), with a Poisson-like band of ±1.28·√median. Deliberately simple and deterministic,
 * so tests can compute the same numbers.
 * `daily` is oldest first and ends on the as-of day.
 */
export function standinForecast(daily: ArrayLike<number>, horizon: number): StandinForecast {
  const n = daily.length;
  const p10: number[] = [];
  const p50: number[] = [];
  const p90: number[] = [];
  let mean = 0;
  for (let i = 0; i < n; i++) mean += daily[i];
  mean = n > 0 ? mean / n : 0;
  for (let k = 0; k < horizon; k++) {
    let m = mean;
    if (n >= 7) {
      let sum = 0;
      let count = 0;
      // Day k after as-of falls on the weekday of index n - 7 + (k % 7).
      for (let w = 0; w < 4; w++) {
        const i = n - 7 * (w + 1) + (k % 7);
        if (i < 0) break;
        sum += daily[i];
        count++;
      }
      m = sum / count;
    }
    const band = 1.28 * Math.sqrt(m);
    p50.push(round2(m));
    p10.push(round2(Math.max(0, m - band)));
    p90.push(round2(m + band));
  }
  return { p10, p50, p90 };
}
