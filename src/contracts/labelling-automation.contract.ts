// Labelling automation: a job's queue and model settings, pre-labels from a registry model (a
// background job), active learning by uncertainty (a background job), the labelled output as a
// dataset version, and tasks made from a deployment's logged predictions.
import { z } from 'zod';
import { endpoint } from './endpoint.js';
import { EpochMs } from './common.js';
import { JobView } from './jobs.contract.js';
import { JobModelInput, JobParams, JobSettingsFields, LabellingJobView } from './labelling.contract.js';

export const updateLabellingSettings = endpoint({
  id: 'labelling.settings',
  method: 'PATCH',
  path: '/api/v1/projects/:project/labelling-jobs/:job/settings',
  summary:
    "Change a job's lease time, its model (checked against the registry and the job's labels), whether annotators see the model's suggestions, and auto-labelling (threshold, spot-check share, seed); fields left out stay",
  tag: 'labelling',
  auth: { action: 'labelling.manage' },
  params: JobParams,
  body: z.object(JobSettingsFields),
  response: LabellingJobView,
});

export const startLabellingPrelabel = endpoint({
  id: 'labelling.prelabel',
  method: 'POST',
  path: '/api/v1/projects/:project/labelling-jobs/:job/prelabel',
  summary:
    "Compute the job model's predictions for every open task in a background job (progress on the job): they become suggestions, and with auto-labelling confident ones label their task, a seeded share going to people as spot checks",
  tag: 'labelling',
  auth: { action: 'labelling.manage' },
  status: 202,
  params: JobParams,
  response: JobView,
});

export const startLabellingActiveLearning = endpoint({
  id: 'labelling.active-learning',
  method: 'POST',
  path: '/api/v1/projects/:project/labelling-jobs/:job/active-learning',
  summary:
    "Pick what to label next by the model's uncertainty (least confidence, margin or entropy), in a background job: `create` makes tasks of a dataset version's k most uncertain rows not in the job yet; `reprioritise` moves the job's k most uncertain open tasks to the front",
  tag: 'labelling',
  auth: { action: 'labelling.manage' },
  status: 202,
  params: JobParams,
  body: z.object({
    strategy: z.enum(['least-confidence', 'margin', 'entropy']),
    k: z.number().int().min(1).max(10_000),
    mode: z.enum(['create', 'reprioritise']).optional(),
    dataset: z.string().min(1).max(100).optional(),
    version: z.number().int().min(1).optional(),
    model: JobModelInput.optional(),
    base_priority: z.number().int().min(-1_000_000).max(1_000_000).optional(),
  }),
  response: JobView,
});

export const LabelledOutputView = z.object({
  dataset: z.string(),
  version: z.number().int(),
  dataset_version_id: z.string(),
  rows: z.number().int(),
  /** Rows by how their label was decided. */
  by_method: z.object({ 'human-consensus': z.number().int(), review: z.number().int(), model: z.number().int() }),
  /** The columns added to each task's data: the label, then its provenance. */
  columns: z.array(z.string()),
});
export type LabelledOutputView = z.infer<typeof LabelledOutputView>;

export const writeLabelledOutput = endpoint({
  id: 'labelling.output',
  method: 'POST',
  path: '/api/v1/projects/:project/labelling-jobs/:job/output',
  summary:
    "Write the job's resolved tasks as the next version of a dataset (created when new): each row the task's data, the label, and its provenance — method (human-consensus, review, model), agreement or confidence, annotators, task and prediction ids",
  tag: 'labelling',
  auth: { action: 'labelling.manage' },
  status: 201,
  params: JobParams,
  body: z.object({ dataset: z.string().min(1).max(63), target: z.string().min(1).max(63).optional() }),
  response: LabelledOutputView,
});

export const PredictionTasksReportView = z.object({
  deployment: z.string(),
  read: z.number().int(),
  created: z.number().int(),
  already_tasks: z.number().int(),
  already_labelled: z.number().int(),
  shadow_or_bad: z.number().int(),
  more: z.boolean(),
  task_ids: z.array(z.string()),
});
export type PredictionTasksReportView = z.infer<typeof PredictionTasksReportView>;

export const addTasksFromPredictions = endpoint({
  id: 'labelling.tasks.from-predictions',
  method: 'POST',
  path: '/api/v1/projects/:project/labelling-jobs/:job/tasks/from-predictions',
  summary:
    "Make tasks of a deployment's logged predictions in an event-time window (at most `limit`: the earliest, or with `seed` a random sample): the inputs to label, linked by prediction id so resolved labels become the predictions' feedback, the served prediction as the suggestion",
  tag: 'labelling',
  auth: { action: 'labelling.manage' },
  status: 201,
  params: JobParams,
  body: z.object({
    /** Default: the deployment of the job's source (`{ kind: 'predictions', deployment }`). */
    deployment: z.string().min(1).max(200).optional(),
    from: EpochMs.nullable().optional(),
    to: EpochMs.nullable().optional(),
    limit: z.number().int().min(1).max(10_000).optional(),
    include_labelled: z.boolean().optional(),
    /** Draw the `limit` predictions at random with this seed (a uniform sample of the window); default: the earliest. */
    seed: z.number().int().min(0).max(2 ** 31 - 1).optional(),
  }),
  response: PredictionTasksReportView,
});
