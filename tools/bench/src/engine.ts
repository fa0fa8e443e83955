/**
 * `npm run bench -- engine [--products 2000] [--days 730] [--seed 13] [--workers 2]`:
 * CPU per product of the statistical engine on a generated catalogue shaped like the issue-13
 * Gold data (40 % smooth weekly series, 40 % intermittent counts with 50–90 % zero days, 20 % new
 * products with 10–60 days of history), through the job's own path (`forecastAuto` in-process,
 * then `forecastMany` with worker threads, as `forecastStep` calls it). Prints CPU ms per
 * product by generated class, and the split of the single-threaded run's CPU by model, read
 * from a V8 CPU profile of a second pass. Figures are printed, never asserted.
 */
import { Session } from 'node:inspector/promises';
import os from 'node:os';
import { seededRandom } from '@retail-forecast/local-aws';
import { forecastAuto, type SeriesInput } from '@retail-forecast/forecasting';
import { forecastMany } from '@retail-forecast/forecasting/runtime';

export type EngineClass = 'smooth' | 'intermittent' | 'new';

export interface EngineSeries extends SeriesInput {
  kind: EngineClass;
}

function gaussian(r: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
}

/** Poisson draw (Knuth; a normal approximation above 60). */
function poisson(r: () => number, mean: number): number {
  if (mean <= 0) return 0;
  if (mean > 60) return Math.max(0, Math.round(mean + Math.sqrt(mean) * gaussian(r)));
  const limit = Math.exp(-mean);
  let k = 0;
  let p = r();
  while (p > limit) {
    k++;
    p *= r();
  }
  return k;
}

/**
 * The issue-13 catalogue, deterministic for a seed: product i is smooth when i mod 5 is 0 or 1,
 * intermittent when it is 2 or 3, new when it is 4. Every series has `days` days (a new
 * product's first days are zeros, as the loader hands over a product listed late).
 */
export function engineCatalogue(products: number, days: number, seed: number): EngineSeries[] {
  const r = seededRandom(seed);
  const out: EngineSeries[] = [];
  for (let i = 0; i < products; i++) {
    const kind: EngineClass = i % 5 < 2 ? 'smooth' : i % 5 < 4 ? 'intermittent' : 'new';
    const y = new Float64Array(days);
    const phase = Math.floor(7 * r());
    const amplitude = 0.1 + 0.4 * r();
    const profile = Array.from(
      { length: 7 },
      (_, d) => 1 + amplitude * Math.sin((2 * Math.PI * (d + phase)) / 7),
    );
    if (kind === 'smooth') {
      const level = 5 + 195 * r();
      const trend = (r() - 0.5) * 0.002;
      const noise = 0.05 + 0.2 * r();
      for (let t = 0; t < days; t++) {
        const mu = level * Math.max(0.05, 1 + trend * t) * profile[t % 7];
        y[t] = Math.max(0, Math.round(mu * (1 + noise * gaussian(r))));
      }
    } else if (kind === 'intermittent') {
      const zeroShare = 0.5 + 0.4 * r();
      const size = 0.5 + 4 * r();
      for (let t = 0; t < days; t++) {
        y[t] = r() < zeroShare ? 0 : 1 + poisson(r, size * profile[t % 7]);
      }
    } else {
      const history = Math.min(days, 10 + Math.floor(51 * r()));
      const level = 0.5 + 30 * r();
      for (let t = days - history; t < days; t++) {
        y[t] = poisson(r, level * profile[t % 7]);
      }
      // A new product's history starts with its first sale.
      y[days - history] = Math.max(1, y[days - history]);
    }
    out.push({ id: `${kind}-${i}`, kind, y });
  }
  return out;
}

/** CPU time of the whole process in ms (all threads: the job's budget is the machine's). */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

const KINDS: EngineClass[] = ['smooth', 'intermittent', 'new'];

