// A small seeded pseudo-random generator, so samples, simulations and test data are the same on
// every run.

/**
 * mulberry32: uniform numbers in [0, 1) from a 32-bit seed.
 * @example const r = seededRandom(42); r(); r(); // the same two numbers on every run
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
