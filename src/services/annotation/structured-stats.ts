// Job statistics of the structured kinds, computed from the labels of the resolved tasks:
// - multi-label: each (task, label) pair is a present/absent unit — per-label pairwise agreement
//   and Krippendorff's α nominal, the same pooled over every unit for the job, and per annotator
//   α between their answers and the consensus over their (task, label) units; agreement with
//   consensus = share of their answers equal to the consensus set;
// - text spans and image boxes: exact-match span F1 / IoU ≥ 0.5 box F1 (see stats/), micro-
//   averaged over every annotator pair of every resolved task for the job and per label, and
//   per annotator the mean F1 of their answers against the consensus (agreement with consensus
//   = share of their answers that match it fully). α is not defined for these (null).
import type { AnnotatorStats, LabellingJob, TaskLabel } from '../../domain/annotation.js';
import { kindOf, labelsOf } from '../../domain/annotation.js';
import type { BoxesValue, LabelValue, SpansValue } from '../../domain/label-values.js';
import { boxF1, matchBoxes } from '../../stats/box-agreement.js';
import { krippendorffAlphaFromCounts } from '../../stats/krippendorff-counts.js';
import { multiLabelAgreement } from '../../stats/multi-label-agreement.js';
import { spanF1, spanMatch } from '../../stats/span-agreement.js';
import { annotatorSummaries, finiteOrNull, type JobStats, type LabelStats } from './job-stats.js';

export interface ResolvedTaskLabels {
  task_id: string;
  agreement: number | null;
  tie: boolean;
  resolved_value: LabelValue | null;
  labels: Array<Pick<TaskLabel, 'annotator_id' | 'value'>>;
}

const choices = (v: LabelValue | null | undefined) => (v?.type === 'choices' ? v.choices : []);
const spans = (v: LabelValue | null | undefined) => (v?.type === 'labels' ? v.spans : ([] as SpansValue['spans']));
const boxes = (v: LabelValue | null | undefined) => (v?.type === 'rectanglelabels' ? v.boxes : ([] as BoxesValue['boxes']));

/** Micro F1 over every annotator pair of every task: Σ 2·matched / Σ sizes (null with no pair; `empty` when nobody gave any). */
function microF1(
  tasks: readonly ResolvedTaskLabels[],
  match: (a: LabelValue | null | undefined, b: LabelValue | null | undefined) => { matched: number; size: number },
  empty: number | null,
): number | null {
  let matched = 0;
  let size = 0;
  let pairs = 0;
  for (const t of tasks) {
    for (let i = 0; i < t.labels.length; i++) {
      for (let j = i + 1; j < t.labels.length; j++) {
        const m = match(t.labels[i].value, t.labels[j].value);
        matched += m.matched;
        size += m.size;
        pairs++;
      }
    }
  }
  if (!pairs) return null;
  return size === 0 ? empty : (2 * matched) / size;
}

/** Statistics of a multi-label, spans or boxes job from its resolved tasks' labels. */
export function structuredJobStats(job: LabellingJob, tasks: readonly ResolvedTaskLabels[], annotators: AnnotatorStats[], skips: ReadonlyMap<string, number> = new Map()): JobStats {
  const kind = kindOf(job.label_config);
  const order = labelsOf(job.label_config);
  const withAgreement = tasks.filter((t) => t.agreement !== null);
  const base = {
    resolved_tasks: tasks.length,
    ties: tasks.filter((t) => t.tie).length,
    mean_task_agreement: withAgreement.length ? withAgreement.reduce((s, t) => s + t.agreement!, 0) / withAgreement.length : null,
    fleiss_kappa: null,
    krippendorff_alpha_interval: null,
  };
  // Per annotator: how their answers compare with the consensus.
  const per = new Map<string, { full: number; n: number; f1: number; units: number[][] }>();
  for (const t of tasks) {
    for (const l of t.labels) {
      const p = per.get(l.annotator_id) ?? { full: 0, n: 0, f1: 0, units: [] };
      const mine = l.value;
      const truth = t.resolved_value;
      let f1 = 1;
      if (kind === 'multi-label') {
        const a = choices(mine);
        const b = choices(truth);
        for (const label of order) {
          const count = (a.includes(label) ? 1 : 0) + (b.includes(label) ? 1 : 0);
          p.units.push([count, 2 - count]);
        }
        f1 = a.length === b.length && a.every((x) => b.includes(x)) ? 1 : 0;
      } else if (kind === 'text-spans') f1 = spanF1(spans(mine), spans(truth));
      else f1 = boxF1(boxes(mine), boxes(truth));
      p.full += f1 === 1 ? 1 : 0;
      p.f1 += f1;
      p.n++;
      per.set(l.annotator_id, p);
    }
  }
  const summaries = annotatorSummaries(annotators, skips).map((a) => {
    const p = per.get(a.annotator_id);
    if (!p) return a;
    return {
      ...a,
      agreeing: p.full,
      on_resolved: p.n,
      agreement_with_consensus: p.full / p.n,
      krippendorff_alpha: kind === 'multi-label' ? finiteOrNull(krippendorffAlphaFromCounts(p.units, ['present', 'absent'])) : null,
      f1_with_consensus: kind === 'multi-label' ? null : p.f1 / p.n,
    };
  });

  if (kind === 'multi-label') {
    const m = multiLabelAgreement(
      tasks.map((t) => t.labels.map((l) => choices(l.value))),
      order,
    );
    return {
      ...base,
      percent_agreement: m.percent_agreement,
      krippendorff_alpha: m.krippendorff_alpha,
      mean_pairwise_f1: null,
      labels: m.labels.map((l) => ({ ...l, f1: null })),
      annotators: summaries,
    };
  }
  const match = (label?: string) => (a: LabelValue | null | undefined, b: LabelValue | null | undefined) => {
    if (kind === 'text-spans') {
      const m = spanMatch(spans(a), spans(b), label);
      return { matched: m.matched, size: m.sizeA + m.sizeB };
    }
    const m = matchBoxes(boxes(a), boxes(b), label);
    return { matched: m.ious.length, size: m.sizeA + m.sizeB };
  };
  const given = (label: string) =>
    tasks.reduce((s, t) => s + t.labels.reduce((k, l) => k + (kind === 'text-spans' ? spans(l.value) : boxes(l.value)).filter((x) => x.labels.includes(label)).length, 0), 0);
  const labels: LabelStats[] = order.map((label) => ({ label, given: given(label), percent_agreement: null, krippendorff_alpha: null, f1: microF1(tasks, match(label), null) }));
  return { ...base, percent_agreement: null, krippendorff_alpha: null, mean_pairwise_f1: microF1(tasks, match(), 1), labels, annotators: summaries };
}
