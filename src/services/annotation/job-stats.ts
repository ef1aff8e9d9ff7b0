// A job's quality numbers from its stored labels: per-annotator counts, agreement with the
// consensus, accuracy on gold tasks and skip rate, and over resolved tasks the pairwise percent
// agreement, Fleiss' κ and Krippendorff's α — per job, per label and per annotator. Structured
// kinds (multi-label, spans, boxes) get theirs from structured-stats.ts.
//
// Classification, over resolved tasks (units) and their labels (values):
// - Krippendorff's α nominal over the job; interval too when every label is a number ('1'..'5');
// - per label: one-vs-rest — each label present/absent in each annotator's answer — with its
//   pairwise agreement and α nominal;
// - per annotator: α nominal between the annotator and the consensus (resolved label) over the
//   resolved tasks they labelled: two observers per unit, chance-corrected agreement with it.
import type { AnnotatorStats, LabellingJob } from '../../domain/annotation.js';
import { labelsOf } from '../../domain/annotation.js';
import { fleissKappa, percentAgreement, ratingCounts } from '../../stats/agreement.js';
import { krippendorffAlphaFromCounts } from '../../stats/krippendorff-counts.js';

export interface AnnotatorSummary extends AnnotatorStats {
  /** agreeing / on_resolved, null before any of their tasks is resolved. */
  agreement_with_consensus: number | null;
  /** gold_correct / gold_answered, null before they answer a gold task. */
  gold_accuracy: number | null;
  /** Tasks they skipped, and skips / (labels + skips). */
  skips: number;
  skip_rate: number | null;
  /** Krippendorff's α (nominal) of the annotator against the consensus; null when undefined or not measured (spans, boxes). */
  krippendorff_alpha: number | null;
  /** Spans and boxes: mean F1 of their answers against the consensus over resolved tasks. */
  f1_with_consensus: number | null;
}

export interface LabelStats {
  label: string;
  /** How many times it was given on resolved tasks (a span or box counts once). */
  given: number;
  /** Present/absent pairwise agreement (classification, multi-label). */
  percent_agreement: number | null;
  /** Krippendorff's α nominal on present/absent (classification, multi-label). */
  krippendorff_alpha: number | null;
  /** Spans and boxes: micro F1 over annotator pairs, counting this label's spans or boxes only. */
  f1: number | null;
}

export interface JobStats {
  resolved_tasks: number;
  /** Resolved tasks whose consensus was a tie. */
  ties: number;
  /** Mean over resolved tasks of their agreement (share of labels equal to the resolved one, for classification). */
  mean_task_agreement: number | null;
  /** Mean over resolved tasks of the share of annotator pairs that agree (Fleiss' P̄); multi-label: over (task, label) units. */
  percent_agreement: number | null;
  /** Fleiss' κ over resolved tasks; null when undefined (e.g. every label the same) or not classification. */
  fleiss_kappa: number | null;
  /** Krippendorff's α nominal over resolved tasks (multi-label: over (task, label) present/absent units). */
  krippendorff_alpha: number | null;
  /** Krippendorff's α interval, when every label of a classification job is a number. */
  krippendorff_alpha_interval: number | null;
  /** Spans and boxes: micro F1 over every annotator pair of every resolved task. */
  mean_pairwise_f1: number | null;
  labels: LabelStats[];
  annotators: AnnotatorSummary[];
}

export const finiteOrNull = (x: number): number | null => (Number.isFinite(x) ? x : null);

/** The numbers of labels that are all numbers (for interval α), or undefined. */
export function numericLabels(labels: readonly string[]): number[] | undefined {
  const values = labels.map((l) => (/^\s*-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(l) ? Number(l) : NaN));
  return values.every(Number.isFinite) ? values : undefined;
}

/** The per-annotator counts with the derived rates; α and F1 filled in by the caller. */
export function annotatorSummaries(annotators: AnnotatorStats[], skips: ReadonlyMap<string, number>): AnnotatorSummary[] {
  return annotators.map((a) => {
    const skipped = skips.get(a.annotator_id) ?? 0;
    return {
      ...a,
      agreement_with_consensus: a.on_resolved ? a.agreeing / a.on_resolved : null,
      gold_accuracy: a.gold_answered ? a.gold_correct / a.gold_answered : null,
      skips: skipped,
      skip_rate: a.labels + skipped ? skipped / (a.labels + skipped) : null,
      krippendorff_alpha: null,
      f1_with_consensus: null,
    };
  });
}

