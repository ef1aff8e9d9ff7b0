// MLflow's tracking REST API under /api/2.0/mlflow (wire format of mlflow/protos/service.proto),
// acting in the caller token's default project. A separate plugin: its own error format.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ProjectAction } from '../../domain/actions.js';
import { ValidationError } from '../../domain/errors.js';
import type { ExperimentRecord, TrackedRun } from '../../domain/tracking-mlflow.js';
import type { Services } from '../../services/index.js';
import type { ProjectAccess } from '../../services/access/authorize.js';
import { checkBatchRequestSize } from '../../services/tracking/tracking-limits.js';
import { fromMlflowStatus } from '../../services/tracking/tracking.service.js';
import { mlflowAccess, type MlflowCall } from './mlflow-access.js';
import { mlflowArtifactRoutes } from './mlflow-artifacts.routes.js';
import { sendMlflowError } from './mlflow-errors.js';
import * as input from './mlflow-input.js';
import { experimentIdOf, experimentMessage, metricMessage, runInfoMessage, runMessage } from './mlflow-output.js';

type Handler = (m: input.Message, call: MlflowCall, request: FastifyRequest) => Promise<unknown>;

export interface MlflowRouteDeps {
  services: Services;
}

export async function mlflowRoutes(app: FastifyInstance, { services }: MlflowRouteDeps): Promise<void> {
  const tracking = services.tracking;
  app.setErrorHandler((err, request, reply) => sendMlflowError(request, reply, err));

  const route = (method: 'GET' | 'POST', path: string, action: ProjectAction, handler: Handler) => {
    app.route({
      method,
      url: path,
      schema: { hide: true },
      handler: async (request: FastifyRequest) => {
        const call = await mlflowAccess(services, request, action);
        return (await handler(input.message(method === 'GET' ? request.query : request.body), call, request)) ?? {};
      },
    });
  };
  const read = (path: string, handler: Handler, methods: Array<'GET' | 'POST'> = ['GET']) => methods.forEach((m) => route(m, path, 'experiment.read', handler));
  const write = (path: string, handler: Handler) => route('POST', path, 'experiment.write', handler);

  /** Runs as messages, reading each run's experiment once (for the "0" id of the default one). */
  const runsOut = async (access: ProjectAccess, runs: TrackedRun[]) => {
    const experiments = new Map<string, Promise<ExperimentRecord>>();
    const experimentOf = (id: string) => experiments.get(id) ?? (experiments.set(id, tracking.getExperiment(access, id)), experiments.get(id)!);
    return Promise.all(runs.map(async (r) => runMessage(r, await experimentOf(r.experiment_id))));
  };
  const runOut = async (access: ProjectAccess, run: TrackedRun) => (await runsOut(access, [run]))[0];

  // ——— experiments ———
  write('/experiments/create', async (m, { ctx, access }) => {
    const e = await tracking.createExperiment(ctx, access, { name: input.reqString(m, 'name'), artifact_location: input.optString(m, 'artifact_location'), tags: input.keyValues(m, 'tags') });
    return { experiment_id: experimentIdOf(e) };
  });
  read('/experiments/get', async (m, { access }) => ({ experiment: experimentMessage(await tracking.getExperiment(access, input.reqString(m, 'experiment_id'))) }));
  read('/experiments/get-by-name', async (m, { access }) => ({ experiment: experimentMessage(await tracking.getExperimentByName(access, input.reqString(m, 'experiment_name'))) }));
  read(
    '/experiments/search',
    async (m, { access }) => {
      const page = await tracking.searchExperiments(access, {
        filter: input.optString(m, 'filter'),
        view_type: input.viewType(m, 'view_type'),
        max_results: input.optInt64(m, 'max_results') ?? 1000,
        order_by: input.stringList(m, 'order_by'),
        page_token: input.optString(m, 'page_token'),
      });
      return { experiments: page.items.map(experimentMessage), ...(page.next_page_token ? { next_page_token: page.next_page_token } : {}) };
    },
    ['GET', 'POST'],
  );
  // Removed from MLflow 2 but still called by older clients (the mlflow npm package).
  read('/experiments/list', async (m, { access }) => {
    const page = await tracking.searchExperiments(access, { view_type: input.viewType(m, 'view_type'), max_results: input.optInt64(m, 'max_results') ?? 50000, page_token: input.optString(m, 'page_token') });
    return { experiments: page.items.map(experimentMessage), ...(page.next_page_token ? { next_page_token: page.next_page_token } : {}) };
  });
  write('/experiments/update', async (m, { ctx, access }) => {
    await tracking.updateExperiment(ctx, access, input.reqString(m, 'experiment_id'), input.reqString(m, 'new_name'));
  });
  write('/experiments/delete', async (m, { ctx, access }) => {
    await tracking.setExperimentLifecycle(ctx, access, input.reqString(m, 'experiment_id'), 'deleted');
  });
  write('/experiments/restore', async (m, { ctx, access }) => {
    await tracking.setExperimentLifecycle(ctx, access, input.reqString(m, 'experiment_id'), 'active');
  });

  // ——— runs ———
  write('/runs/create', async (m, { ctx, access }) => {
    const run = await tracking.createRun(ctx, access, {
      experiment_id: input.optString(m, 'experiment_id') || '0',
      user_id: input.optString(m, 'user_id'),
      run_name: input.optString(m, 'run_name'),
      start_time: input.optInt64(m, 'start_time'),
      tags: input.keyValues(m, 'tags'),
    });
    return { run: await runOut(access, run) };
  });
  write('/runs/update', async (m, { ctx, access }) => {
    const status = input.optString(m, 'status');
    const run = await tracking.updateRun(ctx, access, input.runIdOf(m), {
      status: status ? fromMlflowStatus(status) : undefined,
      end_time: input.optInt64(m, 'end_time'),
      run_name: input.optString(m, 'run_name'),
    });
    return { run_info: (await runOut(access, run)).info };
  });
  write('/runs/delete', async (m, { ctx, access }) => {
    await tracking.setRunLifecycle(ctx, access, input.reqString(m, 'run_id'), 'deleted');
  });
  write('/runs/restore', async (m, { ctx, access }) => {
    await tracking.setRunLifecycle(ctx, access, input.reqString(m, 'run_id'), 'active');
  });
  read('/runs/get', async (m, { access }) => ({ run: await runOut(access, await tracking.getRun(access, input.runIdOf(m))) }));
  read(
    '/runs/search',
    async (m, { access }) => {
      const page = await tracking.searchRuns(access, {
        experiment_ids: input.stringList(m, 'experiment_ids'),
        filter: input.optString(m, 'filter'),
        view_type: input.viewType(m, 'run_view_type'),
        max_results: input.optInt64(m, 'max_results') ?? 1000,
        order_by: input.stringList(m, 'order_by'),
        page_token: input.optString(m, 'page_token'),
      });
      return { runs: await runsOut(access, page.items), ...(page.next_page_token ? { next_page_token: page.next_page_token } : {}) };
    },
    ['POST'],
  );
  write('/runs/log-metric', async (m, { ctx, access }) => {
    const point = { key: input.reqString(m, 'key'), value: input.reqDouble(m, 'value'), timestamp: input.reqInt64(m, 'timestamp'), step: input.optInt64(m, 'step') ?? 0 };
    await tracking.logBatch(ctx, access, input.runIdOf(m), { metrics: [point], params: [], tags: [] }, 'run.log-metric');
  });
  write('/runs/log-parameter', async (m, { ctx, access }) => {
    const value = input.optString(m, 'value');
    if (value === undefined) throw new ValidationError("Missing value for required parameter 'value'.", { field: 'value' });
    await tracking.logBatch(ctx, access, input.runIdOf(m), { metrics: [], params: [{ key: input.reqString(m, 'key'), value }], tags: [] }, 'run.log-param');
  });
  write('/runs/set-tag', async (m, { ctx, access }) => {
    const value = input.optString(m, 'value') ?? '';
    await tracking.logBatch(ctx, access, input.runIdOf(m), { metrics: [], params: [], tags: [{ key: input.reqString(m, 'key'), value }] }, 'run.set-tag');
  });
  write('/runs/delete-tag', async (m, { ctx, access }) => {
    await tracking.deleteTag(ctx, access, input.reqString(m, 'run_id'), input.reqString(m, 'key'));
  });
  write('/runs/log-batch', async (m, { ctx, access }, request) => {
    checkBatchRequestSize(Number(request.headers['content-length'] ?? 0));
    await tracking.logBatch(ctx, access, input.reqString(m, 'run_id'), { metrics: input.metricPoints(m), params: input.keyValues(m, 'params'), tags: input.keyValues(m, 'tags') });
  });
  read('/metrics/get-history', async (m, { access }) => {
    const page = await tracking.metricHistory(access, input.runIdOf(m), input.reqString(m, 'metric_key'), input.optInt64(m, 'max_results'), input.optString(m, 'page_token'));
    return { metrics: page.items.map(metricMessage), ...(page.next_page_token ? { next_page_token: page.next_page_token } : {}) };
  });

  // ——— artifacts (bytes go through /api/2.0/mlflow-artifacts) ———
  read('/artifacts/list', async (m, { access }) => {
    const run = await tracking.getRun(access, input.runIdOf(m));
    const files = await services.runArtifacts.list(access, run.id, input.optString(m, 'path'));
    return { root_uri: (await runOut(access, run)).info.artifact_uri, ...(files.length ? { files } : {}) };
  });
}

/** Register the MLflow API (called from app.ts). */
export async function registerMlflowApi(app: FastifyInstance, services: Services): Promise<void> {
  await app.register(mlflowRoutes, { prefix: '/api/2.0/mlflow', services });
  await app.register(mlflowArtifactRoutes, { prefix: '/api/2.0/mlflow-artifacts', services });
}
