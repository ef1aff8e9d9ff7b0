// Every API route, registered from its contract.
import type { FastifyInstance } from 'fastify';
import { registerAll, type RouteDeps } from '../route.js';
import { auditEndpoints, auditHandlers } from './audit.routes.js';
import { datasetEndpoints, datasetHandlers } from './datasets.routes.js';
import { datasetStagingEndpoints, datasetStagingHandlers } from './dataset-staging.routes.js';
import { datasetSourceEndpoints, datasetSourceHandlers } from './dataset-sources.routes.js';
import { datasetCurationEndpoints, datasetCurationHandlers } from './dataset-curation.routes.js';
import { authEndpoints, authHandlers } from './auth.routes.js';
import { healthEndpoints, healthHandlers } from './health.routes.js';
import { jobEndpoints, jobHandlers } from './jobs.routes.js';
import { labellingEndpoints, labellingHandlers } from './labelling.routes.js';
import { annotationExchangeEndpoints, annotationExchangeHandlers } from './annotation-exchange.routes.js';
import { labellingReviewEndpoints, labellingReviewHandlers } from './labelling-review.routes.js';
import { labellingResultsEndpoints, labellingResultsHandlers } from './labelling-results.routes.js';
import { projectEndpoints, projectHandlers } from './projects.routes.js';
import { modelEndpoints, modelHandlers } from './models.routes.js';
import { modelCardEndpoints, modelCardHandlers } from './model-cards.routes.js';
import { deploymentEndpoints, deploymentHandlers } from './deployments.routes.js';
import { secretEndpoints, secretHandlers } from './secrets.routes.js';
import { tokenEndpoints, tokenHandlers } from './tokens.routes.js';
import { userEndpoints, userHandlers } from './users.routes.js';
import { trainingEndpoints, trainingHandlers } from './training.routes.js';
import { monitoringEndpoints, monitoringHandlers } from './monitoring.routes.js';

export function registerApiRoutes(app: FastifyInstance, deps: RouteDeps): void {
  registerAll(app, healthEndpoints, healthHandlers(deps), deps);
  registerAll(app, authEndpoints, authHandlers(deps), deps);
  registerAll(app, userEndpoints, userHandlers(deps), deps);
  registerAll(app, tokenEndpoints, tokenHandlers(deps), deps);
  registerAll(app, projectEndpoints, projectHandlers(deps), deps);
  registerAll(app, auditEndpoints, auditHandlers(deps), deps);
  registerAll(app, jobEndpoints, jobHandlers(deps), deps);
  registerAll(app, secretEndpoints, secretHandlers(deps), deps);
  registerAll(app, modelEndpoints, modelHandlers(deps), deps);
  registerAll(app, modelCardEndpoints, modelCardHandlers(deps), deps);
  registerAll(app, deploymentEndpoints, deploymentHandlers(deps), deps);
  registerAll(app, labellingEndpoints, labellingHandlers(deps), deps);
  registerAll(app, annotationExchangeEndpoints, annotationExchangeHandlers(deps), deps);
  registerAll(app, labellingReviewEndpoints, labellingReviewHandlers(deps), deps);
  registerAll(app, labellingResultsEndpoints, labellingResultsHandlers(deps), deps);
  registerAll(app, datasetEndpoints, datasetHandlers(deps), deps);
  registerAll(app, datasetStagingEndpoints, datasetStagingHandlers(deps), deps);
  registerAll(app, datasetSourceEndpoints, datasetSourceHandlers(deps), deps);
  registerAll(app, datasetCurationEndpoints, datasetCurationHandlers(deps), deps);
  registerAll(app, trainingEndpoints, trainingHandlers(deps), deps);
  registerAll(app, monitoringEndpoints, monitoringHandlers(deps), deps);
}
