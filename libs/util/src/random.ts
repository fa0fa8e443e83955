/**
 * A seeded pseudo-random generator (mulberry32, Tommy Ettinger's 32-bit mixer): uniform numbers in
 * [0, 1), the same sequence for the same seed on every platform. For reproducible sampling and
 * generated data, never for anything secret.
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * One Poisson(mean) count drawn with `rand` (uniforms in [0, 1), e.g. {@link seededRandom}):
 * Knuth's product of uniforms up to a mean of 60, above it the normal approximation
 * round(mean + √mean·z), floored at 0 (Knuth's loop would take about `mean` draws). A mean ≤ 0
 * gives 0 without drawing. For generated test and benchmark data, not for inference.
 */
export function samplePoisson(rand: () => number, mean: number): number {
  if (mean <= 0) return 0;
  if (mean > 60) {
    const u = Math.max(rand(), 1e-12);
    const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
    return Math.max(0, Math.round(mean + Math.sqrt(mean) * z));
  }
  const limit = Math.exp(-mean);
  let k = 0;
  let p = rand();
  while (p > limit) {
    k++;
    p *= rand();
  }
  return k;
}
