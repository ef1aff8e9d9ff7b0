// Uncertainty of a model's prediction, for active learning: which rows to label next. Each score
// grows with uncertainty, so the most uncertain rows are those with the highest score:
// - least confidence: 1 − p₍₁₎ (the top class's probability);
// - margin: 1 − (p₍₁₎ − p₍₂₎) (one minus the gap between the two most likely classes);
// - entropy: −Σ pₖ ln pₖ, in nats (0 · ln 0 = 0).

export const UNCERTAINTY_STRATEGIES = ['least-confidence', 'margin', 'entropy'] as const;
export type UncertaintyStrategy = (typeof UNCERTAINTY_STRATEGIES)[number];

/** The two largest values of a distribution (the second is 0 for a single class). */
function topTwo(p: ArrayLike<number>): [number, number] {
  let first = -Infinity;
  let second = 0;
  for (let i = 0; i < p.length; i++) {
    const v = p[i];
    if (v > first) {
      second = first === -Infinity ? 0 : first;
      first = v;
    } else if (v > second) second = v;
  }
  return [first === -Infinity ? 0 : first, second];
}

/** @example leastConfidence([0.7, 0.2, 0.1]) // 0.3 */
export function leastConfidence(p: ArrayLike<number>): number {
  return 1 - topTwo(p)[0];
}

/** @example marginUncertainty([0.7, 0.2, 0.1]) // 0.5 */
export function marginUncertainty(p: ArrayLike<number>): number {
  const [a, b] = topTwo(p);
  return 1 - (a - b);
}

/** @example entropy([0.5, 0.5]) // ln 2 ≈ 0.693147 */
export function entropy(p: ArrayLike<number>): number {
  let h = 0;
  for (let i = 0; i < p.length; i++) if (p[i] > 0) h -= p[i] * Math.log(p[i]);
  return h;
}

export function uncertainty(strategy: UncertaintyStrategy, p: ArrayLike<number>): number {
  if (strategy === 'least-confidence') return leastConfidence(p);
  if (strategy === 'margin') return marginUncertainty(p);
  return entropy(p);
}

/**
 * Indices of the `k` highest scores, highest first; equal scores keep the earlier index first.
 * NaN scores (rows that could not be scored) are never picked.
 * @example topK([0.1, 0.9, 0.5, 0.9], 2) // [1, 3]
 */
export function topK(scores: ArrayLike<number>, k: number): number[] {
  const order: number[] = [];
  for (let i = 0; i < scores.length; i++) if (!Number.isNaN(scores[i])) order.push(i);
  order.sort((a, b) => scores[b] - scores[a] || a - b);
  return order.slice(0, Math.max(0, k));
}
