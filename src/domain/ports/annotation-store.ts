// Repositories of annotation: labelling jobs, their tasks, the labels people give, and the
// ground-truth feedback on predictions. Part of the metadata store (see metadata-store.ts for the
// conventions: create → get → list → update; `get*` answers undefined; lists page by id).
import type {
  AnnotatorStats,
  AutoLabelSettings,
  JobModelRef,
  TaskSuggestion,
  LabellingJob,
  LabellingJobCounts,
  LabellingTask,
  LabellingTaskStatus,
  PredictionFeedback,
  TaskLabel,
  TaskLabelView,
  TaskReview,
  TaskSkip,
} from '../annotation.js';
import type { LabelValue } from '../label-values.js';
import type { Page, PageRequest } from '../pagination.js';

export interface LabellingJobRepository {
  /** ConflictError (field `name`) when the project already has a job of that name. */
  create(job: LabellingJob): Promise<void>;
  get(projectId: string, id: string): Promise<LabellingJob | undefined>;
  getByName(projectId: string, name: string): Promise<LabellingJob | undefined>;
  /** Oldest first. */
  list(projectId: string, page: PageRequest): Promise<Page<LabellingJob>>;
  /** Task and label counts of each job, gold tasks left out (jobs without tasks answer zeros). */
  counts(jobIds: string[]): Promise<Map<string, LabellingJobCounts>>;
  /** Change a job's queue and automation settings (fields left out stay); false when there is no such job. */
  updateSettings(projectId: string, jobId: string, patch: JobSettingsPatch): Promise<boolean>;
}

export interface JobSettingsPatch {
  lease_seconds?: number;
  model?: JobModelRef | null;
  show_suggestions?: boolean;
  auto_label?: AutoLabelSettings | null;
}

/** What automation did in a job (gold tasks left out). */
export interface AutomationCounts {
  /** Tasks with a suggestion. */
  suggested: number;
  /** Tasks resolved by the model. */
  auto_labelled: number;
  /** Confident tasks sent to people as a spot check, how many of those are resolved, and how many resolved to the model's label. */
  spot_checks: number;
  spot_checks_resolved: number;
  spot_checks_agreeing: number;
  /** Resolved tasks with a suggestion, and how many of those resolved (by people) to the suggested label. */
  human_resolved_suggested: number;
  human_agreeing_with_suggestion: number;
}

/** The queue's lease request: slots per task, the time now, until when the lease holds, tasks to pass over. */
export interface LeaseRequest {
  overlap: number;
  now: number;
  expiresAt: number;
  exclude?: readonly string[];
  /** Give the slots of expired leases back first (default true); false skips that step. */
  reclaim?: boolean;
}

export interface LabellingTaskRepository {
  /** Insert many tasks at once (the caller has validated them). */
  createMany(tasks: LabellingTask[]): Promise<void>;
  get(jobId: string, taskId: string): Promise<LabellingTask | undefined>;
  /** Which of `predictionIds` already have a task in the job. */
  existingPredictionIds(jobId: string, predictionIds: string[]): Promise<Set<string>>;
  /** Oldest first, optionally only one status. */
  list(jobId: string, page: PageRequest, filter?: { status?: LabellingTaskStatus }): Promise<Page<LabellingTask>>;
  /**
   * A look at the queue without leasing: the open, non-gold task of the job that `annotatorId`
   * has neither labelled nor skipped, highest priority first, then oldest; undefined when none is
   * left. The annotators' queue is `lease`.
   */
  nextFor(jobId: string, annotatorId: string, exclude?: readonly string[]): Promise<LabellingTask | undefined>;
  /** The oldest gold task of the job that `annotatorId` has neither answered nor skipped; undefined when none. `exclude`: task ids to pass over (a task already shown). */
  nextGoldFor(jobId: string, annotatorId: string, exclude?: readonly string[]): Promise<LabellingTask | undefined>;
  /**
   * The queue with leases, atomic on its own (or part of the caller's transaction). The
   * annotator's leases in the job are renewed until `expiresAt`; expired leases of the others
   * give their slots back (unless `reclaim` is false). Then the best of the annotator's leased
   * tasks still open and not in `exclude` is answered (asking again answers the same task);
   * otherwise the open, non-gold task with a free slot (`taken < overlap`) that they have neither
   * labelled, skipped nor excluded — highest priority, then oldest — is leased to them, taking a
   * slot. Undefined when nothing is left for them.
   */
  lease(jobId: string, annotatorId: string, request: LeaseRequest): Promise<LabellingTask | undefined>;
  /** Give back the annotator's lease on a task (they skipped it); false when they held none. */
  releaseLease(taskId: string, annotatorId: string): Promise<boolean>;
  /**
   * Take one of the task's `overlap` label slots: atomically adds 1 to its label count when it
   * is open and below `overlap`, answering the new count; undefined when no slot is left. With
   * `annotatorId`, a live or expired lease of theirs on the task becomes the label (the slot it
   * held); without one, a free slot is needed (`taken < overlap`: slots leased to others are
   * theirs). Run it in the submitting transaction: concurrent submitters wait on the task's row.
   */
  claimSlot(taskId: string, overlap: number, annotatorId?: string): Promise<number | undefined>;
  /**
   * `claimSlot` for the label's annotator and, when a slot was taken, the label stored, as one
   * step (one statement on PostgreSQL): the new label count, or undefined when no slot is left
   * (nothing stored). ConflictError (field `annotator_id`) when the annotator labelled the task
   * already. Run it in the submitting transaction.
   */
  claimSlotWithLabel(label: TaskLabel, overlap: number): Promise<number | undefined>;
  resolve(taskId: string, outcome: { resolved_label: string; agreement: number; tie: boolean; resolved_at: number; disputed?: boolean; resolved_value?: LabelValue | null }): Promise<void>;
  /**
   * Give back a label slot (the annotator withdrew their label): subtracts 1 from the label count
   * when the task is open; false when it is resolved (its labels are final). With `leaseTo`, the
   * slot stays taken as a lease of that annotator until `expiresAt` (the task comes back to them).
   */
  releaseSlot(taskId: string, leaseTo?: { annotatorId: string; expiresAt: number }): Promise<boolean>;
  /** Disputed tasks of the job (resolved, low agreement or tie, not reviewed since), oldest first. */
  listDisputed(jobId: string, page: PageRequest): Promise<Page<LabellingTask>>;
  /**
   * After a review that keeps the task resolved: its (possibly fixed) label; the dispute is
   * cleared. Conditional on the task being resolved: false when it is not (any more). Run it
   * first in the reviewing transaction: concurrent reviewers wait on the task's row.
   */
  setReviewed(taskId: string, resolvedLabel: string, resolvedValue?: LabelValue | null): Promise<boolean>;
  /** Back to the queue with no labels (open, count 0, no outcome, not disputed, no leases); false when it was not resolved. */
  reopen(taskId: string): Promise<boolean>;
  /** Store the model's suggestions (and spot-check flags) on tasks of the job. */
  setSuggestions(jobId: string, rows: ReadonlyArray<{ task_id: string; suggestion: TaskSuggestion; spot_check: boolean }>): Promise<void>;
  /**
   * Resolve open tasks of the job that have no label yet by the model's label (`resolved_by`
   * 'model'); their leases end. Answers the ids resolved (a task labelled or resolved meanwhile is left).
   */
  resolveByModel(jobId: string, rows: ReadonlyArray<{ task_id: string; label: string }>, at: number): Promise<string[]>;
  /** Set the priority of tasks of the job; answers how many changed. */
  setPriorities(jobId: string, rows: ReadonlyArray<{ task_id: string; priority: number }>): Promise<number>;
  /** Which of `sourceRows` already have a task in the job. */
  existingSourceRows(jobId: string, sourceRows: string[]): Promise<Set<string>>;
  /** What automation did in the job. */
  automationCounts(jobId: string): Promise<AutomationCounts>;
  /** Open tasks (gold included) of the job after `afterId`, oldest first: the pre-labelling job's pages. */
  listOpenAfter(jobId: string, afterId: string | null, limit: number): Promise<LabellingTask[]>;
  /** Resolved (non-gold) tasks of the job after `afterId`, oldest first: the labelled output's pages. */
  listResolvedAfter(jobId: string, afterId: string | null, limit: number): Promise<LabellingTask[]>;
}

