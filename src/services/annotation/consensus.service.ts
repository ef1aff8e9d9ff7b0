// Job-level consensus on demand: majority vote or Dawid-Skene over every label of a job, with
// each task's label and its confidence, per-annotator confusion matrices and class priors. Read
// only: how tasks are resolved when they get their labels does not change. Structured kinds:
// - multi-label: majority per label (task-consensus.ts), or Dawid-Skene per label (a binary
//   present/absent run for each label, stats/multi-label-dawid-skene.ts): each annotator's
//   sensitivity and specificity per label, each label's probability on each task, and as
//   confidence the probability that the chosen set is exactly right;
// - spans and boxes: the agreement-based consensus of task-consensus.ts (spans by exact match,
//   boxes matched at IoU ≥ 0.5): its regions with their votes and confidence (the share of
//   annotators who gave each), the task's mean pairwise F1 as its confidence. Dawid-Skene needs a
//   fixed set of classes per unit, which spans and boxes do not have before matching.
// Every task says whether its consensus has low agreement by the job's rule for the disputes
// queue (a tie, or confidence below `dispute_below`): where the queue sends tasks it resolves.
import { labelsOf, type TaskLabelView } from '../../domain/annotation.js';
import { ValidationError } from '../../domain/errors.js';
import type { LabelValue } from '../../domain/label-values.js';
import { MAX_LIMIT } from '../../domain/pagination.js';
import type { MetadataStore } from '../../domain/ports/metadata-store.js';
import { majorityVote } from '../../stats/agreement.js';
import { dawidSkene } from '../../stats/dawid-skene.js';
import { multiLabelDawidSkene } from '../../stats/multi-label-dawid-skene.js';
import type { ProjectAccess } from '../access/authorize.js';
import type { LabellingService } from './labelling.service.js';
import { taskOutcome, type ConsensusRegion } from './task-consensus.js';
import { isDisputed } from './label-recording.js';
import { summaryOf } from './label-answers.js';

export const CONSENSUS_METHODS = ['majority', 'dawid-skene'] as const;
export type ConsensusMethod = (typeof CONSENSUS_METHODS)[number];

export interface TaskConsensus {
  task_id: string;
  /** The consensus label and its confidence (vote share, or Dawid-Skene posterior). */
  label: string;
  confidence: number;
  /** Probability (or vote share; multi-label: share who picked it) of each label, in the configuration's order; empty for spans and boxes. */
  distribution: number[];
  /** The consensus of a structured kind (chosen labels, spans, boxes); null for classification. */
  value: LabelValue | null;
  labels: number;
  /** What the task was resolved to when it got its labels (majority vote), if it is resolved. */
  resolved_label: string | null;
  /** Spans and boxes: each consensus span label or box with its votes and confidence; empty otherwise. */
  regions: ConsensusRegion[];
  /** A tie, or confidence below the job's `dispute_below`: the rule that sends a resolved task to the disputes queue. */
  low_agreement: boolean;
}

export interface AnnotatorConsensus {
  annotator_id: string;
  annotator: string;
  labels: number;
  /** Dawid-Skene only: estimated accuracy and confusion[true][given] over the job's labels (multi-label: accuracy only, the mean over labels). */
  accuracy: number | null;
  confusion: number[][] | null;
  /** Multi-label Dawid-Skene only, per label in the configuration's order: P(picks it | it applies), P(leaves it out | it does not). */
  sensitivity?: Array<number | null> | null;
  specificity?: Array<number | null> | null;
}

export interface JobConsensus {
  method: ConsensusMethod;
  classes: string[];
  /** Dawid-Skene's class priors (multi-label: each label's prevalence); null for majority vote. */
  priors: number[] | null;
  iterations: number | null;
  converged: boolean | null;
  tasks: TaskConsensus[];
  annotators: AnnotatorConsensus[];
}

export class ConsensusService {
  constructor(
    private readonly store: MetadataStore,
    private readonly labelling: LabellingService,
  ) {}

