/**
 * Polynomial helpers of the ARIMA model: complex roots (for the stationarity and invertibility
 * checks) and the reflection of non-invertible MA roots, as R's `polyroot` and `maInvert`.
 */

/** Moduli of the complex roots of c[0] + c[1] z + … + c[n] z^n (trailing zeros dropped). */
export function rootModuli(coefs: ArrayLike<number>): Float64Array {
  const { re, im } = polyRoots(coefs);
  const out = new Float64Array(re.length);
  for (let i = 0; i < re.length; i++) out[i] = Math.hypot(re[i], im[i]);
  return out;
}

/** Smallest root modulus of c[0] + c[1] z + …; Infinity for a constant polynomial. */
export function minRootModulus(coefs: ArrayLike<number>): number {
  let min = Number.POSITIVE_INFINITY;
  for (const v of rootModuli(coefs)) if (v < min) min = v;
  return min;
}

/**
 * Complex roots by the Aberth–Ehrlich simultaneous iteration (cubic convergence for simple
 * roots). Degrees here are at most p + 7P ≈ 20, where it converges in a few dozen sweeps.
 */
export function polyRoots(coefs: ArrayLike<number>): { re: Float64Array; im: Float64Array } {
  let n = coefs.length - 1;
  while (n > 0 && coefs[n] === 0) n--;
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  if (n === 0) return { re, im };
  // Monic, highest degree first: a[0] = 1, a[k] = c[n-k] / c[n].
  const a = new Float64Array(n + 1);
  for (let k = 0; k <= n; k++) a[k] = coefs[n - k] / coefs[n];
  // Starting points on a circle of the Cauchy bound's radius, rotated off the axes.
  let radius = 0;
  for (let k = 1; k <= n; k++) radius = Math.max(radius, Math.abs(a[k]) ** (1 / k));
  radius = Math.max(radius, 1e-3);
  for (let i = 0; i < n; i++) {
    const angle = (2 * Math.PI * i) / n + 0.4;
    re[i] = radius * Math.cos(angle);
    im[i] = radius * Math.sin(angle);
  }
  for (let sweep = 0; sweep < 500; sweep++) {
    let moved = 0;
    for (let i = 0; i < n; i++) {
      // p(z) and p'(z) by Horner.
      let pr = 1;
      let pi = 0;
      let dr = 0;
      let di = 0;
      const zr = re[i];
      const zi = im[i];
      for (let k = 1; k <= n; k++) {
        const ndr = dr * zr - di * zi + pr;
        const ndi = dr * zi + di * zr + pi;
        dr = ndr;
        di = ndi;
        const npr = pr * zr - pi * zi + a[k];
        const npi = pr * zi + pi * zr;
        pr = npr;
        pi = npi;
      }
      if (pr === 0 && pi === 0) continue;
      // ratio = p / p'
      const dd = dr * dr + di * di;
      if (dd === 0) continue;
      const rr = (pr * dr + pi * di) / dd;
      const ri = (pi * dr - pr * di) / dd;
      // sum of 1 / (z_i - z_j)
      let sr = 0;
      let si = 0;
      for (let j = 0; j < n; j++) {
        if (j === i) continue;
        const er = zr - re[j];
        const ei = zi - im[j];
        const e2 = er * er + ei * ei;
        if (e2 === 0) continue;
        sr += er / e2;
        si += -ei / e2;
      }
      // w = ratio / (1 - ratio * sum)
      const denR = 1 - (rr * sr - ri * si);
      const denI = -(rr * si + ri * sr);
      const den2 = denR * denR + denI * denI;
      if (den2 === 0) continue;
      const wr = (rr * denR + ri * denI) / den2;
      const wi = (ri * denR - rr * denI) / den2;
      re[i] = zr - wr;
      im[i] = zi - wi;
      moved = Math.max(moved, Math.hypot(wr, wi) / Math.max(1, Math.hypot(zr, zi)));
    }
    if (moved < 1e-14) break;
  }
  return { re, im };
}

/**
 * MA coefficients θ (of 1 + θ1 B + …) with every root inside the unit circle reflected outside
 * (R's `maInvert`): the invertible twin with the same autocovariances.
 */
export function maInvert(ma: Float64Array): Float64Array {
  const q = ma.length;
  let q0 = q;
  while (q0 > 0 && ma[q0 - 1] === 0) q0--;
  if (q0 === 0) return ma;
  const poly = new Float64Array(q0 + 1);
  poly[0] = 1;
  for (let i = 0; i < q0; i++) poly[i + 1] = ma[i];
  const { re, im } = polyRoots(poly);
  let any = false;
  for (let i = 0; i < q0; i++) if (Math.hypot(re[i], im[i]) < 1) any = true;
  if (!any) return ma;
  const out = new Float64Array(q);
  if (q0 === 1) {
    out[0] = 1 / ma[0];
    return out;
  }
  for (let i = 0; i < q0; i++) {
    const m2 = re[i] * re[i] + im[i] * im[i];
    if (m2 < 1) {
      re[i] = re[i] / m2;
      im[i] = -im[i] / m2;
    }
  }
  // Rebuild ∏ (1 - z / r_i): coefficients in ascending powers, complex arithmetic.
  let cr = new Float64Array([1]);
  let ci = new Float64Array([0]);
  for (let i = 0; i < q0; i++) {
    const m2 = re[i] * re[i] + im[i] * im[i];
    const invR = re[i] / m2;
    const invI = -im[i] / m2;
    const nr = new Float64Array(cr.length + 1);
    const ni = new Float64Array(cr.length + 1);
    for (let k = 0; k < cr.length; k++) {
      nr[k] += cr[k];
      ni[k] += ci[k];
      nr[k + 1] -= cr[k] * invR - ci[k] * invI;
      ni[k + 1] -= cr[k] * invI + ci[k] * invR;
    }
    cr = nr;
    ci = ni;
  }
  for (let i = 0; i < q0; i++) out[i] = cr[i + 1];
  return out;
}
