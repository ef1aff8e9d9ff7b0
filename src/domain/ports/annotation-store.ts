// Repositories of annotation: labelling jobs, their tasks, the labels people give, and the
// ground-truth feedback on predictions. Part of the metadata store (see metadata-store.ts for the
// conventions: create → get → list → update; `get*` answers undefined; lists page by id).
import type {
  AnnotatorStats,
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
   * The queue: the open, non-gold task of the job that `annotatorId` has neither labelled nor skipped, highest
   * priority first, then oldest; undefined when none is left.
   */
  nextFor(jobId: string, annotatorId: string, exclude?: readonly string[]): Promise<LabellingTask | undefined>;
  /** The oldest gold task of the job that `annotatorId` has neither answered nor skipped; undefined when none. `exclude`: task ids to pass over (a task already shown). */
  nextGoldFor(jobId: string, annotatorId: string, exclude?: readonly string[]): Promise<LabellingTask | undefined>;
  /**
   * Take one of the task's `overlap` label slots: atomically adds 1 to its label count when it
   * is open and below `overlap`, answering the new count; undefined when no slot is left. Run it
   * in the submitting transaction: concurrent submitters wait on the task's row.
   */
  claimSlot(taskId: string, overlap: number): Promise<number | undefined>;
  resolve(taskId: string, outcome: { resolved_label: string; agreement: number; tie: boolean; resolved_at: number; disputed?: boolean; resolved_value?: LabelValue | null }): Promise<void>;
  /**
   * Give back a label slot (the annotator withdrew their label): subtracts 1 from the label count
   * when the task is open; false when it is resolved (its labels are final).
   */
  releaseSlot(taskId: string): Promise<boolean>;
  /** Disputed tasks of the job (resolved, low agreement or tie, not reviewed since), oldest first. */
  listDisputed(jobId: string, page: PageRequest): Promise<Page<LabellingTask>>;
  /**
   * After a review that keeps the task resolved: its (possibly fixed) label; the dispute is
   * cleared. Conditional on the task being resolved: false when it is not (any more). Run it
   * first in the reviewing transaction: concurrent reviewers wait on the task's row.
   */
  setReviewed(taskId: string, resolvedLabel: string, resolvedValue?: LabelValue | null): Promise<boolean>;
  /** Back to the queue with no labels (open, count 0, no outcome, not disputed); false when it was not resolved. */
  reopen(taskId: string): Promise<boolean>;
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