/** Single thread, in input order: CPU ms per product by class, and the chosen models. */
function singleThread(series: EngineSeries[]): {
  perClass: Map<EngineClass, { ms: number; count: number }>;
  total: number;
  wall: number;
  models: Map<string, number>;
} {
  const perClass = new Map(KINDS.map((k) => [k, { ms: 0, count: 0 }]));
  const models = new Map<string, number>();
  const w0 = performance.now();
  const c0 = cpuMs();
  for (const s of series) {
    const t0 = cpuMs();
    const f = forecastAuto(s.y);
    const cell = perClass.get(s.kind)!;
    cell.ms += cpuMs() - t0;
    cell.count++;
    const family = f.model.replace(/^statistical:/, '').replace(/\(.*$/, '');
    models.set(family, (models.get(family) ?? 0) + 1);
  }
  return { perClass, total: cpuMs() - c0, wall: performance.now() - w0, models };
}

/**
 * What a profile sample is charged to: the first of these buckets that a function on its stack
 * belongs to (so interval code inside a model's forecast is "intervals", the criterion passes
 * of the ETS search are theirs wherever the search runs them from).
 */
const BUCKETS: [RegExp, string][] = [
  [
    /^(forecastEts|normalQuantiles|intermittentQuantiles|finalizeQuantiles|countQuantiles)$/,
    'intervals',
  ],
  [/^combineQuantiles$/, 'combos (median of members)'],
  [/^(extendEts|buildFitted)$/, 'ETS: final passes / carry forward'],
  [/^(leastSquaresInitialStates|gram|linearColumnPair)$/, 'ETS: least-squares initial states'],
  [
    /^(criterion|criterionOf|criterionPair|etsRecursion|addError\w*|mulError\w*|mixedPair)$/,
    'ETS: criterion passes (simplex points)',
  ],
  [/^(refineSteps|refineWithStates)$/, 'ETS: stage 2 search, other'],
  [
    /^(autoEts|estimate|estimateSteps|optimiseSmoothing|evaluateTogether|evaluateAlone|nelderMead\w*)$/,
    'ETS: stage 1 search, other (simplex, init)',
  ],
  [/^(fitTheta|fitSes)$/, 'theta'],
  [/^(fitSarima|cssSearch|sarimaForecaster|psiWeights)$/, 'sarima (seasonal ARIMA)'],
  [/^(fitSba|fitCroston|crostonFamily)$/, 'croston/SBA'],
  [/^fitTsb$/, 'TSB'],
  [/^(fitSeasonalNaive|fitNaive)$/, 'seasonal naive'],
  [/^(fitShortHistory|fitConstantHistory|negBinomialQuantile)$/, 'count models (short/new)'],
  [/^(classifyDemand|demandStats|inactiveDays|assertValidSeries|isConstant)$/, 'classify & checks'],
  [
    /^(withoutOutliers|cleanOutliers|resistantFit|decompose|slidingMedian|farOut)$/,
    'outlier cleaning (outliers.ts)',
  ],
  [/^forecastAuto$/, 'selection (auto.ts), other'],
];

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Self time by bucket and the top self-time functions of a V8 CPU profile. */
function readProfile(profile: CpuProfile): {
  buckets: Map<string, number>;
  top: { name: string; ms: number }[];
  totalMs: number;
} {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<number, number>();
  let totalMs = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + dt);
  }
  const bucketOf = (id: number): string => {
    const names: string[] = [];
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      names.push(byId.get(cur)!.callFrame.functionName);
    }
    for (const [re, bucket] of BUCKETS) if (names.some((name) => re.test(name))) return bucket;
    return 'outside the engine (bench, GC, idle)';
  };
  const buckets = new Map<string, number>();
  const fns = new Map<string, number>();
  for (const [id, ms] of self) {
    totalMs += ms;
    const b = bucketOf(id);
    buckets.set(b, (buckets.get(b) ?? 0) + ms);
    const f = byId.get(id)!.callFrame;
    const file = f.url.replace(/^.*\/src\//, '');
    const key = `${f.functionName || '(anonymous)'} ${file}`;
    fns.set(key, (fns.get(key) ?? 0) + ms);
  }
  const top = [...fns]
    .map(([name, ms]) => ({ name, ms }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, 15);
  return { buckets, top, totalMs };
}

async function profiled(series: EngineSeries[]): Promise<CpuProfile> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  for (const s of series) forecastAuto(s.y);
  const { profile } = await session.post('Profiler.stop');
  session.disconnect();
  return profile as unknown as CpuProfile;
}

function argValue(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(name);
  if (i < 0) return fallback;
  const v = Number(args[i + 1]);
  if (!Number.isInteger(v) || v < 1) {
    throw new Error(`${name} ${args[i + 1]} is not allowed (expected an integer >= 1)`);
  }
  return v;
}

export async function engineFigures(args: string[]): Promise<void> {
  const products = argValue(args, '--products', 2000);
  const days = argValue(args, '--days', 730);
  const seed = argValue(args, '--seed', 13);
  const workers = argValue(args, '--workers', 2);
  const series = engineCatalogue(products, days, seed);
  console.log(
    `\n=== Engine CPU per product: ${products} generated products × ${days} days, seed ${seed} (${os.availableParallelism()} cores, load ${os.loadavg()[0].toFixed(1)}) ===`,
  );
  // Warm the JIT on other products of the same mix: the job forecasts thousands in one process.
  for (const s of engineCatalogue(Math.min(200, products), days, seed + 1)) forecastAuto(s.y);

  const one = singleThread(series);
  console.log('  single thread (forecastAuto, in input order), process CPU:');
  for (const k of KINDS) {
    const { ms, count } = one.perClass.get(k)!;
    if (count > 0) {
      console.log(
        `    ${k.padEnd(13)} ${(ms / count).toFixed(2).padStart(6)} ms/product (${count})`,
      );
    }
  }
  console.log(
    `    ${'all'.padEnd(13)} ${(one.total / products).toFixed(2).padStart(6)} ms/product (${products}; wall ${(one.wall / 1000).toFixed(1)} s)`,
  );
  const models = [...one.models].sort((a, b) => b[1] - a[1]);
  console.log(`    answers: ${models.map(([m, c]) => `${m} ${c}`).join(', ')}`);

  const c0 = cpuMs();
  const w0 = performance.now();
  await forecastMany(series, { workers });
  const wall = (performance.now() - w0) / 1000;
  const cpu = cpuMs() - c0;
  console.log(
    `  forecastMany, ${workers} workers: ${wall.toFixed(1)} s wall (incl. worker start-up under tsx), ${(cpu / products).toFixed(2)} ms CPU/product (all threads), ${(products / wall).toFixed(0)} products/s`,
  );

  const { buckets, top, totalMs } = readProfile(await profiled(series));
  console.log(
    `  CPU split of a profiled single-thread pass (${(totalMs / 1000).toFixed(1)} s sampled):`,
  );
  for (const [b, ms] of [...buckets].sort((a, c) => c[1] - a[1])) {
    console.log(
      `    ${b.padEnd(38)} ${(ms / products).toFixed(3).padStart(7)} ms/product ${((100 * ms) / totalMs).toFixed(1).padStart(5)} %`,
    );
  }
  console.log('  top self time:');
  for (const { name, ms } of top) {
    console.log(`    ${((100 * ms) / totalMs).toFixed(1).padStart(5)} %  ${name}`);
  }
}
