/**
 * `npm run bench -- combination [--sets superstore,gold,smooth,global,calendar] [--series 10]
 * [--rules top3,select,class]`; further sets: `calendar-sporadic`, `calendar-superstore` (slow:
 * the calendar candidate's search per fit), `cost` (series/s of top3, select and class):
 * how `forecastAuto` combines its ranked candidates, rule by rule (`combinationRule.ts`): every
 * fixed rule (`top3` is the default, `top1` plain selection, `weighted` inverse validation-MSE
 * weights, ...), `select` (per series, the rule of lowest nested-validation error) and `class`
 * (per demand class, the rule of lowest mean nested error / MASE scale over the catalogue of each
 * origin, `poolCombination`). Same protocol as the leaderboard: h = 7,
 * 4 origins, MASE scaled by the training part's seasonal-naive MAE, relative to seasonal naive;
 * P10–P90 coverage after the catalogue's conformal step (`poolCalibration`), as `auto` runs.
 * Sets with `global` use the global model as an external candidate (`--global-model on`); the
 * calendar set gives US holiday regressors (the `dhr` candidate, `--holidays US`).
 * Figures are printed, never asserted; nothing is tuned to them.
 */
import {
  COMBINATION_RULES,
  calendarRegressors,
  fitGlobalModel,
  forecastAuto,
  getModel,
  maseScale,
  poolCalibration,
  poolCombination,
  publicHolidays,
  scoreForecast,
  type SeriesContext,
  type SeriesForecast,
  type SeriesInput,
} from '@retail-forecast/forecasting';
import { isoDateToDay } from '@retail-forecast/util';
import os from 'node:os';
import { engineCatalogue } from './engine';
import path from 'node:path';
import {
  DATASETS,
  calendarSeries,
  loadGoldCsv,
  readGoldCsv,
  smoothWeeklySeries,
  sporadicCalendarSeries,
} from './data';

const H = 7;
const ORIGINS = 4;
const RULES = [...COMBINATION_RULES, 'select', 'class'];

interface Fit {
  id: string;
  origin: number;
  mase: number;
  coverage: number;
  demandClass: string;
  rule?: string;
  pooled?: Record<string, number>;
}

interface SetSpec {
  title: string;
  series: SeriesInput[];
  /** Context of every series of one origin's training parts. */
  contexts?: (trains: SeriesInput[]) => Map<string, SeriesContext>;
}

/** One rule over every series and origin, with the catalogue's conformal step per origin. */
function runRule(spec: SetSpec, rule: string): { fits: Fit[]; ms: number } {
  const fits: Fit[] = [];
  let ms = 0;
  for (let o = 1; o <= ORIGINS; o++) {
    const trains: SeriesInput[] = [];
    const actual = new Map<string, Float64Array>();
    for (const s of spec.series) {
      const cut = s.y.length - H * o;
      const train = s.y.subarray(0, Math.max(0, cut));
      if (cut < 2 || !(maseScale(train, H) > 0)) continue;
      trains.push({ id: s.id, y: train });
      actual.set(s.id, s.y.subarray(cut, cut + H));
    }
    const contexts = spec.contexts?.(trains);
    const made = new Map<string, SeriesForecast>();
    const t0 = performance.now();
    for (const t of trains) {
      made.set(
        t.id,
        forecastAuto(t.y as Float64Array, { combination: rule }, contexts?.get(t.id) ?? {}),
      );
    }
    ms += performance.now() - t0;
    const trainOf = new Map(trains.map((t) => [t.id, t.y as Float64Array]));
    // The catalogue steps of forecastMany: the class rule (`class` only), then calibration.
    const chosen = poolCombination(made);
    for (const [id, f] of poolCalibration(chosen)) {
      const train = trainOf.get(id) as Float64Array;
      const a = actual.get(id) as Float64Array;
      const sc = scoreForecast(train, a, f, H);
      if (!(sc.mase === sc.mase)) continue;
      const c = (chosen.get(id) as SeriesForecast).combination;
      fits.push({
        id,
        origin: o,
        mase: sc.mase,
        coverage: sc.coverage,
        demandClass: f.demandClass ?? 'smooth',
        rule: c?.rule,
        pooled: c?.pooled,
      });
    }
  }
  return { fits, ms };
}

