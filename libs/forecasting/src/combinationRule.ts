import { InvalidOptionError } from './errors';
import { finalizeQuantiles } from './intervals';
import { maseScale, pinballLoss } from './metrics';
import { combineQuantiles } from './models/combo';
import type { DemandClass, QuantileForecast, SeriesForecast } from './types';

/** A candidate's forecast from one origin, and the name of what produced it. */
export interface RaceFit {
  q: QuantileForecast;
  name: string;
}

/**
 * The race `forecastAuto` ran: `get(c, o)` is candidate c's forecast from origin o (o = 0: the
 * end of the history; o = 1..k: `cuts[o]` days, the validation origins, newest first), or
 * undefined when c could not forecast from there. `x` is the fitted history, `h` the horizon.
 */
export interface Race {
  get(candidate: string, origin: number): RaceFit | undefined;
  candidates: readonly string[];
  x: Float64Array;
  cuts: readonly number[];
  h: number;
  /** Rank equal P50 errors by the tails' pinball loss (`rankCandidates`): set for sporadic
   * demand by `forecastAuto`. Absent, ties keep the candidate order. */
  tailTieBreak?: boolean;
  /**
   * Known events (holidays, promotions: a regressor not 0) on the `h` days from origin `o`'s cut,
   * one flag per day, or undefined where there is none; with `eventReaders`, the candidates that
   * read them (the calendar candidate, external candidates). On such a day every rule's answer
   * takes the readers' forecast: its members that read, else the best-ranked reader (`applyRule`).
   */
  eventDays?: (o: number) => Uint8Array | undefined;
  eventReaders?: ReadonlySet<string>;
}

/**
 * The fixed combination rules, in the order `select` prefers them on a tie (the previous
 * default first):
 * - `topN`: median (quantile by quantile) of the N best-validated candidates; `top1` is plain
 *   selection;
 * - `meanN`: their mean;
 * - `weighted`: every candidate weighted by the inverse of its validation mean squared error
 *   (Bates & Granger 1969 "error weights"; the validation counterpart of Kolassa's 2011 AIC
 *   weights), quantile by quantile;
 * - `all`: median of all candidates.
 */
export const COMBINATION_RULES = [
  'top3',
  'top1',
  'top2',
  'top5',
  'mean3',
  'weighted',
  'all',
] as const;

/**
 * The rules `select` and `class` choose among: how many of the best-ranked candidates to pool
 * (the pool depth of Kourentzes, Barrow & Petropoulos 2019), the default first. The other rules
 * stay selectable by name and are scored alongside (`nestedRuleScores`), but choosing among all
 * seven was measured to lose to this one-parameter family on two of the bench's sets (more rules
 * to choose from, the same evidence: the winner's curse), and none of them won on any set as a
 * fixed rule by more than 0.002 (README "Combination rule").
 */
export const CHOOSABLE_RULES = ['top3', 'top1', 'top2'] as const;

/** The default when `AutoOptions.combination` and `combineTop` are not given. */
export const DEFAULT_COMBINATION = 'top3';

/** `select`: the rule with the lowest nested-validation error on this series. */
export const SELECT = 'select';
/** `class`: the rule of lowest nested-validation error over the catalogue's demand class
 * (`poolCombination`, the catalogue step of `forecastMany` and `backtest`). */
export const CLASS = 'class';

type Parsed =
  | { kind: 'median' | 'mean'; n: number }
  | { kind: 'weighted' }
  | { kind: 'all' }
  | { kind: 'select' }
  | { kind: 'class' };

/**
 * Reads a combination rule: `topN` / `meanN` (N >= 1), `weighted`, `all`, `select` or `class`.
 * Throws `InvalidOptionError` naming the value otherwise.
 */
export function parseCombination(rule: string): Parsed {
  const m = /^(top|mean)([1-9][0-9]*)$/.exec(rule);
  if (m) return { kind: m[1] === 'top' ? 'median' : 'mean', n: Number(m[2]) };
  if (rule === 'weighted' || rule === 'all' || rule === SELECT || rule === CLASS) {
    return { kind: rule };
  }
  throw new InvalidOptionError(
    `combination "${rule}" is not allowed (expected top<N> or mean<N> with N = 1, 2, 3, …, weighted, all, select or class)`,
  );
}

