// Deployments (binding, canary, shadow, rollback and history), their prediction-log segments,
// and the serving URL (each answer says which model version served it).
import { api } from '../../contracts/index.js';
import type { PredictBody } from '../../services/serving/predict-input.js';
import type { Handlers, RouteDeps } from '../route.js';
import { servedBy } from '../served-by.js';
import { markServing } from '../serving-metrics.js';

export const deploymentEndpoints = {
  listDeployments: api.listDeployments,
  createDeployment: api.createDeployment,
  getDeployment: api.getDeployment,
  updateDeployment: api.updateDeployment,
  rollbackDeployment: api.rollbackDeployment,
  listDeploymentHistory: api.listDeploymentHistory,
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
    rollbackDeployment: async ({ ctx, access, params, body }) => deployments.rollback(ctx, access, params.deployment, body.reason ?? ''),
    listDeploymentHistory: async ({ access, params, query }) => deployments.history(access, params.deployment, query),
    listPredictionSegments: async ({ access, params, query }) => {
      const d = await deployments.find(access, params.deployment);
      const items = await services.predictionLog.listSegments(access.project.id, { deploymentId: d.id, from: query.from, to: query.to });
      return { items, next_cursor: null };
    },
    predict: async ({ access, params, body, request, reply }) => {
      const { route, ...result } = await services.predict.predict(access, params.deployment, body as PredictBody);
      servedBy(reply, result.model_version, route);
      markServing(request, { protocol: 'flywheel', deployment: result.deployment, version: result.model_version, rows: result.predictions.length });
      return result;
    },
  };
}