function snaiveMase(spec: SetSpec): Map<string, number> {
  const out = new Map<string, number>();
  const model = getModel('snaive');
  for (let o = 1; o <= ORIGINS; o++) {
    for (const s of spec.series) {
      const cut = s.y.length - H * o;
      const train = s.y.subarray(0, Math.max(0, cut));
      if (cut < 2 || !(maseScale(train, H) > 0)) continue;
      const sc = scoreForecast(train, s.y.subarray(cut, cut + H), model.fit(train).forecast(H), H);
      if (sc.mase === sc.mase) out.set(`${s.id}@${o}`, sc.mase);
    }
  }
  return out;
}

const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;

async function figures(spec: SetSpec, rules: string[]): Promise<void> {
  const t0 = performance.now();
  const base = snaiveMase(spec);
  const byRule = new Map<string, Fit[]>();
  const msByRule = new Map<string, number>();
  for (const rule of rules) {
    const { fits, ms } = runRule(spec, rule);
    byRule.set(rule, fits);
    msByRule.set(rule, ms);
  }
  const key = (f: Fit) => `${f.id}@${f.origin}`;
  const snaive = mean([...(byRule.get(rules[0]) as Fit[])].map((f) => base.get(key(f)) as number));
  console.log(
    `\n=== ${spec.title} (${((performance.now() - t0) / 1000).toFixed(0)} s, load ${os.loadavg()[0].toFixed(1)}) ===`,
  );
  console.log('  rule      fits  MASE   rel. snaive  coverage  ms/fit');
  const row = (name: string, fits: Fit[], ms?: number) =>
    console.log(
      `  ${name.padEnd(8)} ${String(fits.length).padStart(5)}  ${mean(fits.map((f) => f.mase)).toFixed(3)}  ${(mean(fits.map((f) => f.mase)) / snaive).toFixed(3)}        ${mean(fits.map((f) => f.coverage)).toFixed(3)}${ms === undefined ? '' : `     ${(ms / fits.length).toFixed(1)}`}`,
    );
  for (const rule of rules) row(rule, byRule.get(rule) as Fit[], msByRule.get(rule));

  const count = (fits: Fit[]) => {
    const n: Record<string, number> = {};
    for (const f of fits)
      n[f.rule ?? 'top3 (no nesting)'] = (n[f.rule ?? 'top3 (no nesting)'] ?? 0) + 1;
    return Object.entries(n)
      .sort((a, b) => b[1] - a[1])
      .map(([r, k]) => `${r} ${k}`)
      .join(', ');
  };
  if (byRule.has('select'))
    console.log(`  select chose (per series): ${count(byRule.get('select') as Fit[])}`);
  console.log(
    '  class: mean nested abs. error / MASE scale of each rule over the class, per origin (lowest chosen):',
  );
  const seen = new Set<string>();
  for (const f of byRule.get('class') ?? []) {
    const g = `${f.origin}:${f.demandClass}`;
    if (!f.pooled || seen.has(g)) continue;
    seen.add(g);
    const p = f.pooled;
    console.log(
      `    ${g.padEnd(16)} ${COMBINATION_RULES.map((r) => `${r} ${p[r].toFixed(2)}`).join('  ')}  -> ${f.rule}`,
    );
  }
}

/**
 * CPU of the rule choice: forecastAuto's series per second on one thread with the default `top3`,
 * `select` and `class` (its catalogue step included), best of 3, on generated smooth and sporadic
 * series (the engine bench's catalogue).
 */
function ruleCost(): void {
  console.log(`\n=== Cost of the rule choice, one thread (load ${os.loadavg()[0].toFixed(1)}) ===`);
  const sets = {
    'smooth 200 × 400 days': smoothWeeklySeries(200, 400, 7),
    'engine catalogue 300 × 730 days': engineCatalogue(300, 730, 3),
  };
  const rules = ['top3', 'select', 'class'];
  for (const [name, series] of Object.entries(sets)) {
    const pass = (rule: string) => {
      const t0 = performance.now();
      const made = new Map<string, SeriesForecast>();
      for (const s of series)
        made.set(s.id, forecastAuto(s.y as Float64Array, { combination: rule }));
      poolCalibration(poolCombination(made));
      return (performance.now() - t0) / 1000;
    };
    // A warm-up pass of each rule, then rounds taking the rules in turn (the load of a shared
    // machine moves; the best round of each rule is kept).
    for (const rule of rules) pass(rule);
    const best = new Map(rules.map((r) => [r, Infinity]));
    for (let round = 0; round < 3; round++) {
      for (const rule of rules) best.set(rule, Math.min(best.get(rule) as number, pass(rule)));
    }
    const base = best.get('top3') as number;
    const line = rules
      .map((r) => {
        const t = best.get(r) as number;
        const extra = r === 'top3' ? '' : ` (${((100 * (t - base)) / base).toFixed(1)} % more CPU)`;
        return `${r} ${(series.length / t).toFixed(0)} series/s${extra}`;
      })
      .join(', ');
    console.log(`  ${name}: ${line}`);
  }
}