interface Ranked {
  candidate: string;
  /** Sum of absolute errors of P50 over the ranking origins (units of demand). */
  ae: number;
  /** Sum of squared errors and scored days, for `weighted`. */
  se: number;
  days: number;
  /** Pinball losses of P10 and P90 summed over the same days (units of demand): the tie-break,
   * 0 where it does not apply (`rankCandidates`). */
  tail: number;
}

/**
 * Candidates ranked by their P50's absolute error summed over validation origins `from..to`
 * except `skip`, best first. With `race.tailTieBreak` (sporadic demand), equal errors are ranked
 * by the pinball losses of P10 and P90 over the same days: sporadic demand ties often (where
 * every candidate's count median is 0 on every validation day, every P50 error is the day's
 * sales), and there the rest of the interval tells the candidates apart, by the loss the wQL
 * scores. Where the validation days sold nothing at all, or the losses are equal too, the sort is
 * stable and keeps the candidate order, which lists the class's safer choice first
 * (`SMOOTH_CANDIDATES`, `INTERMITTENT_CANDIDATES` in `auto.ts`): weeks without a sale reward the
 * lowest P90 and cannot tell a mean that is too low from a right one. A candidate missing at any
 * origin is left out; a missing actual day is not scored.
 */
export function rankCandidates(race: Race, from: number, to: number, skip = 0): Ranked[] {
  const { x, cuts, h } = race;
  const byTails = race.tailTieBreak === true && soldOnValidationDays(race, from, to, skip);
  const out: Ranked[] = [];
  for (const c of race.candidates) {
    let ae = 0;
    let se = 0;
    let days = 0;
    let tail = 0;
    let ok = true;
    for (let o = from; o <= to && ok; o++) {
      if (o === skip) continue;
      const r = race.get(c, o);
      if (!r) {
        ok = false;
        break;
      }
      const cut = cuts[o];
      // Summed per origin, then over origins (the order the sums have always been taken in).
      let block = 0;
      for (let k = 0; k < h; k++) {
        const d = r.q.p50[k] - x[cut + k];
        if (d !== d) continue;
        block += Math.abs(d);
        se += d * d;
        days++;
      }
      ae += block;
      if (byTails) {
        const actual = x.subarray(cut, cut + h);
        tail += pinballLoss(actual, r.q.p10, 0.1) + pinballLoss(actual, r.q.p90, 0.9);
      }
    }
    if (ok) out.push({ candidate: c, ae, se, days, tail });
  }
  return out.sort((a, b) => a.ae - b.ae || a.tail - b.tail);
}

/** Whether any validation day of origins `from..to` except `skip` sold something. */
function soldOnValidationDays(race: Race, from: number, to: number, skip: number): boolean {
  for (let o = from; o <= to; o++) {
    if (o === skip) continue;
    for (let k = 0; k < race.h; k++) if (race.x[race.cuts[o] + k] > 0) return true;
  }
  return false;
}

/** A rule applied at one origin: the combined forecast, its name and its members. */
export interface Combined {
  q: QuantileForecast;
  name: string;
  members: string[];
  /** Weights of the members (`weighted` only), summing to 1. */
  weights?: number[];
}

/**
 * Combines the ranked candidates' forecasts from origin `o` by `rule` (not `select`). Members
 * are taken in ranking order among the candidates that forecast from `o`; `members` fixes them
 * (and `weights` their weights) instead, so the answer and its validation blocks pool the same
 * candidates. Undefined when no candidate forecasts from `o`.
 */
export function applyRule(
  race: Race,
  ranked: readonly Ranked[],
  rule: string,
  o: number,
  fixed?: { members: string[]; weights?: number[] },
): Combined | undefined {
  const p = parseCombination(rule);
  let members: string[];
  let weights: number[] | undefined;
  if (fixed) {
    members = fixed.members;
    weights = fixed.weights;
  } else {
    // Only as many forecasts from `o` as the rule takes are asked for: from the end of the
    // history each is a fit (or a carried-forward model) not made for the validation.
    const n = p.kind === 'median' || p.kind === 'mean' ? p.n : ranked.length;
    const chosen: Ranked[] = [];
    for (const r of ranked) {
      if (chosen.length === n) break;
      if (race.get(r.candidate, o) !== undefined) chosen.push(r);
    }
    members = chosen.map((r) => r.candidate);
    if (p.kind === 'weighted') weights = errorWeights(chosen);
  }
  if (members.length === 0) return undefined;
  const fits = members.map((c) => race.get(c, o) as RaceFit);
  const names = fits.map((f) => f.name).join(',');
  const how = p.kind === 'mean' || weights ? 'mean' : 'median';
  let combined: Combined;
  if (fits.length === 1) combined = { q: fits[0].q, name: fits[0].name, members, weights };
  else if (weights)
    combined = {
      q: weightedQuantiles(fits, weights),
      name: `weighted(${names})`,
      members,
      weights,
    };
  else {
    const label = p.kind === 'all' ? 'all' : p.kind === 'mean' ? 'mean' : 'top';
    combined = {
      q: combineQuantiles(
        fits.map((f) => f.q),
        how,
      ),
      name: `${label}${fits.length}(${names})`,
      members,
    };
  }
  return { ...combined, q: onEventDays(race, ranked, o, members, fits, combined.q, how) };
}

