// Labelling jobs, their tasks, the annotator's queue and label submission (a class, chosen labels,
// text spans or image boxes, by the job's kind), and withdrawing one's label while a task is open.
import { z } from 'zod';
import { LABELLING_KINDS } from '../domain/annotation.js';
import { endpoint } from './endpoint.js';
import { EpochMs, Name, PageQuery, ProjectParams, pageOf } from './common.js';

/** Items per request and the body limit that goes with them. */
const MAX_ITEMS = 10_000;
const BATCH_BODY_LIMIT = 32 * 1024 * 1024;

const Label = z.string().min(1).max(200);

/** The label configuration (Label Studio's control, kept whole): its `type` names the task kind. */
export const LabelConfigView = z.union([
  z.looseObject({ type: z.literal('choices'), choices: z.array(z.string()), choice: z.enum(['single', 'multiple']).optional(), from_name: z.string(), to_name: z.string() }),
  z.looseObject({ type: z.enum(['labels', 'rectanglelabels']), labels: z.array(z.string()), from_name: z.string(), to_name: z.string(), field: z.string() }),
]);

const ChoicesInput = z.looseObject({
  type: z.literal('choices'),
  choices: z.array(Label).min(1).max(200),
  /** 'multiple' makes a multi-label job. */
  choice: z.enum(['single', 'multiple']).optional(),
  from_name: z.string().min(1).max(100).optional(),
  to_name: z.string().min(1).max(100).optional(),
});

/** Text spans (`labels`) or image boxes (`rectanglelabels`); `field` is the data field with the text or image URL (default: to_name). */
const RegionLabelsInput = z.looseObject({
  type: z.enum(['labels', 'rectanglelabels']),
  labels: z.array(Label).min(1).max(200),
  from_name: z.string().min(1).max(100).optional(),
  to_name: z.string().min(1).max(100).optional(),
  field: z.string().min(1).max(100).optional(),
});

const SpanView = z.object({ start: z.number().int(), end: z.number().int(), text: z.string(), labels: z.array(z.string()) });
const BoxView = z.object({ x: z.number(), y: z.number(), width: z.number(), height: z.number(), rotation: z.number(), labels: z.array(z.string()) });

/** A structured answer: chosen labels (multi-label), text spans, or image boxes in percent of the image. */
export const LabelValueView = z.discriminatedUnion('type', [
  z.object({ type: z.literal('choices'), choices: z.array(z.string()) }),
  z.object({ type: z.literal('labels'), spans: z.array(SpanView) }),
  z.object({ type: z.literal('rectanglelabels'), boxes: z.array(BoxView), original_width: z.number().int().optional(), original_height: z.number().int().optional() }),
]);
export type LabelValueView = z.infer<typeof LabelValueView>;

/** An answer in the field of the job's kind; its shape is checked by the service, which names the field and index at fault. */
export const AnswerFields = {
  /** Classification: one of the job's labels. */
  label: Label.optional(),
  /** Multi-label: any of the job's labels (none is an answer too). */
  choices: z.array(z.unknown()).max(200).optional().describe("multi-label: a list of the job's labels"),
  /** Text spans: `[{ start, end, text, labels }]`, offsets in UTF-16 code units of the task's text, end exclusive. */
  spans: z.array(z.unknown()).max(1000).optional().describe('text spans: [{ start, end, text, labels }]'),
  /** Image boxes: `[{ x, y, width, height, labels, rotation? }]` in percent of the image (0-100). */
  boxes: z.array(z.unknown()).max(1000).optional().describe('image boxes: [{ x, y, width, height, labels }] in percent'),
  original_width: z.number().int().min(1).optional(),
  original_height: z.number().int().min(1).optional(),
};

export const LabellingSourceView = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('predictions'), deployment: z.string().min(1).max(200), from: EpochMs.nullable().optional(), to: EpochMs.nullable().optional() }),
  z.object({ kind: z.literal('dataset'), dataset_version_id: z.string().min(1).max(100) }),
  z.object({ kind: z.literal('items') }),
]);

const Counts = z.object({ tasks: z.number().int(), open: z.number().int(), resolved: z.number().int(), labels: z.number().int() });

