// Ground truth for logged predictions: the true label of a classifier's prediction, or the true
// value of a regression model's, attached to the prediction's id for performance monitoring.
import { z } from 'zod';
import { endpoint } from './endpoint.js';
import { ProjectParams } from './common.js';

/** Most feedback items in one request. */
export const MAX_FEEDBACK_ITEMS = 1000;

/** One prediction's ground truth: `label` (a class) or `value` (a number, for a regression model). */
const FeedbackItem = z.object({
  prediction_id: z.string().min(1).max(200),
  label: z.string().min(1).max(200).optional(),
  value: z.number().optional(),
});

export const recordFeedback = endpoint({
  id: 'feedback.record',
  method: 'POST',
  path: '/api/v1/projects/:project/feedback',
  summary:
    'Attach ground truth to logged predictions by id: {"items": [{"prediction_id": "…", "label": "rain"}]} for a classifier, or {"value": 12.5} for a regression model (the latest recording of a prediction wins); monitoring measures performance on it',
  tag: 'serving',
  auth: { action: 'deployment.predict' },
  params: ProjectParams,
  body: z.object({ items: z.array(FeedbackItem).min(1).max(MAX_FEEDBACK_ITEMS) }),
  response: z.object({ recorded: z.number().int() }),
});
