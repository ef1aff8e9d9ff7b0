// Push ingest, POST /api/v1/projects/:project/datasets/:dataset/rows, registered from its contract
// like every route (auth, refusals audited, OpenAPI, client), in a context of its own for its body
// parser: a body that is exactly `{"rows":[{…},…]}` is scanned from its text (push-body.ts: each
// row's JSON text goes to the engine, no row is built or serialised again, and the contract's
// per-row checks hold by construction); any other body is parsed as JSON and validated by the
// contract's schema, as on every route, so it gets the same answers and errors as ever. The
// caller and their permission come through the access cache (the contract's cachedAccess).
import type { FastifyInstance } from 'fastify';
import { validatorCompiler } from 'fastify-type-provider-zod';
import { api } from '../../contracts/index.js';
import { MAX_PUSH_ROWS } from '../../domain/index.js';
import { ScannedPushBody, scanPushBody } from '../../services/datasets/push-body.js';
import { registerEndpoint, type RouteDeps } from '../route.js';

type ValidatorFactory = Parameters<FastifyInstance['setValidatorCompiler']>[0];

/** A scanned body passes as it is (checked by the scan); a parsed one is validated by its schema. */
const scannedOrValidated: ValidatorFactory = (route) => {
  const validate = validatorCompiler(route as never);
  if (route.httpPart !== 'body') return validate;
  return (data: unknown) => (data instanceof ScannedPushBody ? { value: data } : validate(data));
};

export function registerDatasetPushRoute(app: FastifyInstance, deps: RouteDeps): void {
  void app.register(async (context) => {
    // JSON as Fastify parses it when the scan declines (the same errors: empty or invalid bodies are 400s).
    const parseJson = context.getDefaultJsonParser('error', 'error');
    context.removeContentTypeParser('application/json');
    context.addContentTypeParser('application/json', { parseAs: 'string' }, (request, text, done) => {
      const scanned = scanPushBody(text as string, MAX_PUSH_ROWS);
      if (scanned) done(null, scanned);
      else parseJson(request, text as string, done);
    });
    context.setValidatorCompiler(scannedOrValidated);
    registerEndpoint(
      context,
      api.pushRows,
      async ({ ctx, access, params, body, request }) => {
        const header = request.headers['idempotency-key'];
        const key = Array.isArray(header) ? header[0] : header;
        const rows = (body as unknown) instanceof ScannedPushBody ? (body as unknown as ScannedPushBody) : body.rows;
        return deps.services.datasetStaging.push(ctx, access, params.dataset, key, rows);
      },
      deps,
    );
  });
}