export interface TaskLabelRepository {
  /** ConflictError (field `annotator_id`) when the annotator already labelled the task. */
  create(label: TaskLabel): Promise<void>;
  get(taskId: string, annotatorId: string): Promise<TaskLabel | undefined>;
  /** The labels of the tasks (only `annotatorId`'s when given), oldest first, with usernames. */
  listForTasks(taskIds: string[], annotatorId?: string): Promise<TaskLabelView[]>;
  /** Per-annotator counts in a job, most labels first. */
  annotatorStats(jobId: string): Promise<AnnotatorStats[]>;
  /** How many times each label was given on each resolved task of the job. */
  resolvedLabelCounts(jobId: string): Promise<Array<{ task_id: string; label: string; n: number }>>;
  /** How many labels `annotatorId` has given in the job (gold answers included). */
  countFor(jobId: string, annotatorId: string): Promise<number>;
  /** Remove a task's labels (a rejected review keeps copies in its record). */
  deleteForTask(taskId: string): Promise<void>;
  /** Remove one label; false when there was none of that id. */
  delete(labelId: string): Promise<boolean>;
  /**
   * On the job's resolved (non-gold) tasks: how many times each annotator gave each label
   * against each resolved label — the annotator × consensus table per annotator.
   */
  annotatorConfusion(jobId: string): Promise<Array<{ annotator_id: string; label: string; resolved_label: string; n: number }>>;
}

export interface TaskSkipRepository {
  /** Record a skip; false when the annotator had already skipped the task. */
  create(skip: TaskSkip): Promise<boolean>;
  /** Skips per annotator id in a job. */
  countsByAnnotator(jobId: string): Promise<Map<string, number>>;
}

export interface TaskReviewRepository {
  create(review: TaskReview): Promise<void>;
  /** A task's reviews, oldest first. */
  listForTask(taskId: string): Promise<TaskReview[]>;
}

export interface PredictionFeedbackRepository {
  /** Insert, or replace the feedback of the same (project, prediction): the latest wins. */
  upsert(feedback: PredictionFeedback): Promise<void>;
  /** The feedback of those predictions that have some (any number of ids). */
  getMany(projectId: string, predictionIds: string[]): Promise<PredictionFeedback[]>;
  /** Oldest first. */
  list(projectId: string, page: PageRequest): Promise<Page<PredictionFeedback>>;
}

export interface AnnotationRepositories {
  labellingJobs: LabellingJobRepository;
  labellingTasks: LabellingTaskRepository;
  taskLabels: TaskLabelRepository;
  predictionFeedback: PredictionFeedbackRepository;
  taskReviews: TaskReviewRepository;
  taskSkips: TaskSkipRepository;
}
