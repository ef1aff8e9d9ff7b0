// Label Studio JSON export and import of a labelling job, and job-level consensus (majority vote
// or Dawid-Skene) with each task's label and confidence.
import { z } from 'zod';
import { endpoint } from './endpoint.js';
import { ProjectParams } from './common.js';
import { LabelValueView } from './labelling.contract.js';

const JobParams = ProjectParams.extend({ job: z.string().min(1).max(100) });
const MAX_TASKS = 10_000;
const BODY_LIMIT = 64 * 1024 * 1024;

/** A Label Studio task: `{ id, data, annotations: [...], predictions: [...] }`, kept whole. */
export const LabelStudioTaskView = z.record(z.string(), z.unknown());

const Rejected = z.object({ index: z.number().int(), status: z.enum(['skipped', 'rejected']), field: z.string(), reason: z.string() });

export const ImportReportView = z.object({
  provider: z.string(),
  received: z.number().int(),
  accepted: z.number().int(),
  rejected: z.number().int(),
  tasks_created: z.number().int(),
  annotations: z.object({ received: z.number().int(), accepted: z.number().int(), skipped: z.number().int(), rejected: z.number().int() }),
  items: z.array(
    z.discriminatedUnion('status', [
      z.object({
        index: z.number().int(),
        status: z.literal('accepted'),
        task_id: z.string(),
        task: z.enum(['created', 'matched']),
        annotations: z.array(z.union([z.object({ index: z.number().int(), status: z.literal('accepted'), label_id: z.string(), label: z.string() }), Rejected])),
      }),
      z.object({ index: z.number().int(), status: z.literal('rejected'), field: z.string(), reason: z.string() }),
    ]),
  ),
});
export type ImportReportView = z.infer<typeof ImportReportView>;

/** A consensus span label (start, end, text) or box (x, y, width, height in percent, and the mean IoU of the drawn boxes with it). */
export const ConsensusRegionView = z.object({
  label: z.string(),
  votes: z.number().int(),
  confidence: z.number(),
  start: z.number().int().optional(),
  end: z.number().int().optional(),
  text: z.string().optional(),
  x: z.number().optional(),
  y: z.number().optional(),
  width: z.number().optional(),
  height: z.number().optional(),
  iou: z.number().optional(),
});

export const JobConsensusView = z.object({
  method: z.enum(['majority', 'dawid-skene']),
  classes: z.array(z.string()),
  priors: z.array(z.number()).nullable(),
  iterations: z.number().int().nullable(),
  converged: z.boolean().nullable(),
  tasks: z.array(
    z.object({
      task_id: z.string(),
      label: z.string(),
      confidence: z.number(),
      distribution: z.array(z.number()),
      /** The consensus of a structured kind (chosen labels, spans, boxes); null for classification. */
      value: LabelValueView.nullable(),
      labels: z.number().int(),
      resolved_label: z.string().nullable(),
      /** Spans and boxes: each consensus span label or box, with how many annotators gave it and that share as its confidence. */
      regions: z.array(ConsensusRegionView),
      /** A tie, or confidence below the job's `dispute_below`: the rule that sends a resolved task to the disputes queue. */
      low_agreement: z.boolean(),
    }),
  ),
  annotators: z.array(
    z.object({
      annotator_id: z.string(),
      annotator: z.string(),
      labels: z.number().int(),
      accuracy: z.number().nullable(),
      confusion: z.array(z.array(z.number())).nullable(),
      /** Multi-label Dawid-Skene, per label: P(picks it | it applies) and P(leaves it out | it does not). */
      sensitivity: z.array(z.number().nullable()).nullable().optional(),
      specificity: z.array(z.number().nullable()).nullable().optional(),
    }),
  ),
});
export type JobConsensusView = z.infer<typeof JobConsensusView>;

export const exportLabellingJob = endpoint({
  id: 'labelling.export',
  method: 'GET',
  path: '/api/v1/projects/:project/labelling-jobs/:job/export',
  summary: "A job's tasks and labels as Label Studio JSON (imported tasks and annotations come back as they were imported)",
  tag: 'labelling',
  auth: { action: 'labelling.manage' },
  params: JobParams,
  query: z.object({ format: z.enum(['label-studio']).optional(), status: z.enum(['open', 'resolved']).optional() }),
  response: z.array(LabelStudioTaskView),
});

export const importLabellingJob = endpoint({
  id: 'labelling.import',
  method: 'POST',
  path: '/api/v1/projects/:project/labelling-jobs/:job/import',
  summary:
    'Import Label Studio tasks `{ tasks: [...] }`: matched by task id (unknown ones are created), new annotations recorded as labels with provenance; each task and annotation accepted, skipped or rejected with a reason',
  tag: 'labelling',
  auth: { action: 'labelling.manage' },
  bodyLimit: BODY_LIMIT,
  params: JobParams,
  query: z.object({ format: z.enum(['label-studio']).optional(), provider: z.string().min(1).max(100).optional() }),
  body: z.object({ tasks: z.array(z.unknown()).max(MAX_TASKS) }),
  response: ImportReportView,
});

export const getLabellingConsensus = endpoint({
  id: 'labelling.consensus',
  method: 'GET',
  path: '/api/v1/projects/:project/labelling-jobs/:job/consensus',
  summary:
    "Consensus over a job's labels (majority vote, or Dawid-Skene for classification and per label for multi-label): each task's label and confidence, span and box regions with their votes, whether agreement is low, annotators' confusion matrices",
  tag: 'labelling',
  auth: { action: 'labelling.manage' },
  params: JobParams,
  query: z.object({ method: z.enum(['majority', 'dawid-skene']).optional() }),
  response: JobConsensusView,
});
