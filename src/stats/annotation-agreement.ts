// Consensus and agreement of annotators on nominal labels: majority vote with a deterministic
// tie-break, pairwise percent agreement, and Fleiss' κ (Fleiss 1971) over a subjects × categories
// count table. Pure functions; the annotation service feeds them from stored labels.

export interface MajorityVote {
  /** The winning label. */
  label: string;
  /** How many labels equal it. */
  count: number;
  /** Share of the labels equal to the winner (count / labels.length). */
  agreement: number;
  /** Whether another label had as many votes (the tie-break then chose). */
  tie: boolean;
}

/**
 * The most frequent label; ties go to the label that comes first in `order` (a job's label
 * configuration), then to the one given first. Throws on an empty list.
 * @example majorityVote(['rain', 'sun', 'rain']) // { label: 'rain', count: 2, agreement: 2/3, tie: false }
 * @example majorityVote(['sun', 'fog', 'rain'], ['rain', 'sun', 'fog']) // label 'rain', tie true, agreement 1/3
 */
export function majorityVote(labels: readonly string[], order: readonly string[] = []): MajorityVote {
  if (labels.length === 0) throw new RangeError('majorityVote needs at least one label');
  const counts = new Map<string, number>();
  for (const l of labels) counts.set(l, (counts.get(l) ?? 0) + 1);
  const rank = (l: string): number => {
    const i = order.indexOf(l);
    return i === -1 ? order.length + labels.indexOf(l) : i;
  };
  let best: string | undefined;
  let bestCount = 0;
  let tie = false;
  for (const [label, count] of counts) {
    if (count > bestCount) {
      best = label;
      bestCount = count;
      tie = false;
    } else if (count === bestCount) {
      tie = true;
      if (rank(label) < rank(best!)) best = label;
    }
  }
  return { label: best!, count: bestCount, agreement: bestCount / labels.length, tie };
}

/**
 * Observed agreement of one subject: the share of ordered rater pairs that agree,
 * Σ_j n_j (n_j − 1) / (n (n − 1)) over its category counts. NaN with fewer than 2 ratings.
 * @example subjectAgreement([2, 1]) // 1/3
 */
export function subjectAgreement(counts: readonly number[]): number {
  let n = 0;
  let same = 0;
  for (const c of counts) {
    n += c;
    same += c * (c - 1);
  }
  return n < 2 ? Number.NaN : same / (n * (n - 1));
}

export interface FleissResult {
  /** Subjects with at least two ratings (the others are left out). */
  subjects: number;
  /** P̄: mean observed pairwise agreement over subjects (the "percent agreement"). */
  observed: number;
  /** P̄e: agreement expected by chance from the overall category shares. */
  expected: number;
  /** (P̄ − P̄e) / (1 − P̄e); null when undefined (no subjects, or every rating in one category). */
  kappa: number | null;
}

/**
 * Fleiss' κ from a table of counts: `table[i][j]` = raters who put subject i in category j.
 * With the same number of raters per subject this is Fleiss (1971) exactly; with varying
 * numbers each subject's agreement uses its own n_i and the category shares pool all ratings.
 * @example fleissKappa([[0, 0, 0, 0, 14], [0, 2, 6, 4, 2], …]).kappa // 0.2099… (Fleiss' worked example)
 */
export function fleissKappa(table: readonly (readonly number[])[]): FleissResult {
  const rows = table.filter((r) => r.reduce((a, b) => a + b, 0) >= 2);
  if (rows.length === 0) return { subjects: 0, observed: Number.NaN, expected: Number.NaN, kappa: null };
  const k = Math.max(...rows.map((r) => r.length));
  const totals = new Float64Array(k);
  let ratings = 0;
  let observedSum = 0;
  for (const r of rows) {
    observedSum += subjectAgreement(r);
    r.forEach((c, j) => {
      totals[j] += c;
      ratings += c;
    });
  }
  const observed = observedSum / rows.length;
  let expected = 0;
  for (const t of totals) expected += (t / ratings) ** 2;
  const kappa = expected >= 1 ? null : (observed - expected) / (1 - expected);
  return { subjects: rows.length, observed, expected, kappa };
}

/**
 * The subjects × categories count table of labelled items, categories in `categories` order
 * (labels outside it get columns after, in order of appearance).
 * @example countTable([['a', 'a', 'b'], ['b', 'b', 'b']], ['a', 'b']) // [[2, 1], [0, 3]]
 */
export function countTable(subjects: readonly (readonly string[])[], categories: readonly string[] = []): number[][] {
  const index = new Map(categories.map((c, i) => [c, i]));
  for (const labels of subjects) for (const l of labels) if (!index.has(l)) index.set(l, index.size);
  return subjects.map((labels) => {
    const row = new Array<number>(index.size).fill(0);
    for (const l of labels) row[index.get(l)!]++;
    return row;
  });
}
