// Agreement and consensus for multi-label classification, where each annotator picks any number
// of a fixed list of labels. Every (item, label) pair is a binary unit — the label is present or
// absent in each annotator's answer — so agreement is measured per label:
// - per-label binary agreement: over the items with at least two answers, the share of annotator
//   pairs that agree on the label's presence (Fleiss' P̄ on a present/absent rating);
// - per-label Krippendorff's α (nominal) over the same present/absent units;
// - pooled over every label: the same two numbers over all (item, label) units together.
// Consensus of one item: a label is in it when a strict majority of its annotators picked it; a
// label picked by exactly half is a tie (left out, and the item flagged).
import { krippendorffAlphaFromCounts } from './krippendorff-counts.js';

export interface LabelAgreement {
  label: string;
  /** How many annotators picked the label, over all items. */
  given: number;
  /** Pairwise present/absent agreement; null when no item has two answers. */
  percent_agreement: number | null;
  /** Krippendorff's α (nominal) on present/absent; null when undefined (e.g. never picked). */
  krippendorff_alpha: number | null;
}

export interface MultiLabelAgreement {
  labels: LabelAgreement[];
  /** Pooled over every (item, label) unit. */
  percent_agreement: number | null;
  krippendorff_alpha: number | null;
}

const finiteOrNull = (x: number): number | null => (Number.isFinite(x) ? x : null);

/**
 * Per-label and pooled agreement of multi-label answers: `items[i]` holds each annotator's set
 * of labels for item i; labels outside `labels` are ignored.
 * @example multiLabelAgreement([[['a'], ['a', 'b']], [[], []]], ['a', 'b'])
 *   // a: agreement 1 (both picked it, both left it out); b: 1/2 of the items agree
 */
export function multiLabelAgreement(items: ReadonlyArray<ReadonlyArray<readonly string[]>>, labels: readonly string[]): MultiLabelAgreement {
  const pooledCounts: number[][] = [];
  let pooledSum = 0;
  let pooledUnits = 0;
  const per = labels.map((label) => {
    const counts: number[][] = [];
    let given = 0;
    let sum = 0;
    let units = 0;
    for (const answers of items) {
      const m = answers.length;
      const present = answers.filter((a) => a.includes(label)).length;
      given += present;
      const row = [present, m - present];
      counts.push(row);
      pooledCounts.push(row);
      if (m < 2) continue;
      const agreeing = (present * (present - 1) + (m - present) * (m - present - 1)) / (m * (m - 1));
      sum += agreeing;
      units++;
      pooledSum += agreeing;
      pooledUnits++;
    }
    return {
      label,
      given,
      percent_agreement: units ? sum / units : null,
      krippendorff_alpha: finiteOrNull(krippendorffAlphaFromCounts(counts, ['present', 'absent'])),
    };
  });
  return {
    labels: per,
    percent_agreement: pooledUnits ? pooledSum / pooledUnits : null,
    krippendorff_alpha: pooledCounts.length ? finiteOrNull(krippendorffAlphaFromCounts(pooledCounts, ['present', 'absent'])) : null,
  };
}

export interface MultiLabelConsensus {
  /** Labels a strict majority picked, in `labels` order. */
  choices: string[];
  /** Share of annotators who picked each label, in `labels` order. */
  presence: number[];
  /**
   * Mean, over the labels at least one annotator picked, of the majority's share on that label's
   * presence (1 = unanimous, also when nobody picked anything). Labels nobody picked are left out
   * so that a long list of labels does not hide disagreement on the few that matter.
   */
  agreement: number;
  /** Some label was picked by exactly half. */
  tie: boolean;
}

/**
 * The consensus of one item's multi-label answers.
 * @example multiLabelConsensus([['a', 'b'], ['a'], ['b', 'c']], ['a', 'b', 'c'])
 *   // { choices: ['a', 'b'], presence: [2/3, 2/3, 1/3], agreement: 2/3, tie: false }
 */
export function multiLabelConsensus(answers: ReadonlyArray<readonly string[]>, labels: readonly string[]): MultiLabelConsensus {
  const m = answers.length;
  const presence = labels.map((l) => (m ? answers.filter((a) => a.includes(l)).length / m : 0));
  const choices = labels.filter((_, i) => presence[i] > 0.5);
  const tie = m > 0 && presence.some((p) => p === 0.5);
  const picked = presence.filter((p) => p > 0);
  const agreement = picked.length ? picked.reduce((s, p) => s + Math.max(p, 1 - p), 0) / picked.length : 1;
  return { choices, presence, agreement, tie };
}
