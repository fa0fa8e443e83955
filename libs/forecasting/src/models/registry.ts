import { UnknownModelError } from '../errors';
import type { Model } from '../types';
import { naiveModel, recentMeanModel, seasonalNaiveModel } from './baseline';
import { arimaModel, sarimaModel } from './arima';
import { comboModel } from './combo';
import { etsModel } from './ets';
import { crostonModel, sbaModel, tsbModel } from './intermittent';
import { sesModel } from './ses';
import { dotmModel, otmModel, thetaModel } from './theta';

/** Median of ETS, Theta and seasonal naive: three different views of level, trend and season. */
export const comboEtsThetaSnaive: Model = {
  ...comboModel([etsModel, thetaModel, seasonalNaiveModel]),
  name: 'combo',
};

/**
 * Median of ETS, the pool's seasonal ARIMA (`sarima`) and Theta: the three classical families
 * whose combination is the usual strong statistical benchmark (ETS + ARIMA + Theta; M4's own
 * "Comb" averages SES, Holt and damped trend instead). A separate name, so `combo` keeps its
 * members (ETS, Theta, seasonal naive).
 */
export const comboEtsArimaTheta: Model = {
  ...comboModel([etsModel, sarimaModel, thetaModel]),
  name: 'combo-eat',
};

/** Every model by its CLI name. */
export const MODELS: Readonly<Record<string, Model>> = Object.freeze({
  naive: naiveModel,
  snaive: seasonalNaiveModel,
  mean: recentMeanModel,
  ses: sesModel,
  theta: thetaModel,
  otm: otmModel,
  dotm: dotmModel,
  croston: crostonModel,
  sba: sbaModel,
  tsb: tsbModel,
  ets: etsModel,
  arima: arimaModel,
  sarima: sarimaModel,
  combo: comboEtsThetaSnaive,
  'combo-eat': comboEtsArimaTheta,
});

/** Each registry combination by its members' registry names, in member order. */
const COMBO_BY_MEMBERS: ReadonlyMap<string, string> = new Map([
  [[etsModel, thetaModel, seasonalNaiveModel].map((m) => m.name).join(','), 'combo'],
  [[etsModel, sarimaModel, thetaModel].map((m) => m.name).join(','), 'combo-eat'],
]);

/**
 * The registry name of a fitted model name, for counts and leaderboards: `ets(M,Ad,M)` → `ets`,
 * `sarima:mean-fallback` → `sarima`, `combo(ets,sarima,theta)` → `combo-eat`,
 * `combo(ets,theta,snaive)` → `combo`. A combination one of whose members did not fit keeps its
 * members (`combo(ets,theta)`), since it is neither.
 */
export function modelFamily(fitted: string): string {
  const combo = /^combo\((.*)\)$/.exec(fitted);
  if (combo) {
    const members = combo[1].split(',').map((m) => /^[a-z0-9-]*/.exec(m)![0]);
    return COMBO_BY_MEMBERS.get(members.join(',')) ?? fitted;
  }
  if (/^mean-combo\(/.test(fitted)) return fitted;
  return /^[a-z0-9-]*/.exec(fitted)![0] || fitted;
}

export function modelNames(): string[] {
  return Object.keys(MODELS);
}

export function getModel(name: string): Model {
  const m = Object.prototype.hasOwnProperty.call(MODELS, name) ? MODELS[name] : undefined;
  if (!m) {
    throw new UnknownModelError(
      `model "${name}" is not known (expected one of ${modelNames().join(', ')})`,
    );
  }
  return m;
}
