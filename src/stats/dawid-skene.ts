// Dawid-Skene consensus (Dawid & Skene 1979): expectation-maximisation over per-annotator
// confusion matrices. Answers each item's posterior class probabilities (the resolved label and
// its confidence), each annotator's confusion matrix and the class priors. Pure; no I/O.
import { ValidationError } from '../domain/errors.js';

/** One label given by one annotator to one item (an annotator may label an item more than once). */
export interface Observation {
  item: string;
  annotator: string;
  label: string;
}

export interface DawidSkeneOptions {
  /** Stop after this many EM iterations (default 100). */
  maxIterations?: number;
  /**
   * Converged when the summed absolute change of the priors, and that of every confusion-matrix
   * entry, between two iterations are both below this (default 1e-6).
   */
  tolerance?: number;
  /**
   * Pseudo-count added to every confusion-matrix cell in the M-step (default 0: the maximum
   * likelihood estimate of the paper). A small value keeps unseen responses from being impossible.
   */
  smoothing?: number;
}

export interface ItemPosterior {
  item: string;
  /** The most probable class (ties go to the class listed first). */
  label: string;
  /** Its posterior probability. */
  confidence: number;
  /** Posterior probability of each class, in the order of `classes`. */
  posterior: number[];
  /** Number of labels the item had. */
  labels: number;
}

export interface AnnotatorConfusion {
  annotator: string;
  /** confusion[j][l] = P(annotator answers class l | true class j); rows sum to 1 (0 when never seen). */
  confusion: number[][];
  /** Labels the annotator gave. */
  labels: number;
  /** Σ_j prior[j]·confusion[j][j]: the annotator's estimated accuracy. */
  accuracy: number;
}

export interface DawidSkeneResult {
  classes: string[];
  /** Items in the order of their first observation. */
  items: ItemPosterior[];
  /** Annotators in the order of their first observation. */
  annotators: AnnotatorConfusion[];
  /** Estimated class marginals, in the order of `classes`. */
  priors: number[];
  iterations: number;
  converged: boolean;
  /** Log-likelihood of the observations under the final parameters. */
  log_likelihood: number;
}

const indexer = () => {
  const index = new Map<string, number>();
  const names: string[] = [];
  return {
    names,
    of(name: string): number {
      let i = index.get(name);
      if (i === undefined) {
        i = names.length;
        index.set(name, i);
        names.push(name);
      }
      return i;
    },
  };
};

/** Log of the sum of exp(xs), stable for large negative values; -Infinity when all are. */
function logSumExp(xs: number[]): number {
  const m = Math.max(...xs);
  if (m === -Infinity) return -Infinity;
  let s = 0;
  for (const x of xs) s += Math.exp(x - m);
  return m + Math.log(s);
}

const argmax = (xs: number[]): number => xs.reduce((best, x, i) => (x > xs[best] ? i : best), 0);

/**
 * Run Dawid-Skene EM over `observations` with the given `classes` (their order breaks ties).
 * Initialised with each item's vote shares (eq. 3.1 of the paper), then M-step / E-step until the
 * parameters stop changing.
 * @example
 *   const r = dawidSkene(['rain', 'sun'], [{ item: 't1', annotator: 'a', label: 'rain' }, ...]);
 *   r.items[0] // { item: 't1', label: 'rain', confidence: 0.97, posterior: [0.97, 0.03], labels: 3 }
 */