  /**
   * Consensus over every labelled task of the job. Example:
   *   const c = await consensus.jobConsensus(access, 'jan-2014', 'dawid-skene'); c.tasks[0].confidence
   */
  async jobConsensus(access: ProjectAccess, jobRef: string, method: ConsensusMethod = 'majority'): Promise<JobConsensus> {
    const job = await this.labelling.job(access, jobRef);
    const classes = labelsOf(job.label_config);
    if ((job.kind === 'text-spans' || job.kind === 'image-boxes') && method !== 'majority') {
      throw new ValidationError(`query.method '${method}' is for classification and multi-label jobs; a ${job.kind} job takes 'majority' (spans and boxes are matched, then voted on)`, {
        field: 'query.method',
      });
    }
    const low = (confidence: number, tie: boolean) => isDisputed(job, confidence, tie);
    const resolvedOf = new Map<string, string | null>();
    const labels: TaskLabelView[] = [];
    for (let cursor: string | null = null; ; ) {
      const page = await this.store.labellingTasks.list(job.id, { limit: MAX_LIMIT, cursor });
      const labelled = page.items.filter((t) => t.label_count > 0);
      for (const t of labelled) resolvedOf.set(t.id, t.resolved_label);
      labels.push(...(await this.store.taskLabels.listForTasks(labelled.map((t) => t.id))));
      cursor = page.next_cursor;
      if (cursor === null) break;
    }
    const people = new Map<string, { annotator: string; labels: number }>();
    for (const l of labels) people.set(l.annotator_id, { annotator: l.annotator, labels: (people.get(l.annotator_id)?.labels ?? 0) + 1 });
    if (job.kind === 'multi-label' && method === 'dawid-skene') {
      const given = labels.map((l) => ({ item: l.task_id, annotator: l.annotator_id, labels: l.value?.type === 'choices' ? l.value.choices : [] }));
      const r = multiLabelDawidSkene(classes, given, { maxIterations: 500 });
      const byAnnotator = new Map(r.annotators.map((a) => [a.annotator, a]));
      return {
        method,
        classes: [...classes],
        priors: r.prevalence,
        iterations: r.iterations,
        converged: r.converged,
        tasks: r.items.map((i) => {
          const value: LabelValue = { type: 'choices', choices: i.choices };
          return {
            task_id: i.item,
            label: summaryOf(value),
            confidence: i.confidence,
            distribution: i.presence,
            value,
            labels: i.answers,
            resolved_label: resolvedOf.get(i.item) ?? null,
            regions: [],
            low_agreement: low(i.confidence, i.tie),
          };
        }),
        annotators: [...people].map(([id, p]) => {
          const a = byAnnotator.get(id);
          return { annotator_id: id, ...p, accuracy: a?.accuracy ?? null, confusion: null, sensitivity: a?.sensitivity ?? null, specificity: a?.specificity ?? null };
        }),
      };
    }
    if (job.kind !== 'classification') {
      const byTask = new Map<string, TaskLabelView[]>();
      for (const l of labels) byTask.set(l.task_id, [...(byTask.get(l.task_id) ?? []), l]);
      return {
        method,
        classes: [...classes],
        priors: null,
        iterations: null,
        converged: null,
        tasks: [...byTask].map(([taskId, given]) => {
          const o = taskOutcome(job.label_config, given);
          return {
            task_id: taskId,
            label: o.label,
            confidence: o.agreement,
            distribution: o.presence ?? [],
            value: o.value,
            labels: given.length,
            resolved_label: resolvedOf.get(taskId) ?? null,
            regions: o.regions ?? [],
            low_agreement: low(o.agreement, o.tie),
          };
        }),
        annotators: [...people].map(([id, p]) => ({ annotator_id: id, ...p, accuracy: null, confusion: null })),
      };
    }
    // Labels no longer in the configuration cannot be counted.
    const known = labels.filter((l) => classes.includes(l.label));

    if (method === 'dawid-skene') {
      const r = dawidSkene(
        classes,
        known.map((l) => ({ item: l.task_id, annotator: l.annotator_id, label: l.label })),
        { maxIterations: 500 },
      );
      const byAnnotator = new Map(r.annotators.map((a) => [a.annotator, a]));
      return {
        method,
        classes: [...classes],
        priors: r.priors,
        iterations: r.iterations,
        converged: r.converged,
        tasks: r.items.map((i) => ({
          task_id: i.item,
          label: i.label,
          confidence: i.confidence,
          distribution: i.posterior,
          value: null,
          labels: i.labels,
          resolved_label: resolvedOf.get(i.item) ?? null,
          regions: [],
          // Two classes sharing the top posterior are a tie, as in the vote.
          low_agreement: low(i.confidence, i.posterior.filter((p) => Math.abs(p - i.confidence) <= 1e-9).length > 1),
        })),
        annotators: [...people].map(([id, p]) => ({ annotator_id: id, ...p, accuracy: byAnnotator.get(id)?.accuracy ?? null, confusion: byAnnotator.get(id)?.confusion ?? null })),
      };
    }
    const byTask = new Map<string, string[]>();
    for (const l of known) byTask.set(l.task_id, [...(byTask.get(l.task_id) ?? []), l.label]);
    return {
      method,
      classes: [...classes],
      priors: null,
      iterations: null,
      converged: null,
      tasks: [...byTask].map(([taskId, given]) => {
        const vote = majorityVote(given, classes);
        const distribution = classes.map((c) => given.filter((g) => g === c).length / given.length);
        return {
          task_id: taskId,
          label: vote.label!,
          confidence: vote.share,
          distribution,
          value: null,
          labels: given.length,
          resolved_label: resolvedOf.get(taskId) ?? null,
          regions: [],
          low_agreement: low(vote.share, vote.tie),
        };
      }),
      annotators: [...people].map(([id, p]) => ({ annotator_id: id, ...p, accuracy: null, confusion: null })),
    };
  }
}
