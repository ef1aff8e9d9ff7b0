// Ground-truth feedback on logged predictions (labels or, for regression models, values).
import { api } from '../../contracts/index.js';
import type { Handlers, RouteDeps } from '../route.js';

export const feedbackEndpoints = {
  recordFeedback: api.recordFeedback,
};

export function feedbackHandlers({ services }: RouteDeps): Handlers<typeof feedbackEndpoints> {
  return {
    recordFeedback: async ({ ctx, access, body }) => services.feedback.recordFeedback(ctx, access, body.items),
  };
}
