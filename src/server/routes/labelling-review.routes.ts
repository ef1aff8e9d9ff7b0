// The disputes queue and reviews of labelling tasks, and an annotator skipping a task.
import { api } from '../../contracts/index.js';
import type { Handlers, RouteDeps } from '../route.js';

export const labellingReviewEndpoints = {
  listLabellingDisputes: api.listLabellingDisputes,
  reviewLabellingTask: api.reviewLabellingTask,
  listTaskReviews: api.listTaskReviews,
  skipLabellingTask: api.skipLabellingTask,
};

export function labellingReviewHandlers({ services }: RouteDeps): Handlers<typeof labellingReviewEndpoints> {
  const reviews = services.reviews;
  return {
    listLabellingDisputes: async ({ access, params, query }) => reviews.disputes(access, params.job, query),
    reviewLabellingTask: async ({ ctx, access, params, body }) => reviews.review(ctx, access, params.job, params.task, body),
    listTaskReviews: async ({ access, params }) => ({ items: await reviews.history(access, params.job, params.task) }),
    skipLabellingTask: async ({ ctx, access, params }) => services.labelling.skip(ctx, access, params.job, params.task),
  };
}
