// MLflow's scoring protocol, so `mlflow models serve` clients work unchanged:
//   POST /deployments/{name}/invocations  (JSON: dataframe_split | dataframe_records | instances | inputs; or text/csv)
//     → {"predictions": ["rain", "sun", …]}: the predicted label per row, as MLflow answers for
//       a scikit-learn classifier's predict() (class probabilities are on Flywheel's own
//       predict endpoint and on the Open Inference Protocol); for a regression model
//       {"predictions": [10.9, 12.25, …]}, the predicted values, as for a regressor's predict().
//   GET /ping, GET /health → 200 when the server can serve (public).
// Every prediction goes through the predict service, so it is validated and logged as on
// Flywheel's own endpoint. Errors use MLflow's format {"error_code": "BAD_REQUEST", "message"}.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ValidationError } from '../../domain/errors.js';
import { statusOf, toAppError } from '../http-errors.js';
import { authorizeServingCall, type ServingDeps } from '../serving-call.js';
import { markServing } from '../serving-metrics.js';
import { servedBy } from '../served-by.js';
import { renameFields, scoringCsvInput, scoringJsonInput, type ScoringInput } from './mlflow-input.js';

/** A text/csv body, as parsed (kept apart from JSON objects). */
class CsvBody {
  constructor(readonly text: string) {}
}

const ERROR_CODES: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'RESOURCE_DOES_NOT_EXIST',
  413: 'BAD_REQUEST',
  415: 'BAD_REQUEST',
};

function sendMlflowError(request: FastifyRequest, reply: FastifyReply, err: unknown) {
  const e = toAppError(err);
  const status = statusOf(e.code);
  if (e.kind === 'unexpected') request.log.error({ err }, 'unexpected error');
  return reply
    .code(status)
    .type('application/json')
    .send(JSON.stringify({ error_code: ERROR_CODES[status] ?? 'INTERNAL_ERROR', message: e.message }));
}

export async function mlflowScoringPlugin(app: FastifyInstance, deps: ServingDeps): Promise<void> {
  const { services } = deps;
  app.setErrorHandler((err, request, reply) => sendMlflowError(request, reply, err));
  app.addContentTypeParser(['text/csv', 'application/csv'], { parseAs: 'string' }, (_req, body, done) => done(null, new CsvBody(body as string)));

  // 200 when this server can serve: its metadata store and artifact store answer (503 otherwise).
  const healthy = async (_request: FastifyRequest, reply: FastifyReply) => {
    const report = await services.health.check();
    return reply.code(report.status === 'ok' ? 200 : 503).type('text/plain').send('\n');
  };
  app.get('/ping', { schema: { hide: true } }, healthy);
  app.get('/health', { schema: { hide: true } }, healthy);

  app.post<{ Params: { name: string } }>(
    '/deployments/:name/invocations',
    {
      schema: { hide: true },
      bodyLimit: 32 * 1024 * 1024,
      // Marked before the body is parsed, so a body that is not JSON is counted too.
      onRequest: async (request) => markServing(request, { protocol: 'mlflow', deployment: request.params.name }),
    },
    async (request, reply) => {
      const name = request.params.name;
      const { access } = await authorizeServingCall(request, deps, 'deployment.predict', name, 'mlflow.invocations');
      // Route first (primary or canary): the input is read by the features of the version that answers.
      const routed = await services.predict.route(name);
      const served = services.predict.routedModel(routed);
      const payload = request.body;
      if (payload === undefined || payload === null) throw new ValidationError('the request needs a body: JSON (application/json) or CSV (text/csv)', { field: 'body' });
      const input: ScoringInput = payload instanceof CsvBody ? scoringCsvInput(payload.text, served.features) : scoringJsonInput(payload, served.features);
      try {
        const result = await services.predict.predict(access, name, input.body, { routed });
        servedBy(reply, result.model_version, result.route);
        markServing(request, { protocol: 'mlflow', deployment: name, version: result.model_version, rows: result.predictions.length });
        return { predictions: result.predictions.map((p) => ('value' in p ? p.value : p.label)) };
      } catch (err) {
        throw renameFields(err, input.rename);
      }
    },
  );
}
