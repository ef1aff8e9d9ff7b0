// Flywheel's own serving URL, POST /api/v1/deployments/:deployment/predict, on a lean path: the
// contract's schemas document it (OpenAPI, client), but the body is checked once, by the predict
// service against the served model's features (errors name the field, e.g.
// `body.rows[3].temp_max`), not by zod first; a large `{columns, data}` body of numbers is read
// straight from its text into columns (numeric-batch-scan.ts), each row's text going to the
// prediction log as sent; the caller and its permission come through the access cache; the
// answer is serialised straight from the column-wise outcome. The route lives in its own context
// for that body parser. Refused calls are audited and every request
// counted in /metrics, as on every other route; only warnings and errors are logged.
import type { FastifyInstance } from 'fastify';
import { validatorCompiler } from 'fastify-type-provider-zod';
import { api } from '../../contracts/index.js';
import { AppError } from '../../domain/errors.js';
import { scanNumericBatch } from '../../services/serving/numeric-batch-scan.js';
import { ScannedPredictBody, type PredictBody } from '../../services/serving/predict-input.js';
import { predictJson } from '../predict-json.js';
import type { RouteDeps } from '../route.js';
import { servedBy } from '../served-by.js';
import { authorizeServingCall } from '../serving-call.js';
import { markServing } from '../serving-metrics.js';

type ValidatorFactory = Parameters<FastifyInstance['setValidatorCompiler']>[0];

/** The body passes as parsed (the service checks it); params and query are validated by their schemas. */
const bodyAsParsed: ValidatorFactory = (route) => (route.httpPart === 'body' ? (data: unknown) => ({ value: data }) : validatorCompiler(route as never));

/** Bodies from this size are tried with the numeric batch scan (below it JSON.parse is as quick). */
const SCAN_FROM_BYTES = 2048;

export function registerPredictRoute(app: FastifyInstance, deps: RouteDeps): void {
  void app.register(async (context) => predictRoute(context, deps));
}

function predictRoute(app: FastifyInstance, deps: RouteDeps): void {
  const e = api.predict;
  // JSON as Fastify parses it (the same errors: empty or invalid bodies are 400s).
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: e.bodyLimit }, (_request, bytes, done) => {
    const body = bytes as Buffer;
    if (body.length === 0) return done(new AppError('invalid_input', 'the request body is empty but content-type says JSON', { details: { field: 'body' } }), undefined);
    // A large `{columns, data}` body of numbers is read straight from its bytes into columns (no
    // string of the body, no value per number); any other body, or one the scan does not take,
    // is parsed as JSON.
    const scanned = body.length >= SCAN_FROM_BYTES ? scanNumericBatch(body) : undefined;
    if (scanned) return done(null, new ScannedPredictBody(scanned));
    try {
      const parsed: unknown = JSON.parse(body.toString('utf8'));
      done(null, parsed);
    } catch (err) {
      done(err as Error, undefined);
    }
  });
  app.route({
    method: e.method,
    url: e.path,
    bodyLimit: e.bodyLimit,
    schema: {
      summary: e.summary,
      tags: [e.tag],
      operationId: e.id,
      params: e.params,
      body: e.body,
      response: { 200: e.response },
      security: [{ bearer: [] }, { session: [] }],
    },
    validatorCompiler: bodyAsParsed,
    // No access-log line per prediction (two JSON lines a request would cost more than the model
    // run): every request is counted in /metrics and every prediction is in the prediction log;
    // server errors are still logged.
    logLevel: 'warn',
    handler: async (request, reply) => {
      const name = (request.params as { deployment: string }).deployment;
      const { access } = await authorizeServingCall(request, deps, 'deployment.predict', name, e.id);
      const outcome = await deps.services.predict.run(access, name, request.body as PredictBody | ScannedPredictBody);
      servedBy(reply, outcome.model_version, outcome.route);
      markServing(request, { protocol: 'flywheel', deployment: outcome.deployment, version: outcome.model_version, rows: outcome.ids.length });
      reply.type('application/json');
      return predictJson(outcome);
    },
  });
}
