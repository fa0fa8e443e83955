import { describe, expect, it } from 'vitest';
import {
  ArimaStateSpace,
  expandArma,
  stationaryCovariance,
  type ArimaOrder,
} from '../src/models/arima/arimaCore';
import { ArmaWorkspace, armaLikelihood, stateCovariance } from '../src/models/arima/armaLikelihood';
import { lcg } from './series';

const order = (p: number, q: number, P: number, Q: number): ArimaOrder => ({
  p,
  d: 0,
  q,
  P,
  D: 0,
  Q,
  m: 7,
});

/** Stationary, invertible-or-not ARMA polynomials from random unconstrained parameters. */
function randomArma(o: ArimaOrder, r: () => number): { phi: Float64Array; theta: Float64Array } {
  const k = o.p + o.q + o.P + o.Q;
  const par = Float64Array.from({ length: k }, () => 3 * (r() - 0.5));
  return expandArma(par, o, true);
}

const ORDERS = [
  order(1, 0, 0, 0),
  order(0, 1, 0, 0),
  order(2, 2, 0, 0),
  order(1, 1, 1, 1),
  order(0, 0, 1, 2),
  order(5, 3, 2, 1),
  order(0, 1, 0, 1),
];

describe('stateCovariance (ARMA state covariance from autocovariances)', () => {
  it.each(ORDERS)('equals the Lyapunov series of stationaryCovariance for %o', (o) => {
    const r = lcg(11);
    for (let trial = 0; trial < 20; trial++) {
      const { phi, theta } = randomArma(o, r);
      const size = Math.max(phi.length, theta.length + 1);
      const want = stationaryCovariance(phi, theta, size);
      const got = stateCovariance(phi, theta, size) as Float64Array;
      const scale = Math.max(...want.map(Math.abs));
      for (let i = 0; i < want.length; i++) {
        expect(Math.abs(got[i] - want[i]) / scale).toBeLessThan(1e-9);
      }
    }
  });

  it('returns null for a unit root, so the caller falls back', () => {
    expect(stateCovariance(Float64Array.from([1]), new Float64Array(0), 1)).toBeNull();
  });
});

describe('armaLikelihood (Chandrasekhar recursions)', () => {
  it.each(ORDERS)('gives the sums of the full Kalman filter for %o', (o) => {
    const r = lcg(5);
    const y = Float64Array.from({ length: 300 }, () => 10 * (r() - 0.5));
    for (let trial = 0; trial < 10; trial++) {
      const { phi, theta } = randomArma(o, r);
      const size = Math.max(phi.length, theta.length + 1);
      const want = new ArimaStateSpace(phi, theta, new Float64Array(0)).filter(y);
      const got = armaLikelihood(y, phi, theta, new ArmaWorkspace(size));
      expect(got.nu).toBe(want.nu);
      expect(Math.abs(got.ssq - want.ssq) / want.ssq).toBeLessThan(1e-7);
      expect(Math.abs(got.sumlog - want.sumlog)).toBeLessThan(
        1e-7 * Math.max(1, Math.abs(want.sumlog)),
      );
    }
  });
});
