// Dawid-Skene for multi-label answers, label by label (binary relevance): each label is a yes/no
// question asked of every item an annotator answered — picked (present) or not (absent) — and
// binary Dawid-Skene EM estimates, per label, each annotator's sensitivity (picks it when it
// applies) and specificity (leaves it out when it does not) and each item's probability that the
// label applies. An item's consensus holds the labels with probability above 1/2; its confidence
// is the probability that this exact set is right (the labels' decisions taken as independent:
// the product over labels of max(p, 1 − p)); a label at exactly 1/2 is a tie.
// Why per label and not one Dawid-Skene over label sets: the sets of L labels are 2^L classes,
// almost all never seen, and a confusion matrix over them cannot be estimated from a job's
// labels; per label, each annotator has a 2×2 matrix, learnt from every item they answered, which
// captures what matters in multi-label work (over-tagging one label, missing another).
import { dawidSkene, type DawidSkeneOptions } from './dawid-skene.js';

export interface MultiLabelObservation {
  item: string;
  annotator: string;
  /** The labels the annotator picked for the item (any others of the list count as left out). */
  labels: readonly string[];
}

export interface MultiLabelPosterior {
  item: string;
  /** Labels with P(present) > 1/2 (beyond a tie), in the order of `labels`. */
  choices: string[];
  /** P(present) of each label, in the order of `labels`. */
  presence: number[];
  /** Probability that `choices` is exactly right: Π max(p, 1 − p). */
  confidence: number;
  /** Some label's probability is 1/2 (within 1e-9). */
  tie: boolean;
  /** Answers the item had. */
  answers: number;
}

export interface AnnotatorLabelRates {
  annotator: string;
  /** Per label, in the order of `labels`: P(picks it | it applies), P(leaves it out | it does not); null when undefined (never seen). */
  sensitivity: Array<number | null>;
  specificity: Array<number | null>;
  /** Mean over labels of the estimated share of right decisions, Σ prior·rate. */
  accuracy: number;
  answers: number;
}

export interface MultiLabelDawidSkeneResult {
  labels: string[];
  /** Items in the order of their first answer. */
  items: MultiLabelPosterior[];
  /** Annotators in the order of their first answer. */
  annotators: AnnotatorLabelRates[];
  /** Estimated prevalence of each label (share of items it applies to). */
  prevalence: number[];
  /** The largest iteration count of the labels' runs, and whether every run converged. */
  iterations: number;
  converged: boolean;
}

/** P(present) within this of ½ is a tie (the EM's arithmetic leaves noise on an exact ½). */
const TIE = 1e-9;
const PRESENT = 'present';
const ABSENT = 'absent';

/**
 * Per-label binary Dawid-Skene over multi-label answers; labels outside `labels` are ignored.
 * @example
 *   multiLabelDawidSkene(['sport', 'economy'], [{ item: 't1', annotator: 'a', labels: ['sport'] }, ...])
 *   // items[0]: { choices: ['sport'], presence: [0.98, 0.03], confidence: 0.95, ... }
 */
export function multiLabelDawidSkene(labels: readonly string[], observations: readonly MultiLabelObservation[], options: DawidSkeneOptions = {}): MultiLabelDawidSkeneResult {
  const itemOrder = [...new Set(observations.map((o) => o.item))];
  const annotatorOrder = [...new Set(observations.map((o) => o.annotator))];
  const answersOf = (key: 'item' | 'annotator') => {
    const n = new Map<string, number>();
    for (const o of observations) n.set(o[key], (n.get(o[key]) ?? 0) + 1);
    return n;
  };
  const perItem = answersOf('item');
  const perAnnotator = answersOf('annotator');
  const runs = labels.map((label) =>
    dawidSkene(
      [PRESENT, ABSENT],
      observations.map((o) => ({ item: o.item, annotator: o.annotator, label: o.labels.includes(label) ? PRESENT : ABSENT })),
      options,
    ),
  );
  // P(present) per item and label; the runs list items and annotators in the same first-seen order.
  const presence = itemOrder.map((_, i) => runs.map((r) => r.items[i]?.posterior[0] ?? 0));
  const items = itemOrder.map((item, i) => {
    const p = presence[i];
    return {
      item,
      choices: labels.filter((_, k) => p[k] > 0.5 + TIE),
      presence: p,
      confidence: p.reduce((s, x) => s * Math.max(x, 1 - x), 1),
      tie: p.some((x) => Math.abs(x - 0.5) <= TIE),
      answers: perItem.get(item) ?? 0,
    };
  });
  const annotators = annotatorOrder.map((annotator, a) => {
    const rates = runs.map((r) => {
      const m = r.annotators[a]?.confusion;
      // A row of zeros: the annotator never met an item of that class (by the posteriors).
      const rate = (row: number[] | undefined, col: number) => (row && row[0] + row[1] > 0 ? row[col] : null);
      return { sensitivity: rate(m?.[0], 0), specificity: rate(m?.[1], 1), accuracy: r.annotators[a]?.accuracy ?? 0 };
    });
    return {
      annotator,
      sensitivity: rates.map((x) => x.sensitivity),
      specificity: rates.map((x) => x.specificity),
      accuracy: rates.length ? rates.reduce((s, x) => s + x.accuracy, 0) / rates.length : 0,
      answers: perAnnotator.get(annotator) ?? 0,
    };
  });
  return {
    labels: [...labels],
    items,
    annotators,
    prevalence: runs.map((r) => (observations.length ? r.priors[0] : 0)),
    iterations: runs.reduce((m, r) => Math.max(m, r.iterations), 0),
    converged: runs.every((r) => r.converged),
  };
}
