import { ForecastingError } from '../errors';
import { finalizeQuantiles } from '../intervals';
import type { FittedModel, Model, QuantileForecast } from '../types';

export type Combiner = 'median' | 'mean';

/**
 * Combines quantile forecasts level by level (quantile averaging, "Vincentisation"): the combined
 * P10 is the median (or mean) of the members' P10s, and so on, which keeps the ordering. The
 * members' `mean`s (a member without one counts its P50) combine the same way, when any has one.
 */
export function combineQuantiles(
  parts: QuantileForecast[],
  how: Combiner = 'median',
): QuantileForecast {
  const h = parts[0]?.p50.length ?? 0;
  const out: QuantileForecast = {
    p10: new Float64Array(h),
    p50: new Float64Array(h),
    p90: new Float64Array(h),
  };
  const buf = new Float64Array(parts.length);
  const combine = (level: (q: QuantileForecast) => Float64Array, into: Float64Array) => {
    for (let k = 0; k < h; k++) {
      for (let i = 0; i < parts.length; i++) buf[i] = level(parts[i])[k];
      into[k] = how === 'mean' ? buf.reduce((a, b) => a + b, 0) / buf.length : medianOf(buf);
    }
  };
  for (const key of ['p10', 'p50', 'p90'] as const) combine((q) => q[key], out[key]);
  // The means combine like the P50s they stand beside; a part without one has P50 = mean.
  if (parts.some((q) => q.mean)) {
    out.mean = new Float64Array(h);
    combine((q) => q.mean ?? q.p50, out.mean);
  }
  return finalizeQuantiles(out);
}

function medianOf(x: Float64Array): number {
  const s = Float64Array.from(x).sort();
  const n = s.length;
  return n % 2 === 1 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

/**
 * A combination model over other models. A member that fails to fit is left out (the
 * combination is then over the rest); if all fail the last error is rethrown.
 */
export function comboModel(members: Model[], how: Combiner = 'median'): Model {
  const name = `combo(${members.map((m) => m.name).join(',')})`;
  return {
    name: how === 'median' ? name : `mean-${name}`,
    fit(y: Float64Array): FittedModel {
      const fits: FittedModel[] = [];
      let lastError: unknown;
      for (const m of members) {
        try {
          fits.push(m.fit(y));
        } catch (err) {
          // A member that cannot fit drops out; a bug in a member is not hidden.
          if (!(err instanceof ForecastingError)) throw err;
          lastError = err;
        }
      }
      if (fits.length === 0) throw lastError;
      return {
        name:
          how === 'median'
            ? `combo(${fits.map((f) => shortName(f.name)).join(',')})`
            : `mean-combo(${fits.map((f) => shortName(f.name)).join(',')})`,
        forecast: (h) =>
          combineQuantiles(
            fits.map((f) => f.forecast(h)),
            how,
          ),
      };
    },
  };
}

/** `ets(M,Ad,M)` → `ets` inside combination names, which stay short and stable. */
function shortName(name: string): string {
  const i = name.indexOf('(');
  return i > 0 ? name.slice(0, i) : name;
}