/** A registry model a job names: a fixed version, or an alias followed when pre-labels are computed. */
export const JobModelView = z.object({ model: z.string(), version: z.number().int().nullable(), alias: z.string().nullable() });
/** Input: `{ model, version }` or `{ model, alias }` (alias 'champion' when neither is given). */
export const JobModelInput = z.object({ model: z.string().min(1).max(100), version: z.number().int().min(1).nullable().optional(), alias: z.string().min(1).max(100).nullable().optional() });
export const AutoLabelView = z.object({ threshold: z.number(), spot_check_share: z.number(), seed: z.number().int() });
/** Input: confident predictions (confidence ≥ threshold) label their task; a seeded share still goes to people. */
export const AutoLabelInput = z.object({
  threshold: z.number().min(0).max(1),
  spot_check_share: z.number().min(0).max(1).optional(),
  seed: z.number().int().min(0).max(4294967295).optional(),
});
/** The job's queue and automation settings as create and update take them. */
export const JobSettingsFields = {
  /** Seconds a task handed out stays leased to its annotator (default 600). */
  lease_seconds: z.number().int().min(10).max(604800).optional(),
  model: JobModelInput.nullable().optional(),
  /** false hides the model's suggestions from annotators (to avoid anchoring). */
  show_suggestions: z.boolean().optional(),
  auto_label: AutoLabelInput.nullable().optional(),
};
/** A model's suggestion on a task: its label and confidence (managers also see every class's probability). */
export const SuggestionView = z.object({
  label: z.string(),
  confidence: z.number(),
  scores: z.record(z.string(), z.number()).optional(),
  model_version_id: z.string().optional(),
  source: z.enum(['model', 'prediction-log']).optional(),
});

export const LabellingJobView = z.object({
  id: z.string(),
  project_id: z.string(),
  name: z.string(),
  kind: z.enum(LABELLING_KINDS),
  /** The choices of the label configuration, in order (shortcut keys 1..9 follow it). */
  labels: z.array(z.string()),
  label_config: LabelConfigView,
  overlap: z.number().int(),
  source: LabellingSourceView,
  status: z.enum(['active', 'closed']),
  created_by: z.string(),
  created_at: EpochMs,
  /** Probability of serving a gold task; resolved tasks with agreement below dispute_below (or a tie) are disputed. */
  gold_rate: z.number(),
  dispute_below: z.number(),
  lease_seconds: z.number().int(),
  model: JobModelView.nullable(),
  show_suggestions: z.boolean(),
  auto_label: AutoLabelView.nullable(),
  counts: Counts,
});
export type LabellingJobView = z.infer<typeof LabellingJobView>;

const AnnotatorView = z.object({
  annotator_id: z.string(),
  annotator: z.string(),
  labels: z.number().int(),
  on_resolved: z.number().int(),
  agreeing: z.number().int(),
  agreement_with_consensus: z.number().nullable(),
  mean_duration_ms: z.number().nullable(),
  gold_answered: z.number().int(),
  gold_correct: z.number().int(),
  gold_accuracy: z.number().nullable(),
  skips: z.number().int(),
  skip_rate: z.number().nullable(),
  /** Krippendorff's α (nominal) of the annotator against the consensus (classification, multi-label). */
  krippendorff_alpha: z.number().nullable(),
  /** Spans and boxes: mean F1 of their answers against the consensus. */
  f1_with_consensus: z.number().nullable(),
});

const LabelStatsView = z.object({
  label: z.string(),
  given: z.number().int(),
  percent_agreement: z.number().nullable(),
  krippendorff_alpha: z.number().nullable(),
  f1: z.number().nullable(),
});

export const LabellingJobDetailView = LabellingJobView.extend({
  my_labels: z.number().int(),
  stats: z.object({
    resolved_tasks: z.number().int(),
    ties: z.number().int(),
    mean_task_agreement: z.number().nullable(),
    percent_agreement: z.number().nullable(),
    fleiss_kappa: z.number().nullable(),
    /** Krippendorff's α nominal (multi-label: over (task, label) present/absent units). */
    krippendorff_alpha: z.number().nullable(),
    /** Krippendorff's α interval, when every label is a number. */
    krippendorff_alpha_interval: z.number().nullable(),
    /** Spans and boxes: micro F1 over annotator pairs (exact spans; boxes at IoU ≥ 0.5). */
    mean_pairwise_f1: z.number().nullable(),
    labels: z.array(LabelStatsView),
    annotators: z.array(AnnotatorView),
    /** What the model did: suggestions, auto-labels, spot checks and the measured accuracy of auto-labels. */
    automation: z.object({
      suggested: z.number().int(),
      auto_labelled: z.number().int(),
      spot_checks: z.number().int(),
      spot_checks_resolved: z.number().int(),
      spot_checks_agreeing: z.number().int(),
      /** Model label = human consensus on the resolved spot checks (null before any is resolved). */
      auto_label_accuracy: z.number().nullable(),
      /** Model label = human consensus over every human-resolved task with a suggestion. */
      suggestion_agreement: z.number().nullable(),
    }),
  }),
});
export type LabellingJobDetailView = z.infer<typeof LabellingJobDetailView>;

