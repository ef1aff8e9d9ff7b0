// A job's quality numbers from its stored labels: per-annotator counts, agreement with the
// consensus, accuracy on gold tasks and skip rate, and over resolved tasks the pairwise percent agreement and Fleiss' κ.
import type { AnnotatorStats, LabellingJob } from '../../domain/annotation.js';
import { fleissKappa, percentAgreement, ratingCounts } from '../../stats/agreement.js';

export interface AnnotatorSummary extends AnnotatorStats {
  /** agreeing / on_resolved, null before any of their tasks is resolved. */
  agreement_with_consensus: number | null;
  /** gold_correct / gold_answered, null before they answer a gold task. */
  gold_accuracy: number | null;
  /** Tasks they skipped, and skips / (labels + skips). */
  skips: number;
  skip_rate: number | null;
}

export interface JobStats {
  resolved_tasks: number;
  /** Resolved tasks whose majority vote was a tie. */
  ties: number;
  /** Mean over resolved tasks of the share of labels equal to the resolved one. */
  mean_task_agreement: number | null;
  /** Mean over resolved tasks of the share of annotator pairs that agree (Fleiss' P̄). */
  percent_agreement: number | null;
  /** Fleiss' κ over resolved tasks; null when undefined (e.g. every label the same). */
  fleiss_kappa: number | null;
  annotators: AnnotatorSummary[];
}

const finiteOrNull = (x: number): number | null => (Number.isFinite(x) ? x : null);

/** Statistics of `job` from per-task label counts of its resolved tasks and per-annotator counts. */
export function jobStats(
  job: LabellingJob,
  resolvedCounts: Array<{ task_id: string; label: string; n: number }>,
  annotators: AnnotatorStats[],
  skips: ReadonlyMap<string, number> = new Map(),
): JobStats {
  const byTask = new Map<string, string[]>();
  for (const { task_id, label, n } of resolvedCounts) {
    const labels = byTask.get(task_id) ?? [];
    for (let i = 0; i < n; i++) labels.push(label);
    byTask.set(task_id, labels);
  }
  const subjects = [...byTask.values()];
  const table = ratingCounts(subjects, job.label_config.choices).counts;
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
  return {
    resolved_tasks: table.length,
    ties,
    mean_task_agreement: table.length ? shareSum / table.length : null,
    percent_agreement: table.length ? finiteOrNull(percentAgreement(subjects)) : null,
    fleiss_kappa: kappa,
    annotators: annotators.map((a) => {
      const skipped = skips.get(a.annotator_id) ?? 0;
      return {
        ...a,
        agreement_with_consensus: a.on_resolved ? a.agreeing / a.on_resolved : null,
        gold_accuracy: a.gold_answered ? a.gold_correct / a.gold_answered : null,
        skips: skipped,
        skip_rate: a.labels + skipped ? skipped / (a.labels + skipped) : null,
      };
    }),
  };
}
