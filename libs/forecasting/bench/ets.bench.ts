/**
 * Throughput of automatic ETS selection (all admissible models, AICc) on 200 generated
 * 400-day daily series with weekly seasonality, trend changes and noise.
 * Run: npx tsx libs/forecasting/bench/ets.bench.ts
 * Reference: R forecast's `forecast(ets(y), h = 7)` takes about 0.3–0.4 s per such series.
 */
import { autoEts } from '../src/models/ets';
import { mulberry32 } from '../test/series';

function series(seed: number, n = 400): Float64Array {
  const rnd = mulberry32(seed);
  const weekly = Array.from({ length: 7 }, () => 0.6 + 0.8 * rnd());
  const base = 5 + 200 * rnd();
  const slope = (rnd() - 0.5) * 0.2;
  const multiplicative = seed % 2 === 0;
  const noise = 0.05 + 0.2 * rnd();
  const y = new Float64Array(n);
  let level = base;
  for (let t = 0; t < n; t++) {
    level = Math.max(1, level + slope + (rnd() - 0.5) * 0.02 * base);
    const season = multiplicative ? level * weekly[t % 7] : level + base * (weekly[t % 7] - 1);
    y[t] = Math.max(0, Math.round(season * (1 + noise * 2 * (rnd() - 0.5))));
  }
  return y;
}

const data = Array.from({ length: 200 }, (_, i) => series(i + 1));
// Warm-up so the JIT has compiled the kernels before timing.
for (let i = 0; i < 20; i++) autoEts(series(10_000 + i)).forecast(7);

const counts = new Map<string, number>();
const cpu0 = process.cpuUsage();
const t0 = performance.now();
for (const y of data) {
  const fit = autoEts(y);
  fit.forecast(7);
  counts.set(fit.name, (counts.get(fit.name) ?? 0) + 1);
}
const wallMs = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
const cpuMs = (cpu.user + cpu.system) / 1000;

console.log(`autoEts + forecast(7) on ${data.length} series of 400 days`);
console.log(
  `  wall: ${wallMs.toFixed(0)} ms, ${(wallMs / data.length).toFixed(2)} ms/series, ${((data.length / wallMs) * 1000).toFixed(0)} series/s`,
);
console.log(
  `  cpu:  ${cpuMs.toFixed(0)} ms, ${(cpuMs / data.length).toFixed(2)} ms/series, ${((data.length / cpuMs) * 1000).toFixed(0)} series/s`,
);
console.log(`  vs R (~350 ms/series): ${(350 / (wallMs / data.length)).toFixed(0)}x by wall clock`);
console.log('  models chosen:', Object.fromEntries([...counts].sort((a, b) => b[1] - a[1])));