function globalContexts(trains: SeriesInput[]): Map<string, SeriesContext> {
  const { candidates } = fitGlobalModel(trains);
  const out = new Map<string, SeriesContext>();
  for (const [id, c] of candidates) out.set(id, { external: [c] });
  return out;
}

export async function combinationFigures(args: string[]): Promise<void> {
  const arg = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const sets = (arg('--sets') ?? 'superstore,gold,smooth,global,calendar').split(',');
  const count = Number(arg('--series') ?? 10);
  const rules = arg('--rules')?.split(',') ?? RULES;
  const superstore = loadGoldCsv(path.join(DATASETS, 'superstore/subcategory_daily_gold.csv'));
  const gold = loadGoldCsv(path.join(DATASETS, 'retail-ai-insights/forecast_ready.csv'));
  const smooth = smoothWeeklySeries(60, 400, 42);
  if (sets.includes('superstore') && superstore)
    await figures({ title: 'Superstore sub-categories (17 series)', series: superstore }, rules);
  if (sets.includes('gold') && gold)
    await figures({ title: 'retail-ai-insights Gold (61 × 61 days)', series: gold }, rules);
  if (sets.includes('smooth'))
    await figures({ title: 'Generated smooth (60 × 400 days, seed 42)', series: smooth }, rules);
  if (sets.includes('global')) {
    if (superstore)
      await figures(
        {
          title: 'Superstore + global model (auto+global)',
          series: superstore,
          contexts: globalContexts,
        },
        rules,
      );
    if (gold)
      await figures(
        {
          title: 'retail-ai-insights Gold + global model (auto+global)',
          series: gold,
          contexts: globalContexts,
        },
        rules,
      );
    await figures(
      {
        title: 'Generated smooth + global model (auto+global)',
        series: smooth,
        contexts: globalContexts,
      },
      rules,
    );
  }
  if (sets.includes('cost')) ruleCost();
  if (sets.some((s) => s.startsWith('calendar'))) {
    const start = '2023-01-02';
    const first = isoDateToDay(start) as number;
    const holidays = new Set(
      [...publicHolidays({ country: 'US' }, 2022, 2026).keys()].map(
        (d) => isoDateToDay(d) as number,
      ),
    );
    const contexts = (startDate: string) => (trains: SeriesInput[]) =>
      new Map(
        trains.map((t) => [
          t.id,
          {
            startDate,
            regressors: calendarRegressors({
              startDate,
              length: t.y.length,
              horizon: H,
              holidays: 'US',
            }),
          },
        ]),
      );
    if (sets.includes('calendar'))
      await figures(
        {
          title: `Generated smooth, weekly + yearly + US holidays, with US holidays (auto+US; ${count} × 800 days, seed 5)`,
          series: calendarSeries(count, 800, 5, holidays, first),
          contexts: contexts(start),
        },
        rules,
      );
    if (sets.includes('calendar-sporadic'))
      await figures(
        {
          title: `Generated sporadic with US holidays, with US holidays (auto+US; ${count} × 800 days, seed 6)`,
          series: sporadicCalendarSeries(count, 800, 6, holidays, first),
          contexts: contexts(start),
        },
        rules,
      );
    const ss = readGoldCsv(path.join(DATASETS, 'superstore/subcategory_daily_gold.csv'));
    if (sets.includes('calendar-superstore') && ss)
      await figures(
        {
          title: `Superstore with US holidays (auto+US; 17 series from ${ss.startDate})`,
          series: ss.series,
          contexts: contexts(ss.startDate),
        },
        rules,
      );
  }
}
