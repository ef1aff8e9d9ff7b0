// Deployments, their prediction-log segments, and the serving URL.
import { api } from '../../contracts/index.js';
import type { PredictBody } from '../../services/serving/predict-input.js';
import type { Handlers, RouteDeps } from '../route.js';

export const deploymentEndpoints = {
  listDeployments: api.listDeployments,
  createDeployment: api.createDeployment,
  getDeployment: api.getDeployment,
  updateDeployment: api.updateDeployment,
  listPredictionSegments: api.listPredictionSegments,
  predict: api.predict,
};

export function deploymentHandlers({ services }: RouteDeps): Handlers<typeof deploymentEndpoints> {
  const deployments = services.deployments;
  return {
    listDeployments: async ({ access, query }) => deployments.list(access, query),
    createDeployment: async ({ ctx, access, body }) => deployments.create(ctx, access, body),
    getDeployment: async ({ access, params }) => deployments.get(access, params.deployment),
    updateDeployment: async ({ ctx, access, params, body }) => deployments.update(ctx, access, params.deployment, body),
    listPredictionSegments: async ({ access, params, query }) => {
      const d = await deployments.find(access, params.deployment);
      const items = await services.predictionLog.listSegments(access.project.id, { deploymentId: d.id, from: query.from, to: query.to });
      return { items, next_cursor: null };
    },
    predict: async ({ access, params, body }) => services.predict.predict(access, params.deployment, body as PredictBody),
  };
}