export const TaskBatchReportView = z.object({
  received: z.number().int(),
  accepted: z.number().int(),
  rejected: z.number().int(),
  items: z.array(
    z.discriminatedUnion('status', [
      z.object({ index: z.number().int(), status: z.literal('accepted'), task_id: z.string() }),
      z.object({ index: z.number().int(), status: z.literal('rejected'), field: z.string(), reason: z.string() }),
    ]),
  ),
});

export const LabelView = z.object({
  id: z.string(),
  task_id: z.string(),
  annotator_id: z.string(),
  annotator: z.string(),
  /** The label, or a one-line summary of `value`. */
  label: z.string(),
  value: LabelValueView.nullable(),
  created_at: EpochMs,
  duration_ms: z.number().int().nullable(),
});
export type LabelView = z.infer<typeof LabelView>;

const TaskData = z.record(z.string(), z.unknown());

export const LabellingTaskView = z.object({
  id: z.string(),
  job_id: z.string(),
  data: TaskData,
  prediction_id: z.string().nullable(),
  priority: z.number().int(),
  status: z.enum(['open', 'resolved']),
  label_count: z.number().int(),
  /** Hidden (null) from callers who label blind. */
  resolved_label: z.string().nullable(),
  /** The consensus of a structured kind; hidden (null) from callers who label blind. */
  resolved_value: LabelValueView.nullable(),
  agreement: z.number().nullable(),
  tie: z.boolean(),
  created_at: EpochMs,
  resolved_at: EpochMs.nullable(),
  /** The known answer of a gold task (never resolved). */
  gold_label: z.string().nullable(),
  /** Resolved with low agreement or a tie, and not reviewed since. */
  disputed: z.boolean(),
  /** Every label for managers and reviewers; only the caller's own for annotators. */
  labels: z.array(LabelView),
  /** The model's suggestion (annotators see it only as the workbench does). */
  suggestion: SuggestionView.nullable(),
  /** Auto-labelling sent this confident task to people as a spot check (managers only). */
  spot_check: z.boolean(),
  /** How a resolved task got its label: its annotators' consensus, a review, or the model. */
  resolved_by: z.enum(['consensus', 'review', 'model']).nullable(),
});
export type LabellingTaskView = z.infer<typeof LabellingTaskView>;

/** The task the queue serves: its data only, never anyone's labels; the model's suggestion when the job shows them. */
export const QueuedTaskView = z.object({
  id: z.string(),
  job_id: z.string(),
  data: TaskData,
  priority: z.number().int(),
  created_at: EpochMs,
  suggestion: z.object({ label: z.string(), confidence: z.number() }).nullable(),
  /** Until when the task is kept for the caller. */
  lease_expires_at: EpochMs.nullable(),
});
export type QueuedTaskView = z.infer<typeof QueuedTaskView>;

export const JobParams = ProjectParams.extend({ job: z.string().min(1).max(100) });
export const TaskParams = JobParams.extend({ task: z.string().min(1).max(100) });

export const listLabellingJobs = endpoint({
  id: 'labelling.jobs.list',
  method: 'GET',
  path: '/api/v1/projects/:project/labelling-jobs',
  summary: "A project's labelling jobs with their task and label counts",
  tag: 'labelling',
  auth: { action: 'labelling.read' },
  params: ProjectParams,
  query: PageQuery,
  response: pageOf(LabellingJobView),
});

export const createLabellingJob = endpoint({
  id: 'labelling.jobs.create',
  method: 'POST',
  path: '/api/v1/projects/:project/labelling-jobs',
  summary: 'Create a labelling job and, optionally, its tasks (each item accepted or rejected with a reason)',
  tag: 'labelling',
  auth: { action: 'labelling.manage' },
  status: 201,
  bodyLimit: BATCH_BODY_LIMIT,
  params: ProjectParams,
  body: z.object({
    name: Name,
    kind: z.enum(LABELLING_KINDS).optional(),
    /** The labels (of `kind`, classification by default), or a Label Studio configuration (kept whole) that names the kind. */
    labels: z.union([z.array(Label).min(1).max(200), ChoicesInput, RegionLabelsInput]),
    overlap: z.number().int().min(1).max(50).optional(),
    source: LabellingSourceView.optional(),
    items: z.array(z.unknown()).max(MAX_ITEMS).optional(),
    gold_rate: z.number().min(0).max(1).optional(),
    dispute_below: z.number().min(0).max(1).optional(),
    ...JobSettingsFields,
  }),
  response: z.object({ job: LabellingJobView, tasks: TaskBatchReportView }),
});

