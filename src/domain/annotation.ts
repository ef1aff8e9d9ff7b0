// Annotation entities: labelling jobs (a label configuration and an overlap), their tasks (one
// row of data to label), the labels people give (one per task and annotator), and the ground-truth
// feedback a resolved task gives the prediction it came from.
import { newId } from './ids.js';
import type { LabelValue } from './label-values.js';

/**
 * Task types a job can hold, named by its label configuration: one label per task
 * (`choices`), any number of labels (`choices` with `choice: 'multiple'`), labelled spans of a
 * text field (`labels`), labelled boxes on an image (`rectanglelabels`).
 */
export const LABELLING_KINDS = ['classification', 'multi-label', 'text-spans', 'image-boxes'] as const;
export type LabellingKind = (typeof LABELLING_KINDS)[number];

/**
 * A classification configuration, kept whole (it round-trips to Label Studio's `<Choices>`):
 * `{ type: 'choices', choices: ['rain', 'sun'], from_name: 'label', to_name: 'data' }`; with
 * `choice: 'multiple'` an annotator picks any number of them (multi-label).
 * Unknown extra keys are kept as they were given.
 */
export interface ChoicesConfig {
  type: 'choices';
  choices: string[];
  /** 'single' (the default) or 'multiple', as Label Studio's `<Choices choice="multiple">`. */
  choice?: 'single' | 'multiple';
  from_name: string;
  to_name: string;
  [key: string]: unknown;
}

/**
 * Labelled spans of a text (Label Studio's `<Labels>` on a `<Text>`): `field` names the task
 * data's text field (default: `to_name`), e.g. `{ type: 'labels', labels: ['PER', 'LOC'],
 * from_name: 'label', to_name: 'text', field: 'text' }`.
 */
export interface SpanLabelsConfig {
  type: 'labels';
  labels: string[];
  from_name: string;
  to_name: string;
  field: string;
  [key: string]: unknown;
}

/**
 * Labelled boxes on an image (Label Studio's `<RectangleLabels>` on an `<Image>`): `field` names
 * the task data's image URL field (default: `to_name`).
 */
export interface RectangleLabelsConfig {
  type: 'rectanglelabels';
  labels: string[];
  from_name: string;
  to_name: string;
  field: string;
  [key: string]: unknown;
}

export type LabelConfig = ChoicesConfig | SpanLabelsConfig | RectangleLabelsConfig;

/** The labels of a configuration, in order (shortcut keys 1..9 follow it). */
export const labelsOf = (c: LabelConfig): string[] => (c.type === 'choices' ? c.choices : c.labels);

/** The kind of task a configuration names. */
export function kindOf(c: LabelConfig): LabellingKind {
  if (c.type === 'labels') return 'text-spans';
  if (c.type === 'rectanglelabels') return 'image-boxes';
  return c.choice === 'multiple' ? 'multi-label' : 'classification';
}

/** Where a job's tasks came from (informational: tasks are always added as items). */
export type LabellingSource =
  | { kind: 'predictions'; deployment: string; from?: number | null; to?: number | null }
  | { kind: 'dataset'; dataset_version_id: string }
  | { kind: 'items' };

export type LabellingJobStatus = 'active' | 'closed';

export interface LabellingJob {
  id: string;
  project_id: string;
  /** Unique in the project (same rule as other names). */
  name: string;
  kind: LabellingKind;
  label_config: LabelConfig;
  /** How many people label each task before it is resolved. */
  overlap: number;
  source: LabellingSource;
  status: LabellingJobStatus;
  created_by: string;
  created_at: number;
  /** Probability (0..1) that the queue serves a gold task the annotator has not answered yet. */
  gold_rate: number;
  /** A resolved task whose agreement is below this (0..1), or that was a tie, is disputed. */
  dispute_below: number;
  /** Migration 0016 (absent: the defaults, see services/annotation/job-settings.ts). How long a task handed out by the queue stays leased to its annotator. */
  lease_seconds?: number;
  /** The registry model whose predictions become suggestions (pre-labels); null when none. */
  model?: JobModelRef | null;
  /** Whether annotators see the suggestions (false avoids anchoring); default true. */
  show_suggestions?: boolean;
  /** Auto-labelling: confident predictions label tasks, a seeded share still goes to people. */
  auto_label?: AutoLabelSettings | null;
}

export type LabellingTaskStatus = 'open' | 'resolved';

