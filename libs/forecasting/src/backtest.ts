import { forecastAuto } from './auto';
import { classifyDemand } from './classify';
import { InvalidOptionError } from './errors';
import { finalizeQuantiles } from './intervals';
import { coverage, maseScale, quantileLoss } from './metrics';
import { getModel } from './models/registry';
import type {
  BacktestFit,
  BacktestOptions,
  BacktestReport,
  BacktestSummary,
  DemandClass,
  QuantileForecast,
  SeriesInput,
} from './types';

const CLASSES: DemandClass[] = ['smooth', 'erratic', 'intermittent', 'lumpy'];

function summarise(
  model: string,
  fits: BacktestFit[],
  skipped: number,
  failed: number,
): BacktestSummary {
  let mase = 0;
  let ae = 0;
  let act = 0;
  let err = 0;
  let ql = 0;
  let cov = 0;
  let ms = 0;
  for (const f of fits) {
    mase += f.mase;
    ae += f.absError;
    act += f.sumActual;
    err += f.error;
    ql += f.quantileLoss;
    cov += f.coverage;
    ms += f.fitMs;
  }
  const n = fits.length;
  return {
    model,
    fits: n,
    meanMase: n > 0 ? mase / n : NaN,
    wape: act > 0 ? ae / act : NaN,
    bias: act > 0 ? err / act : NaN,
    wql: act > 0 ? ql / act / 3 : NaN,
    coverage: n > 0 ? cov / n : NaN,
    meanFitMs: n > 0 ? ms / n : NaN,
    skipped,
    failed,
  };
}

/**
 * Rolling-origin evaluation (the team protocol: for each series and origin o = 1..origins cut the
 * last horizon·o days, forecast horizon days, score). MASE is scaled by the training part's
 * seasonal-naive MAE (naive when that is 0); a fit whose scale is still 0 is skipped and counted.
 * Pure apart from reading the clock for fit times.
 */
export function backtest(series: SeriesInput[], options: BacktestOptions): BacktestReport {
  const { horizon: h, origins } = options;
  const period = options.period ?? 7;
  if (!Number.isInteger(h) || h < 1) {
    throw new InvalidOptionError(`horizon ${h} is not allowed (expected an integer >= 1)`);
  }
  if (!Number.isInteger(origins) || origins < 1) {
    throw new InvalidOptionError(`origins ${origins} is not allowed (expected an integer >= 1)`);
  }
  if (options.models.length === 0) {
    throw new InvalidOptionError('models is empty (expected at least one model name or "auto")');
  }
  const runners = options.models.map((name) => {
    if (name === 'auto') {
      return (train: Float64Array) => {
        const f = forecastAuto(train, { ...options.auto, horizon: h });
        return { q: f as QuantileForecast, chosen: f.model.replace(/^statistical:/, '') };
      };
    }
    const model = getModel(name);
    return (train: Float64Array) => {
      const fitted = model.fit(train);
      return { q: finalizeQuantiles(fitted.forecast(h)), chosen: fitted.name };
    };
  });

  const fits: BacktestFit[] = [];
  const skipped = new Map<string, number>();
  const failed = new Map<string, number>();
  const bump = (m: Map<string, number>, key: string) => m.set(key, (m.get(key) ?? 0) + 1);
  const autoChoices: Record<string, number> = {};

  for (const s of series) {
    const demandClass = classifyDemand(s.y);
    for (let mi = 0; mi < options.models.length; mi++) {
      const model = options.models[mi];
      for (let o = 1; o <= origins; o++) {
        const cut = s.y.length - h * o;
        const train = s.y.subarray(0, Math.max(0, cut));
        const scale = maseScale(train, period);
        if (cut < 2 || !(scale > 0)) {
          bump(skipped, `${model}|${demandClass}`);
          continue;
        }
        const actual = s.y.subarray(cut, cut + h);
        const t0 = performance.now();
        let out: { q: QuantileForecast; chosen: string };
        try {
          out = runners[mi](train);
        } catch {
          bump(failed, `${model}|${demandClass}`);
          continue;
        }
        const fitMs = performance.now() - t0;
        if (model === 'auto') autoChoices[out.chosen] = (autoChoices[out.chosen] ?? 0) + 1;
        let absError = 0;
        let sumActual = 0;
        let error = 0;
        for (let k = 0; k < h; k++) {
          absError += Math.abs(out.q.p50[k] - actual[k]);
          error += out.q.p50[k] - actual[k];
          sumActual += actual[k];
        }
        fits.push({
          seriesId: s.id,
          model,
          chosen: out.chosen,
          origin: o,
          demandClass,
          mase: absError / h / scale,
          absError,
          sumActual,
          error,
          quantileLoss: quantileLoss(actual, out.q),
          coverage: coverage(actual, out.q),
          fitMs,
        });
      }
    }
  }

  const count = (m: Map<string, number>, model: string, cls?: DemandClass) => {
    let c = 0;
    for (const [k, v] of m) {
      const [mk, ck] = k.split('|');
      if (mk === model && (cls === undefined || ck === cls)) c += v;
    }
    return c;
  };
  const byModel = options.models.map((m) =>
    summarise(
      m,
      fits.filter((f) => f.model === m),
      count(skipped, m),
      count(failed, m),
    ),
  );
  const byClass: BacktestReport['byClass'] = {};
  for (const cls of CLASSES) {
    const inClass = fits.filter((f) => f.demandClass === cls);
    if (inClass.length === 0) continue;
    byClass[cls] = options.models.map((m) =>
      summarise(
        m,
        inClass.filter((f) => f.model === m),
        count(skipped, m, cls),
        count(failed, m, cls),
      ),
    );
  }
  return { horizon: h, origins, series: series.length, byModel, byClass, autoChoices, fits };
}

