// Review of labelling tasks: the disputes queue and a reviewer's accept / fix / reject decision.
import { z } from 'zod';
import { REVIEW_DECISIONS } from '../domain/annotation.js';
import { endpoint } from './endpoint.js';
import { EpochMs, PageQuery, pageOf } from './common.js';
import { AnswerFields, JobParams, LabelValueView, LabelView, LabellingTaskView, TaskParams } from './labelling.contract.js';

export const TaskReviewView = z.object({
  id: z.string(),
  job_id: z.string(),
  task_id: z.string(),
  reviewer_id: z.string(),
  decision: z.enum(REVIEW_DECISIONS),
  before_label: z.string().nullable(),
  after_label: z.string().nullable(),
  note: z.string().nullable(),
  /** The labels a rejection discarded (kept here for history). */
  discarded_labels: z.array(LabelView.omit({ annotator: true }).extend({ value: LabelValueView.nullable().optional() })),
  created_at: EpochMs,
});
export type TaskReviewView = z.infer<typeof TaskReviewView>;

export const listLabellingDisputes = endpoint({
  id: 'labelling.disputes',
  method: 'GET',
  path: '/api/v1/projects/:project/labelling-jobs/:job/disputes',
  summary: 'Resolved tasks with agreement below the job\'s dispute_below, or a tie, not reviewed since (oldest first)',
  tag: 'labelling',
  auth: { action: 'labelling.review' },
  params: JobParams,
  query: PageQuery,
  response: pageOf(LabellingTaskView),
});

export const reviewLabellingTask = endpoint({
  id: 'labelling.review',
  method: 'POST',
  path: '/api/v1/projects/:project/labelling-jobs/:job/tasks/:task/review',
  summary:
    'Review a resolved task: accept keeps its label, fix replaces it (`label`, or `choices` / `spans` / `boxes` for structured kinds; and its prediction feedback), reject discards its labels and returns it to the queue',
  tag: 'labelling',
  auth: { action: 'labelling.review' },
  params: TaskParams,
  body: z.object({
    decision: z.enum(REVIEW_DECISIONS),
    ...AnswerFields,
    note: z.string().max(2000).optional(),
  }),
  response: z.object({
    review: TaskReviewView,
    task: z.object({ id: z.string(), status: z.enum(['open', 'resolved']), resolved_label: z.string().nullable(), disputed: z.boolean() }),
  }),
});

export const listTaskReviews = endpoint({
  id: 'labelling.reviews.list',
  method: 'GET',
  path: '/api/v1/projects/:project/labelling-jobs/:job/tasks/:task/reviews',
  summary: "A task's review history, oldest first",
  tag: 'labelling',
  auth: { action: 'labelling.review' },
  params: TaskParams,
  response: z.object({ items: z.array(TaskReviewView) }),
});