export interface LabellingTask {
  id: string;
  project_id: string;
  job_id: string;
  /** The row to label: a JSON object. */
  data: Record<string, unknown>;
  /** The logged prediction this row came from, when it did. */
  prediction_id: string | null;
  /** Higher is served first. */
  priority: number;
  status: LabellingTaskStatus;
  /** Labels given so far (at most the job's overlap). */
  label_count: number;
  /** The resolved label; for structured kinds a one-line summary of `resolved_value`. */
  resolved_label: string | null;
  /** Share of the task's labels equal to the resolved label (0..1), once resolved (for structured kinds: see task-agreement.ts). */
  agreement: number | null;
  /** Whether the majority vote was a tie (broken by the label configuration's order). */
  tie: boolean;
  created_at: number;
  resolved_at: number | null;
  /** The known answer of a gold task; gold tasks are never resolved, they measure annotators. */
  gold_label: string | null;
  /** Resolved with low agreement or a tie, and not reviewed since. */
  disputed: boolean;
  /** The consensus of a structured kind (multi-label, spans, boxes); absent for classification. */
  resolved_value?: LabelValue | null;
  /** Migration 0016: label slots taken, by labels given and live leases (absent on a new task: its label count). */
  taken?: number;
  /** The model's prediction for the task (a pre-label), when one was computed. */
  suggestion?: TaskSuggestion | null;
  /** Auto-labelling left this confident task to people as a spot check of the model. */
  spot_check?: boolean;
  /** How a resolved task got its label (null while open). */
  resolved_by?: ResolutionMethod | null;
  /** The dataset row a task was made from: `<dataset version id>:<row index>` (one task per row and job). */
  source_row?: string | null;
}

/** A registry model named by a job: a fixed version, or an alias followed when pre-labels are computed. */
export interface JobModelRef {
  model: string;
  version: number | null;
  alias: string | null;
}

export interface AutoLabelSettings {
  /** Predictions with confidence at or above this (0..1) label their task. */
  threshold: number;
  /** Share (0..1) of those still sent to people as a spot check, drawn with `seed`. */
  spot_check_share: number;
  seed: number;
}

/** A model's prediction on a task: its label, confidence (the label's probability) and every class's probability. */
export interface TaskSuggestion {
  label: string;
  confidence: number;
  scores: Record<string, number>;
  /** The model version that made it. */
  model_version_id: string;
  /** Where it came from: a registry model run over the task, or the logged prediction the task was made from. */
  source: 'model' | 'prediction-log';
}

/** How a task was resolved: by its annotators' consensus, by a reviewer, or by the model (auto-labelling). */
export const RESOLUTION_METHODS = ['consensus', 'review', 'model'] as const;
export type ResolutionMethod = (typeof RESOLUTION_METHODS)[number];

/** A task the queue handed to an annotator, kept for them until `expires_at`. */
export interface TaskLease {
  task_id: string;
  annotator_id: string;
  job_id: string;
  expires_at: number;
}

/** One person's label on one task (an annotation). */
export interface TaskLabel {
  id: string;
  project_id: string;
  job_id: string;
  task_id: string;
  annotator_id: string;
  /** The label; for structured kinds a one-line summary of `value`. */
  label: string;
  created_at: number;
  /** Time the annotator spent, when the client measured it. */
  duration_ms: number | null;
  /** The annotation of a structured kind (chosen labels, spans, boxes); absent for classification. */
  value?: LabelValue | null;
}

/** A label with the annotator's username, for display. */
export interface TaskLabelView extends TaskLabel {
  annotator: string;
}

export type FeedbackSource = 'annotation' | 'api';

/** Ground truth for one logged prediction: unique per (project, prediction). */
export interface PredictionFeedback {
  id: string;
  project_id: string;
  prediction_id: string;
  label: string;
  source: FeedbackSource;
  /** The labelling task that produced it (source 'annotation'). */
  task_id: string | null;
  created_at: number;
}

/** Per-status task counts and the number of labels of a job. */
export interface LabellingJobCounts {
  tasks: number;
  open: number;
  resolved: number;
  labels: number;
}

/** What one annotator did in a job. */
export interface AnnotatorStats {
  annotator_id: string;
  annotator: string;
  labels: number;
  /** Of their labels on resolved tasks, how many equal the resolved label. */
  on_resolved: number;
  agreeing: number;
  mean_duration_ms: number | null;
  /** Gold tasks they answered, and how many of those answers equal the known answer. */
  gold_answered: number;
  gold_correct: number;
}

/** An annotator passing on a task: it is not served to them again. */
export interface TaskSkip {
  task_id: string;
  annotator_id: string;
  project_id: string;
  job_id: string;
  created_at: number;
}

export const REVIEW_DECISIONS = ['accept', 'fix', 'reject'] as const;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];

/** A reviewer's decision on a resolved task, with the labels a rejection discarded. */
export interface TaskReview {
  id: string;
  project_id: string;
  job_id: string;
  task_id: string;
  reviewer_id: string;
  decision: ReviewDecision;
  /** The resolved label before and after the review (after is null when rejected). */
  before_label: string | null;
  after_label: string | null;
  note: string | null;
  discarded_labels: TaskLabel[];
  created_at: number;
}

/** The fields a new task is given; everything else starts empty (open, nothing labelled). */
export type NewTaskFields = Pick<LabellingTask, 'data'> & Partial<LabellingTask>;

/** A new open task of `job`, nothing labelled yet. */
export function openTask(job: Pick<LabellingJob, 'id' | 'project_id'>, now: number, fields: NewTaskFields): LabellingTask {
  return {
    id: newId(),
    project_id: job.project_id,
    job_id: job.id,
    prediction_id: null,
    priority: 0,
    status: 'open',
    label_count: 0,
    resolved_label: null,
    agreement: null,
    tie: false,
    created_at: now,
    resolved_at: null,
    gold_label: null,
    disputed: false,
    ...fields,
  };
}