export function dawidSkene(classes: readonly string[], observations: readonly Observation[], options: DawidSkeneOptions = {}): DawidSkeneResult {
  const maxIterations = options.maxIterations ?? 100;
  const tolerance = options.tolerance ?? 1e-6;
  const smoothing = options.smoothing ?? 0;
  if (!Number.isInteger(maxIterations) || maxIterations < 1) throw new ValidationError('maxIterations must be a positive integer', { field: 'maxIterations' });
  if (!(tolerance > 0)) throw new ValidationError('tolerance must be positive', { field: 'tolerance' });
  if (!(smoothing >= 0)) throw new ValidationError('smoothing must be non-negative', { field: 'smoothing' });
  if (classes.length === 0) throw new ValidationError('classes is empty', { field: 'classes' });
  const K = classes.length;
  const classIndex = new Map(classes.map((c, i) => [c, i]));
  if (classIndex.size !== K) throw new ValidationError('classes has duplicates', { field: 'classes' });

  if (observations.length === 0) {
    return { classes: [...classes], items: [], annotators: [], priors: new Array<number>(K).fill(1 / K), iterations: 0, converged: true, log_likelihood: 0 };
  }
  const items = indexer();
  const annotators = indexer();
  // Observations as (item, annotator, class) index triples.
  const obs: Array<[number, number, number]> = observations.map((o, n) => {
    const c = classIndex.get(o.label);
    if (c === undefined) throw new ValidationError(`observations[${n}].label '${o.label}' is not one of the classes`, { field: `observations[${n}].label` });
    return [items.of(o.item), annotators.of(o.annotator), c];
  });
  const I = items.names.length;
  const J = annotators.names.length;
  const byItem: Array<Array<[number, number]>> = Array.from({ length: I }, () => []);
  for (const [i, a, c] of obs) byItem[i].push([a, c]);
  const labelsOf = new Array<number>(J).fill(0);
  for (const [, a] of obs) labelsOf[a]++;

  // T[i][k]: current probability that item i is of class k. Start from vote shares.
  let T = byItem.map((row) => {
    const t = new Array<number>(K).fill(0);
    for (const [, c] of row) t[c] += 1 / row.length;
    return t;
  });

  let priors = new Array<number>(K).fill(1 / K);
  let confusion: number[][][] = [];
  let iterations = 0;
  let converged = false;
  let logLikelihood = -Infinity;

  for (; iterations < maxIterations && !converged; ) {
    iterations++;
    // M-step: priors and confusion matrices from the soft class assignments.
    const newPriors = new Array<number>(K).fill(0);
    for (const t of T) for (let k = 0; k < K; k++) newPriors[k] += t[k] / Math.max(I, 1);
    const newConfusion = Array.from({ length: J }, () => Array.from({ length: K }, () => new Array<number>(K).fill(smoothing)));
    obs.forEach(([i, a, c]) => {
      for (let k = 0; k < K; k++) newConfusion[a][k][c] += T[i][k];
    });
    for (const m of newConfusion) {
      for (const row of m) {
        const s = row.reduce((x, y) => x + y, 0);
        if (s > 0) for (let l = 0; l < K; l++) row[l] /= s;
      }
    }
    // E-step in log space: log P(class k) + Σ log P(answer | k), normalised per item.
    const logPriors = newPriors.map(Math.log);
    const logConfusion = newConfusion.map((m) => m.map((row) => row.map(Math.log)));
    let ll = 0;
    T = byItem.map((row) => {
      const logs = logPriors.map((lp, k) => row.reduce((s, [a, c]) => s + logConfusion[a][k][c], lp));
      const z = logSumExp(logs);
      if (z === -Infinity) return new Array<number>(K).fill(1 / K); // impossible under every class: no information
      ll += z;
      return logs.map((x) => Math.exp(x - z));
    });
    logLikelihood = ll;
    if (confusion.length) {
      const dp = newPriors.reduce((s, p, k) => s + Math.abs(p - priors[k]), 0);
      let dc = 0;
      newConfusion.forEach((m, a) => m.forEach((row, k) => row.forEach((x, l) => (dc += Math.abs(x - confusion[a][k][l])))));
      converged = dp < tolerance && dc < tolerance;
    }
    priors = newPriors;
    confusion = newConfusion;
  }

  return {
    classes: [...classes],
    items: T.map((posterior, i) => {
      const best = argmax(posterior);
      return { item: items.names[i], label: classes[best], confidence: posterior[best], posterior, labels: byItem[i].length };
    }),
    annotators: annotators.names.map((annotator, a) => ({
      annotator,
      confusion: confusion[a],
      labels: labelsOf[a],
      accuracy: priors.reduce((s, p, k) => s + p * confusion[a][k][k], 0),
    })),
    priors,
    iterations,
    converged,
    log_likelihood: logLikelihood,
  };
}
