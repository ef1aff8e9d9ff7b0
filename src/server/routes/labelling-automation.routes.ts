// Labelling automation: job settings, pre-labels, active learning, the labelled output, and tasks
// from a deployment's logged predictions.
import { api } from '../../contracts/index.js';
import type { Handlers, RouteDeps } from '../route.js';

export const labellingAutomationEndpoints = {
  updateLabellingSettings: api.updateLabellingSettings,
  startLabellingPrelabel: api.startLabellingPrelabel,
  startLabellingActiveLearning: api.startLabellingActiveLearning,
  writeLabelledOutput: api.writeLabelledOutput,
  addTasksFromPredictions: api.addTasksFromPredictions,
};

export function labellingAutomationHandlers({ services }: RouteDeps): Handlers<typeof labellingAutomationEndpoints> {
  return {
    updateLabellingSettings: async ({ ctx, access, params, body }) => services.labellingPrelabel.updateSettings(ctx, access, params.job, body),
    startLabellingPrelabel: async ({ ctx, access, params }) => services.labellingPrelabel.start(ctx, access, params.job),
    startLabellingActiveLearning: async ({ ctx, access, params, body }) => services.labellingActiveLearning.start(ctx, access, params.job, body),
    writeLabelledOutput: async ({ ctx, access, params, body }) => services.labellingOutput.write(ctx, access, params.job, body),
    addTasksFromPredictions: async ({ ctx, access, params, body }) => services.labellingFromPredictions.fromPredictions(ctx, access, params.job, body),
  };
}
