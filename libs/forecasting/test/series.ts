/** Nasty and ordinary series shared by the tests. Deterministic. */
export function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

export function seasonal(n: number, seed = 1, level = 50): Float64Array {
  const r = lcg(seed);
  const profile = [0.7, 0.8, 1, 1, 1.1, 1.5, 0.9];
  const y = new Float64Array(n);
  for (let t = 0; t < n; t++) y[t] = Math.round(level * profile[t % 7] * (0.9 + 0.2 * r()));
  return y;
}

export function intermittent(n: number, seed = 2, p = 0.2): Float64Array {
  const r = lcg(seed);
  const y = new Float64Array(n);
  for (let t = 0; t < n; t++) y[t] = r() < p ? 1 + Math.floor(r() * 5) : 0;
  return y;
}

export const NASTY: Record<string, Float64Array> = {
  empty: new Float64Array(0),
  'all-zero': new Float64Array(60),
  'one observation': Float64Array.from([5]),
  'two observations': Float64Array.from([0, 3]),
  constant: new Float64Array(90).fill(4),
  'single huge spike': (() => {
    const y = new Float64Array(120);
    y[80] = 1e6;
    return y;
  })(),
  'spike in steady demand': (() => {
    const y = seasonal(120, 3, 10);
    y[100] = 5000;
    return y;
  })(),
  millions: seasonal(200, 4, 3e6),
  intermittent: intermittent(300, 5),
  'very sparse': intermittent(400, 6, 0.02),
  seasonal: seasonal(150, 7),
  'short seasonal': seasonal(10, 8),
  'stopped selling': (() => {
    const y = seasonal(200, 9, 20);
    for (let t = 150; t < 200; t++) y[t] = 0;
    return y;
  })(),
};

/** Deterministic uniform(0,1) stream (mulberry32). */
export function mulberry32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