/**
 * `q` with each day of a known event from origin `o` replaced by the forecast of the members that
 * read events (combined by `how`), or where no member does, by the best-ranked candidate that
 * does: a member blind to a holiday forecasts an ordinary day there, and the median of two blind
 * members and one that knows puts the holiday back near an ordinary day. The race ranks on the
 * validation weeks, which seldom hold the event, so a reader that lost them on ordinary days is
 * still the only one that knows the holiday. Other days, and combinations of readers only, keep
 * `q`.
 */
function onEventDays(
  race: Race,
  ranked: readonly Ranked[],
  o: number,
  members: readonly string[],
  fits: readonly RaceFit[],
  q: QuantileForecast,
  how: 'mean' | 'median',
): QuantileForecast {
  const readers = race.eventReaders;
  const days = readers && race.eventDays?.(o);
  if (!days) return q;
  // A candidate is named by its fit (`dhr(ar[1,7],…)`): its family before the parameters.
  const reads = (m: string) => readers.has(m.includes('(') ? m.slice(0, m.indexOf('(')) : m);
  let reading = fits.filter((_, i) => reads(members[i]));
  if (reading.length === fits.length) return q;
  if (reading.length === 0) {
    const best = ranked.find((r) => reads(r.candidate) && race.get(r.candidate, o) !== undefined);
    if (best) reading = [race.get(best.candidate, o) as RaceFit];
  }
  if (reading.length === 0) return q;
  const theirs =
    reading.length === 1
      ? reading[0].q
      : combineQuantiles(
          reading.map((f) => f.q),
          how,
        );
  const out: QuantileForecast = {
    p10: Float64Array.from(q.p10),
    p50: Float64Array.from(q.p50),
    p90: Float64Array.from(q.p90),
    ...(q.mean ? { mean: Float64Array.from(q.mean) } : {}),
  };
  for (let k = 0; k < days.length; k++) {
    if (!days[k]) continue;
    out.p10[k] = theirs.p10[k];
    out.p50[k] = theirs.p50[k];
    out.p90[k] = theirs.p90[k];
    if (out.mean) out.mean[k] = theirs.mean?.[k] ?? theirs.p50[k];
  }
  return out;
}

/**
 * Inverse-MSE weights (Bates & Granger 1969). A candidate with no validation error takes the
 * whole weight (shared among such candidates); one with no scored day gets the mean weight.
 */
function errorWeights(ranked: readonly Ranked[]): number[] {
  const mse = ranked.map((r) => (r.days > 0 ? r.se / r.days : Number.NaN));
  const perfect = mse.map((m): number => (m === 0 ? 1 : 0));
  const nPerfect = perfect.reduce((a, b) => a + b, 0);
  if (nPerfect > 0) return perfect.map((v) => v / nPerfect);
  const inv = mse.map((m) => (m === m ? 1 / m : Number.NaN));
  const known = inv.filter((v) => v === v);
  const fill = known.length > 0 ? known.reduce((a, b) => a + b, 0) / known.length : 1;
  const w = inv.map((v) => (v === v ? v : fill));
  const total = w.reduce((a, b) => a + b, 0);
  return w.map((v) => v / total);
}