/** α nominal of each annotator against the resolved label, from (annotator, label, resolved, n) rows. */
function annotatorAlphas(confusion: ReadonlyArray<{ annotator_id: string; label: string; resolved_label: string; n: number }>, classes: readonly string[]): Map<string, number | null> {
  const values = [...classes];
  const index = new Map(values.map((v, i) => [v, i]));
  const idOf = (v: string) => {
    if (!index.has(v)) {
      index.set(v, values.length);
      values.push(v);
    }
    return index.get(v)!;
  };
  const rows = new Map<string, Array<{ a: number; r: number; n: number }>>();
  for (const c of confusion) rows.set(c.annotator_id, [...(rows.get(c.annotator_id) ?? []), { a: idOf(c.label), r: idOf(c.resolved_label), n: c.n }]);
  const out = new Map<string, number | null>();
  for (const [annotator, list] of rows) {
    const counts = list.map(({ a, r }) => {
      const row = new Array<number>(values.length).fill(0);
      row[a]++;
      row[r]++;
      return row;
    });
    out.set(annotator, finiteOrNull(krippendorffAlphaFromCounts(counts, values, 'nominal', list.map((x) => x.n))));
  }
  return out;
}

/**
 * Statistics of a classification `job` from per-task label counts of its resolved tasks,
 * per-annotator counts, skips and the annotator × consensus table.
 */
export function jobStats(
  job: LabellingJob,
  resolvedCounts: Array<{ task_id: string; label: string; n: number }>,
  annotators: AnnotatorStats[],
  skips: ReadonlyMap<string, number> = new Map(),
  confusion: ReadonlyArray<{ annotator_id: string; label: string; resolved_label: string; n: number }> = [],
): JobStats {
  const classes = labelsOf(job.label_config);
  const byTask = new Map<string, string[]>();
  for (const { task_id, label, n } of resolvedCounts) {
    const labels = byTask.get(task_id) ?? [];
    for (let i = 0; i < n; i++) labels.push(label);
    byTask.set(task_id, labels);
  }
  const subjects = [...byTask.values()];
  const table = ratingCounts(subjects, classes).counts;
  let ties = 0;
  let shareSum = 0;
  for (const row of table) {
    const total = row.reduce((a, b) => a + b, 0);
    const top = Math.max(...row);
    if (row.filter((c) => c === top).length > 1) ties++;
    shareSum += top / total;
  }
  let kappa: number | null = null;
  try {
    kappa = table.length ? finiteOrNull(fleissKappa(table)) : null;
  } catch {
    kappa = null; // e.g. tasks with different numbers of labels: Fleiss' κ is not defined
  }
  const numeric = numericLabels(classes);
  const perLabel: LabelStats[] = classes.map((label, j) => {
    const binary = table.map((row) => {
      const m = row.reduce((a, b) => a + b, 0);
      return [row[j], m - row[j]];
    });
    let sum = 0;
    let units = 0;
    for (const [p, q] of binary) {
      const m = p + q;
      if (m < 2) continue;
      sum += (p * (p - 1) + q * (q - 1)) / (m * (m - 1));
      units++;
    }
    return {
      label,
      given: binary.reduce((s, [p]) => s + p, 0),
      percent_agreement: units ? sum / units : null,
      krippendorff_alpha: table.length ? finiteOrNull(krippendorffAlphaFromCounts(binary, ['present', 'absent'])) : null,
      f1: null,
    };
  });
  const alphas = annotatorAlphas(confusion, classes);
  return {
    resolved_tasks: table.length,
    ties,
    mean_task_agreement: table.length ? shareSum / table.length : null,
    percent_agreement: table.length ? finiteOrNull(percentAgreement(subjects)) : null,
    fleiss_kappa: kappa,
    krippendorff_alpha: table.length ? finiteOrNull(krippendorffAlphaFromCounts(table, classes)) : null,
    krippendorff_alpha_interval: table.length && numeric ? finiteOrNull(krippendorffAlphaFromCounts(table, numeric, 'interval')) : null,
    mean_pairwise_f1: null,
    labels: perLabel,
    annotators: annotatorSummaries(annotators, skips).map((a) => ({ ...a, krippendorff_alpha: alphas.get(a.annotator_id) ?? null })),
  };
}