export const getLabellingJob = endpoint({
  id: 'labelling.jobs.get',
  method: 'GET',
  path: '/api/v1/projects/:project/labelling-jobs/:job',
  summary: 'One labelling job (by id or name) with its agreement statistics and per-annotator counts',
  tag: 'labelling',
  auth: { action: 'labelling.read' },
  params: JobParams,
  response: LabellingJobDetailView,
});

export const addLabellingTasks = endpoint({
  id: 'labelling.tasks.add',
  method: 'POST',
  path: '/api/v1/projects/:project/labelling-jobs/:job/tasks',
  summary: 'Add tasks to a job: each item `{ data, prediction_id?, priority? }` is accepted or rejected with a reason',
  tag: 'labelling',
  auth: { action: 'labelling.manage' },
  bodyLimit: BATCH_BODY_LIMIT,
  params: JobParams,
  body: z.object({ items: z.array(z.unknown()).min(1).max(MAX_ITEMS) }),
  response: TaskBatchReportView,
});

export const listLabellingTasks = endpoint({
  id: 'labelling.tasks.list',
  method: 'GET',
  path: '/api/v1/projects/:project/labelling-jobs/:job/tasks',
  summary: "A job's tasks with their labels (annotators see only their own labels)",
  tag: 'labelling',
  auth: { action: 'labelling.read' },
  params: JobParams,
  query: PageQuery.extend({ status: z.enum(['open', 'resolved']).optional() }),
  response: pageOf(LabellingTaskView),
});

export const nextLabellingTask = endpoint({
  id: 'labelling.next',
  method: 'GET',
  path: '/api/v1/projects/:project/labelling-jobs/:job/next',
  summary:
    "The caller's next task (highest priority, then oldest, not labelled by them yet), leased to them for the job's lease time so no more people than the overlap get it; asking again answers the same task; `{ task: null }` when none is left. `exclude` (comma-separated task ids, at most 10) passes over tasks the client holds, to preload the one after",
  tag: 'labelling',
  auth: { action: 'labelling.annotate' },
  cachedAccess: true,
  params: JobParams,
  query: z.object({ exclude: z.string().max(400).optional() }),
  response: z.object({ task: QueuedTaskView.nullable() }),
});

export const submitLabel = endpoint({
  id: 'labelling.labels.submit',
  method: 'POST',
  path: '/api/v1/projects/:project/labelling-jobs/:job/tasks/:task/labels',
  summary:
    "Label a task as the caller — `label` (classification), `choices` (multi-label), `spans` (text spans) or `boxes` (image boxes); the task is resolved by the consensus of its kind once it has the job's overlap of labels",
  tag: 'labelling',
  auth: { action: 'labelling.annotate' },
  cachedAccess: true,
  status: 201,
  params: TaskParams,
  body: z.object({ ...AnswerFields, duration_ms: z.number().int().min(0).max(86_400_000).optional() }),
  response: z.object({ label: LabelView, task: z.object({ id: z.string(), status: z.enum(['open', 'resolved']) }) }),
});

export const withdrawLabel = endpoint({
  id: 'labelling.labels.withdraw',
  method: 'DELETE',
  path: '/api/v1/projects/:project/labelling-jobs/:job/tasks/:task/labels/mine',
  summary: "Withdraw the caller's label from a task that is still open (undo): the task comes back to their queue; 409 once it is resolved",
  tag: 'labelling',
  auth: { action: 'labelling.annotate' },
  params: TaskParams,
  response: z.object({ task_id: z.string(), withdrawn: LabelView }),
});

export const skipLabellingTask = endpoint({
  id: 'labelling.skip',
  method: 'POST',
  path: '/api/v1/projects/:project/labelling-jobs/:job/tasks/:task/skip',
  summary: 'Pass on a task: it is not served to the caller again and counts towards their skip rate',
  tag: 'labelling',
  auth: { action: 'labelling.annotate' },
  cachedAccess: true,
  params: TaskParams,
  response: z.object({ task_id: z.string(), skipped: z.boolean() }),
});