/** Weighted mean of quantile forecasts, level by level (quantile averaging keeps the order). */
function weightedQuantiles(fits: readonly RaceFit[], weights: readonly number[]): QuantileForecast {
  const h = fits[0].q.p50.length;
  const out: QuantileForecast = {
    p10: new Float64Array(h),
    p50: new Float64Array(h),
    p90: new Float64Array(h),
  };
  const withMean = fits.some((f) => f.q.mean);
  if (withMean) out.mean = new Float64Array(h);
  for (const key of ['p10', 'p50', 'p90', ...(withMean ? (['mean'] as const) : [])] as const) {
    const into = out[key] as Float64Array;
    for (let i = 0; i < fits.length; i++) {
      // A member without a mean has P50 = mean.
      const a = fits[i].q[key] ?? fits[i].q.p50;
      const w = weights[i];
      for (let k = 0; k < h; k++) into[k] += w * a[k];
    }
  }
  return finalizeQuantiles(out);
}

/**
 * Nested validation of the combination rules, leaving one origin out: for each validation origin
 * t = 1..k, rank the candidates on the other k−1 origins alone, combine by each rule at t, and
 * add the absolute error of its P50 over t's h days. Returns each rule's sum (units of demand;
 * lower is better), or undefined with fewer than two validation origins (nothing to nest).
 * Every rule is judged on a ranking of the same k−1 origins and on all k·h validation days.
 * (Ranking on the older origins only and scoring on the newer ones was measured too: it scores
 * each rule on fewer days, after a ranking on fewer origins, and chose worse rules in the bench,
 * `npm run bench -- combination`.) The candidates' forecasts are those of the race (no refit),
 * so this costs only rankings and combinations.
 */
export function nestedRuleScores(
  race: Race,
  rules: readonly string[] = COMBINATION_RULES,
): Record<string, number> | undefined {
  const k = race.cuts.length - 1;
  if (k < 2) return undefined;
  const scores: Record<string, number> = Object.fromEntries(rules.map((r) => [r, 0]));
  for (let t = 1; t <= k; t++) {
    const ranked = rankCandidates(race, 1, k, t);
    const cut = race.cuts[t];
    for (const rule of rules) {
      const c = applyRule(race, ranked, rule, t);
      if (!c) {
        scores[rule] = Number.POSITIVE_INFINITY;
        continue;
      }
      let ae = 0;
      for (let j = 0; j < race.h; j++) {
        const d = Math.abs(c.q.p50[j] - race.x[cut + j]);
        if (d === d) ae += d;
      }
      scores[rule] += ae;
    }
  }
  return scores;
}

/** The rule of `CHOOSABLE_RULES` with the lowest nested score; ties go to the earlier one. */
export function chooseRule(scores: Record<string, number>): string {
  let best = DEFAULT_COMBINATION;
  for (const rule of CHOOSABLE_RULES) {
    if (rule in scores && scores[rule] < scores[best]) best = rule;
  }
  return best;
}

/** A rule's answer: the combined forecast from the end and the same combination of the same
 * members from each validation origin 1..k, scored against what followed (for conformal
 * calibration). */
export interface RuleAnswer extends Combined {
  blocks: { q: QuantileForecast; actual: Float64Array }[];
}

/** What `combineRace` decided, for the answer and its diagnostics. */
export interface RaceAnswer extends RuleAnswer {
  /** The rule applied (`select` resolves to one of `COMBINATION_RULES`; `class` answers `top3`
   * until the catalogue step chooses). */
  rule: string;
  /** Nested-validation scores of the rules (`select` and `class`, with 2+ origins). */
  nested?: Record<string, number>;
  /** `class` only: the answer of every rule of `CHOOSABLE_RULES`, for the catalogue step. */
  alternatives?: Record<string, RuleAnswer>;
}

function answerByRule(race: Race, ranked: readonly Ranked[], rule: string): RuleAnswer | undefined {
  const final = applyRule(race, ranked, rule, 0);
  if (!final) return undefined;
  const blocks = race.cuts.slice(1).map((cut, i) => ({
    q: (applyRule(race, ranked, rule, i + 1, final) as Combined).q,
    actual: race.x.subarray(cut, cut + race.h),
  }));
  return { ...final, blocks };
}

/**
 * The answer of a ranked race: the candidates ranked on all validation origins, combined from
 * the end of the history by `rule` (`select`: the rule of lowest nested score, see
 * `nestedRuleScores`; `class`: every rule's answer, `top3` until `poolCombination` chooses; with
 * fewer than 2 origins both give the default `top3`). The validation blocks pool the same members
 * with the same weights (for conformal calibration). Undefined when no ranked candidate forecasts
 * from the end.
 */
