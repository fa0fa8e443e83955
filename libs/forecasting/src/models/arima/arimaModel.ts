/**
 * The `arima` model of the registry: R's `auto.arima` (weekly season, m = 7) on the daily
 * series, its 7-day P50 the ARIMA mean and P10/P90 the Gaussian 80 % interval. Selectable by name;
 * not in the automatic candidate pool.
 */
import { flat, normalQuantiles, residualSd } from '../../intervals';
import { assertSomeKnown, observed } from '../../missing';
import { mean } from '../../numeric/stats';
import type { FittedModel, Model } from '../../types';
import { ArimaFitError } from './arimaErrors';
import { orderName, type ArimaFit } from './arimaFit';
import { autoArima } from './autoArima';

/** `arima(2,1,1)(0,1,1)[7]+drift`: the chosen orders and constant, lower-cased like `ets(...)`. */
export function arimaModelName(fit: ArimaFit): string {
  const nd = fit.order.d + fit.order.D;
  const constant = !fit.constant ? '' : nd === 0 ? '+mean' : '+drift';
  return orderName(fit.order).replace('ARIMA', 'arima') + constant;
}

/**
 * Fits `autoArima` and wraps it as a FittedModel. When no ARIMA model can be estimated (one or
 * two known days, say) or its forecast is not finite, the answer is the mean of the known days
 * with their standard deviation, named `arima:mean-fallback` so it is never mistaken for ARIMA.
 * @throws InvalidSeriesError when every day is missing.
 */
export function fitArimaModel(y: Float64Array): FittedModel {
  assertSomeKnown(y, 'arima');
  let fit: ArimaFit | null = null;
  try {
    fit = autoArima(y);
  } catch (e) {
    if (!(e instanceof ArimaFitError)) throw e;
  }
  if (fit !== null) {
    const probe = fit.forecast(1);
    if (Number.isFinite(probe.mean[0]) && Number.isFinite(probe.se[0])) {
      const chosen = fit;
      return {
        name: arimaModelName(chosen),
        aicc: chosen.aicc,
        forecast(h) {
          const { mean: point, se } = chosen.forecast(h);
          return normalQuantiles(point, (k) => se[k]);
        },
      };
    }
  }
  return meanFallback(y, 'arima:mean-fallback');
}

/** The mean of the known days with their standard deviation, for when no ARIMA can be fitted. */
export function meanFallback(y: Float64Array, name: string): FittedModel {
  const known = observed(y);
  const level = mean(known);
  const centred = known.map((v) => v - level);
  const sd = residualSd(centred, 0, 1);
  return { name, forecast: (h) => normalQuantiles(flat(level, h), () => sd) };
}

export const arimaModel: Model = { name: 'arima', fit: fitArimaModel };