function fmt(v: number, digits = 3): string {
  return Number.isFinite(v) ? v.toFixed(digits) : '-';
}

function table(rows: BacktestSummary[], baseline?: BacktestSummary): string {
  const header = [
    'model',
    'fits',
    'MASE',
    'rel.snaive',
    'WAPE',
    'bias',
    'wQL',
    'cov80',
    'ms/fit',
    'skip',
    'fail',
  ];
  const body = [...rows]
    .sort((a, b) => (a.meanMase || Infinity) - (b.meanMase || Infinity))
    .map((r) => [
      r.model,
      String(r.fits),
      fmt(r.meanMase),
      baseline && baseline.meanMase > 0 ? fmt(r.meanMase / baseline.meanMase) : '-',
      fmt(r.wape),
      fmt(r.bias),
      fmt(r.wql),
      fmt(r.coverage, 2),
      fmt(r.meanFitMs, 1),
      String(r.skipped),
      String(r.failed),
    ]);
  const all = [header, ...body];
  const widths = header.map((_, i) => Math.max(...all.map((row) => row[i].length)));
  const line = (row: string[]) =>
    row.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

/** `top3(theta,combo(ets,theta,snaive),ets(A,N,A))` → `top3{combo,ets,theta}`. */
function poolKey(chosen: string): string {
  const m = /^(top\d+)\((.*)\)$/.exec(chosen);
  if (!m) return chosen;
  const members: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of m[2]) {
    if (ch === '(' || ch === ')') {
      depth += ch === '(' ? 1 : -1;
    } else if (depth === 0 && ch === ',') {
      members.push(current);
      current = '';
    } else if (depth === 0) {
      current += ch;
    }
  }
  members.push(current);
  return `${m[1]}{${members.sort().join(',')}}`;
}

/** Plain-text leaderboard: overall, then per demand class, then what `auto` chose. */
export function formatLeaderboard(report: BacktestReport): string {
  const base = (rows: BacktestSummary[]) => rows.find((r) => r.model === 'snaive');
  const parts = [
    `Backtest: ${report.series} series, h = ${report.horizon}, ${report.origins} origins (MASE = mean over fits; WAPE, bias, wQL pooled)`,
    table(report.byModel, base(report.byModel)),
  ];
  for (const cls of CLASSES) {
    const rows = report.byClass[cls];
    if (!rows) continue;
    parts.push('', `Demand class: ${cls}`, table(rows, base(rows)));
  }
  // Group pools by their members (parameters and rank order dropped) so the line stays short.
  const grouped = new Map<string, number>();
  for (const [chosen, count] of Object.entries(report.autoChoices)) {
    const key = poolKey(chosen);
    grouped.set(key, (grouped.get(key) ?? 0) + count);
  }
  const choices = [...grouped].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  if (choices.length > 0) {
    const shown = choices.slice(0, 8).map(([k, v]) => `${k} ×${v}`);
    if (choices.length > 8) shown.push(`${choices.length - 8} more`);
    parts.push('', `auto chose: ${shown.join(', ')}`);
  }
  return parts.join('\n');
}