export function combineRace(race: Race, rule: string): RaceAnswer | undefined {
  const k = race.cuts.length - 1;
  let applied = rule;
  let nested: Record<string, number> | undefined;
  if (rule === SELECT || rule === CLASS) {
    nested = nestedRuleScores(race);
    applied = nested && rule === SELECT ? chooseRule(nested) : DEFAULT_COMBINATION;
  }
  const ranked = rankCandidates(race, 1, k).filter((r) => Number.isFinite(r.ae));
  const main = answerByRule(race, ranked, applied);
  if (!main) return undefined;
  let alternatives: Record<string, RuleAnswer> | undefined;
  if (rule === CLASS && nested) {
    alternatives = {};
    for (const r of CHOOSABLE_RULES) {
      alternatives[r] = r === applied ? main : (answerByRule(race, ranked, r) as RuleAnswer);
    }
  }
  return {
    ...main,
    rule: applied,
    ...(nested ? { nested } : {}),
    ...(alternatives ? { alternatives } : {}),
  };
}

/**
 * `forecastAuto`'s answer with the combination's diagnostics: `nested` scores (`select`,
 * `class`), and for `class` every rule's answer (made by `make`, as the main one was) and the
 * series' MASE scale, pending the catalogue step.
 */
export function withCombination(
  f: SeriesForecast,
  pick: RaceAnswer,
  make: (a: RuleAnswer) => SeriesForecast,
  x: Float64Array,
  period: number,
): SeriesForecast {
  if (!pick.nested) return f;
  if (!pick.alternatives) return { ...f, combination: { rule: pick.rule, nested: pick.nested } };
  const alternatives: Record<string, SeriesForecast> = {};
  for (const [r, a] of Object.entries(pick.alternatives)) {
    alternatives[r] = r === pick.rule ? f : make(a);
  }
  return {
    ...f,
    combination: {
      rule: pick.rule,
      nested: pick.nested,
      scale: maseScale(x, period),
      alternatives,
    },
  };
}

/**
 * The catalogue step of `combination: 'class'` (owner: `forecastMany` and `backtest`, after every
 * series is forecast and before `poolCalibration`): for each demand class, each rule's nested
 * score divided by the series' MASE scale (so every series counts alike, whatever its volume) is
 * averaged over the class's series that carry their alternatives; the rule of
 * `CHOOSABLE_RULES` of lowest mean (ties: the earlier) answers for every such series of the class. Forecasts
 * without alternatives (unranked, or fewer than 2 validation origins) are returned as they are.
 * Returns new forecasts (the map's order kept); a chosen one keeps `combination: { rule, nested,
 * pooled }`, `pooled` being its class's mean scores (why the rule was chosen).
 * Depends on the whole catalogue, so a sharded run does not equal the unsharded one.
 */
export function poolCombination<K>(forecasts: Map<K, SeriesForecast>): Map<K, SeriesForecast> {
  const sums = new Map<DemandClass | undefined, { n: number; total: Record<string, number> }>();
  for (const f of forecasts.values()) {
    const c = f.combination;
    if (!c?.alternatives || !(c.scale !== undefined && c.scale > 0)) continue;
    let g = sums.get(f.demandClass);
    if (!g) {
      g = { n: 0, total: Object.fromEntries(COMBINATION_RULES.map((r) => [r, 0])) };
      sums.set(f.demandClass, g);
    }
    g.n++;
    for (const r of COMBINATION_RULES) g.total[r] += c.nested[r] / c.scale;
  }
  const chosen = new Map<
    DemandClass | undefined,
    { rule: string; pooled: Record<string, number> }
  >();
  for (const [cls, g] of sums) {
    const pooled = Object.fromEntries(COMBINATION_RULES.map((r) => [r, g.total[r] / g.n]));
    chosen.set(cls, { rule: chooseRule(pooled), pooled });
  }
  const out = new Map<K, SeriesForecast>();
  for (const [key, f] of forecasts) {
    const c = f.combination;
    if (!c?.alternatives) {
      out.set(key, f);
      continue;
    }
    const pick = chosen.get(f.demandClass);
    const rule = pick?.rule ?? c.rule;
    const { combination: _, ...answer } = c.alternatives[rule] ?? f;
    out.set(key, {
      ...answer,
      combination: { rule, nested: c.nested, ...(pick ? { pooled: pick.pooled } : {}) },
    });
  }
  return out;
}
