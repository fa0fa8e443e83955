/** Small dense linear algebra for the ARIMA fit: k is at most a dozen here. */

/**
 * Solves A x = b (A row-major k × k, b of length k, or k × c row-major when `cols` > 1) by
 * Gaussian elimination with partial pivoting. Returns null when A is singular.
 */
export function solve(A: Float64Array, b: Float64Array, k: number, cols = 1): Float64Array | null {
  const a = A.slice();
  const x = b.slice();
  for (let c = 0; c < k; c++) {
    let piv = c;
    for (let i = c + 1; i < k; i++) if (Math.abs(a[i * k + c]) > Math.abs(a[piv * k + c])) piv = i;
    if (!(Math.abs(a[piv * k + c]) > 0)) return null;
    if (piv !== c) {
      for (let j = 0; j < k; j++) [a[c * k + j], a[piv * k + j]] = [a[piv * k + j], a[c * k + j]];
      for (let j = 0; j < cols; j++)
        [x[c * cols + j], x[piv * cols + j]] = [x[piv * cols + j], x[c * cols + j]];
    }
    for (let i = c + 1; i < k; i++) {
      const f = a[i * k + c] / a[c * k + c];
      if (f === 0) continue;
      for (let j = c; j < k; j++) a[i * k + j] -= f * a[c * k + j];
      for (let j = 0; j < cols; j++) x[i * cols + j] -= f * x[c * cols + j];
    }
  }
  for (let c = k - 1; c >= 0; c--) {
    for (let j = 0; j < cols; j++) {
      let s = x[c * cols + j];
      for (let i = c + 1; i < k; i++) s -= a[c * k + i] * x[i * cols + j];
      x[c * cols + j] = s / a[c * k + c];
    }
  }
  return x;
}

/**
 * Ordinary least squares of y on the columns of X (no intercept added), rows with a NaN in y or
 * X dropped. Returns the coefficients and their standard errors, or null when X'X is singular
 * or there are no more rows than columns.
 */
export function leastSquares(
  y: ArrayLike<number>,
  X: ArrayLike<number>[],
): { coef: Float64Array; se: Float64Array } | null {
  const k = X.length;
  const xtx = new Float64Array(k * k);
  const xty = new Float64Array(k);
  let n = 0;
  const rows: number[] = [];
  for (let t = 0; t < y.length; t++) {
    if (!(y[t] === y[t])) continue;
    let ok = true;
    for (let i = 0; i < k; i++) if (!(X[i][t] === X[i][t])) ok = false;
    if (!ok) continue;
    rows.push(t);
    n++;
    for (let i = 0; i < k; i++) {
      xty[i] += X[i][t] * y[t];
      for (let j = 0; j < k; j++) xtx[i * k + j] += X[i][t] * X[j][t];
    }
  }
  if (n <= k) return null;
  const coef = solve(xtx, xty, k);
  if (coef === null) return null;
  let rss = 0;
  for (const t of rows) {
    let f = 0;
    for (let i = 0; i < k; i++) f += X[i][t] * coef[i];
    rss += (y[t] - f) ** 2;
  }
  const identity = new Float64Array(k * k);
  for (let i = 0; i < k; i++) identity[i * k + i] = 1;
  const inv = solve(xtx, identity, k, k);
  if (inv === null) return null;
  const s2 = rss / (n - k);
  const se = Float64Array.from({ length: k }, (_, i) => Math.sqrt(s2 * inv[i * k + i]));
  return { coef, se };
}
