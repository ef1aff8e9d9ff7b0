// Tasks from a stream of logged predictions: a deployment's prediction log, in an event-time
// window, becomes tasks to label — the inputs as the task's data, linked by prediction id (so a
// resolved label flows back as the prediction's ground-truth feedback) and with the served
// prediction as the task's suggestion. Predictions that already have a task in the job, or
// already have feedback (unless asked), are passed over; each call takes at most `limit`: the
// earliest, or with a seed a uniform random sample of the window.
import type { Clock } from '../../domain/clock.js';
import type { LabellingTask, TaskSuggestion } from '../../domain/annotation.js';
import { ValidationError, NotFoundError } from '../../domain/errors.js';
import type { LoggedPrediction } from '../../domain/ports/prediction-log.js';
import type { ProjectAccess } from '../access/authorize.js';
import type { CallContext } from '../access/principal.js';
import type { OperationRunner } from '../operation.js';
import type { PredictionLogService } from '../serving/prediction-log.service.js';
import type { LabellingService } from './labelling.service.js';
import { MAX_ITEM_BYTES } from './task-items.js';
import { labelsOf, openTask } from '../../domain/annotation.js';
import { seededRandom } from '../../domain/seeded-random.js';

export const DEFAULT_PREDICTION_LIMIT = 1000;
export const MAX_PREDICTION_LIMIT = 10_000;

export interface PredictionTasksInput {
  /** Default: the deployment of the job's source. */
  deployment?: string;
  /** Event-time window [from, to) in epoch ms. */
  from?: number | null;
  to?: number | null;
  limit?: number;
  /** Also take predictions that already have ground-truth feedback (default false). */
  include_labelled?: boolean;
  /** Draw the `limit` predictions at random with this seed (a uniform sample of the window); default: the earliest. */
  seed?: number;
}

export interface PredictionTasksReport {
  deployment: string;
  /** Predictions in the window, and why those not made into tasks were passed over. */
  read: number;
  created: number;
  already_tasks: number;
  already_labelled: number;
  shadow_or_bad: number;
  /** More predictions were left in the window (ask again for the next batch). */
  more: boolean;
  task_ids: string[];
}

/**
 * `n` of `items` drawn uniformly at random with `seed` (the same every time), kept in their order.
 * @example sampleInOrder(['a', 'b', 'c', 'd'], 2, 7) // two of them, in log order
 */
export function sampleInOrder<T>(items: readonly T[], n: number, seed: number): T[] {
  if (n >= items.length) return [...items];
  const random = seededRandom(seed);
  const index = items.map((_, i) => i);
  // A partial Fisher-Yates shuffle: the first n places are the sample.
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(random() * (index.length - i));
    [index[i], index[j]] = [index[j], index[i]];
  }
  return index
    .slice(0, n)
    .sort((a, b) => a - b)
    .map((i) => items[i]);
}

/** The served prediction as a task's suggestion. */
export function loggedSuggestion(p: LoggedPrediction): TaskSuggestion {
  const confidence = p.probabilities[p.label] ?? Math.max(0, ...Object.values(p.probabilities));
  return { label: p.label, confidence, scores: { ...p.probabilities }, model_version_id: p.model_version_id, source: 'prediction-log' };
}

export class PredictionTasksService {
  constructor(
    private readonly ops: OperationRunner,
    private readonly clock: Clock,
    private readonly labelling: LabellingService,
    private readonly predictionLog: PredictionLogService,
  ) {}

  /**
   * Make tasks of a deployment's logged predictions. Example:
   *   await tasks.fromPredictions(ctx, access, 'feb-2014', { deployment: 'weather-prod', from: Date.UTC(2014, 1), to: Date.UTC(2014, 2), limit: 50 })
   */
  async fromPredictions(ctx: CallContext, access: ProjectAccess, jobRef: string, input: PredictionTasksInput): Promise<PredictionTasksReport> {
    const limit = input.limit ?? DEFAULT_PREDICTION_LIMIT;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PREDICTION_LIMIT) throw new ValidationError(`body.limit must be an integer from 1 to ${MAX_PREDICTION_LIMIT}`, { field: 'body.limit' });
    if (input.seed !== undefined && (!Number.isInteger(input.seed) || input.seed < 0)) throw new ValidationError('body.seed must be a non-negative integer', { field: 'body.seed' });
    if (input.from != null && input.to != null && input.from >= input.to) throw new ValidationError('body.from must be before body.to', { field: 'body.from' });
    const job = await this.labelling.job(access, jobRef);
    const deployment = input.deployment ?? (job.source.kind === 'predictions' ? job.source.deployment : undefined);
    if (!deployment) throw new ValidationError("body.deployment: name the deployment (this job's source is not a deployment's predictions)", { field: 'body.deployment' });
    if (job.kind !== 'classification') throw new ValidationError(`tasks from logged predictions are for classification jobs; this is a ${job.kind} job`, { field: 'job' });
    await this.predictionLog.flush(); // this server's open segment too
    const window = { ...(input.from != null ? { from: input.from } : {}), ...(input.to != null ? { to: input.to } : {}) };
    const predictions = await this.predictionLog.readPredictions(access.project.id, deployment, window).catch((err: unknown) => {
      if (err instanceof NotFoundError) throw new ValidationError(`body.deployment: ${err.message}`, { field: 'body.deployment' });
      throw err;
    });
    const report: PredictionTasksReport = { deployment, read: predictions.length, created: 0, already_tasks: 0, already_labelled: 0, shadow_or_bad: 0, more: false, task_ids: [] };
    const usable = predictions.filter((p) => {
      const ok = !p.shadow && typeof p.id === 'string' && p.id !== '' && p.id.length <= 200 && Object.keys(p.inputs ?? {}).length > 0 && JSON.stringify(p.inputs).length <= MAX_ITEM_BYTES;
      if (!ok) report.shadow_or_bad++;
      return ok;
    });
    const labels = labelsOf(job.label_config);
    const draft = { action: 'labelling.tasks.from-predictions', project_id: job.project_id, target_ids: { project: job.project_id, labelling_job: job.id }, details: {} as Record<string, unknown> };
    return this.ops.run(ctx, draft, async (tx, ev) => {
      const taken = await tx.labellingTasks.existingPredictionIds(job.id, usable.map((p) => p.id));
      // Read through the transaction (on SQLite another connection would wait for it).
      const truth = new Set(input.include_labelled ? [] : (await tx.predictionFeedback.getMany(job.project_id, usable.map((p) => p.id))).map((f) => f.prediction_id));
      const now = this.clock.now();
      const eligible: LoggedPrediction[] = [];
      for (const p of usable) {
        if (taken.has(p.id)) report.already_tasks++;
        else if (truth.has(p.id)) report.already_labelled++;
        else {
          eligible.push(p);
          taken.add(p.id); // a prediction logged twice is made a task once
        }
      }
      report.more = eligible.length > limit;
      const chosen = input.seed === undefined ? eligible.slice(0, limit) : sampleInOrder(eligible, limit, input.seed);
      // A served label the job does not have cannot be a suggestion.
      const tasks: LabellingTask[] = chosen.map((p) => openTask(job, now, { data: p.inputs, prediction_id: p.id, suggestion: labels.includes(p.label) ? loggedSuggestion(p) : null }));
      await tx.labellingTasks.createMany(tasks);
      report.created = tasks.length;
      report.task_ids = tasks.map((t) => t.id);
      ev.details = { deployment, read: report.read, created: report.created, already_tasks: report.already_tasks, already_labelled: report.already_labelled };
      return report;
    });
  }
}
