// The Open Inference Protocol V2 (KServe / Triton REST), so their clients work unchanged.
// A model is a deployment (its name is unique in the instance); a version is a registered
// version number of the deployment's model (without one, the version the deployment serves).
//   GET  /v2/health/live, /v2/health/ready                       public
//   GET  /v2                                                     server metadata (any signed-in caller)
//   GET  /v2/models/{m}[/versions/{v}], …/ready                  deployment.read
//   POST /v2/models/{m}[/versions/{v}]/infer                     deployment.predict
// Inference goes through the predict service, so every prediction is validated and logged as
// on Flywheel's own endpoint. Errors are {"error": "..."} with the HTTP status (400 bad
// request, 401, 403, 404 unknown model or version).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ProjectAction } from '../../domain/actions.js';
import { ValidationError } from '../../domain/errors.js';
import { statusOf, toAppError } from '../http-errors.js';
import { authorizeServingCall, requireCaller, type ServingDeps } from '../serving-call.js';
import { markServing } from '../serving-metrics.js';
import { servedBy } from '../served-by.js';
import { inferInputs, outputTensors, requestedOutputs, tensorMetadata } from './oip-tensors.js';

export interface OipDeps extends ServingDeps {
  /** Flywheel's version (server metadata). */
  version: string;
}

interface ModelParams {
  model: string;
  version?: string;
}

function sendOipError(request: FastifyRequest, reply: FastifyReply, err: unknown) {
  const e = toAppError(err);
  if (e.kind === 'unexpected') request.log.error({ err }, 'unexpected error');
  return reply.code(statusOf(e.code)).type('application/json').send(JSON.stringify({ error: e.message }));
}

function versionOf(params: ModelParams): number | undefined {
  if (params.version === undefined) return undefined;
  if (!/^[1-9]\d{0,8}$/.test(params.version)) throw new ValidationError(`model version '${params.version}' must be a positive integer (a registered version number)`, { field: 'version' });
  return Number(params.version);
}

export async function oipPlugin(app: FastifyInstance, deps: OipDeps): Promise<void> {
  const { services } = deps;
  app.setErrorHandler((err, request, reply) => sendOipError(request, reply, err));
  const hide = { schema: { hide: true } };

  app.get('/v2/health/live', hide, async () => ({ live: true }));
  app.get('/v2/health/ready', hide, async (_request, reply) => {
    const ready = (await services.health.check()).status === 'ok';
    return reply.code(ready ? 200 : 503).send({ ready });
  });
  app.get('/v2', hide, async (request) => {
    await requireCaller(request, deps);
    return { name: 'flywheel', version: deps.version, extensions: [] as string[] };
  });

  /** The served model a metadata or ready call names, after checking `action`. */
  const served = async (request: FastifyRequest<{ Params: ModelParams }>, action: ProjectAction) => {
    const version = versionOf(request.params);
    await authorizeServingCall(request, deps, action, request.params.model, 'oip.read');
    return services.predict.servedModel(request.params.model, version);
  };

  for (const base of ['/v2/models/:model', '/v2/models/:model/versions/:version']) {
    app.get<{ Params: ModelParams }>(base, hide, async (request) => {
      const m = await served(request, 'deployment.read');
      return { name: m.deployment, versions: [String(m.version)], platform: 'onnxruntime', ...tensorMetadata(m.features, m) };
    });
    app.get<{ Params: ModelParams }>(`${base}/ready`, hide, async (request) => {
      const m = await served(request, 'deployment.read');
      return { name: m.deployment, ready: true };
    });
    const onRequest = async (request: FastifyRequest<{ Params: ModelParams }>) => markServing(request, { protocol: 'oip', deployment: request.params.model });
    app.post<{ Params: ModelParams }>(`${base}/infer`, { ...hide, bodyLimit: 32 * 1024 * 1024, onRequest }, async (request, reply) => {
      const name = request.params.model;
      const version = versionOf(request.params);
      const { access } = await authorizeServingCall(request, deps, 'deployment.predict', name, 'oip.infer');
      // Route first (primary, canary, or the version asked for): the tensors are read by that version's features.
      const routed = await services.predict.route(name, version);
      const m = services.predict.routedModel(routed);
      const body = request.body as Record<string, unknown>;
      const input = inferInputs(body, m.features);
      const wanted = requestedOutputs(body, m);
      const result = await services.predict.predict(access, name, input, { routed });
      servedBy(reply, result.model_version, result.route);
      markServing(request, { protocol: 'oip', deployment: name, version: result.model_version, rows: result.predictions.length });
      const id = typeof body.id === 'string' ? body.id : request.id;
      return { model_name: result.deployment, model_version: String(result.model_version), id, outputs: outputTensors(result.predictions, m, wanted) };
    });
  }
}
