// The only place error codes become HTTP statuses, and every error becomes the wire format
// `{ error: { code, message, details } }`.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError } from '../domain/errors.js';

const STATUS: Record<string, number> = {
  invalid_input: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  internal: 500,
};

export function statusOf(code: string): number {
  return STATUS[code] ?? 400;
}

type Issue = { instancePath: string; message: string };

/** Translate a schema validation failure into one message naming each field. */
function validationMessage(context: string | undefined, issues: Issue[]) {
  const where = context === 'querystring' ? 'query' : (context ?? 'request');
  const fields = issues.map((i) => ({
    field: `${where}${i.instancePath.replace(/\//g, '.')}`.replace(/\.$/, ''),
    message: i.message,
  }));
  const message = fields.map((f) => `${f.field}: ${f.message}`).join('; ');
  return { message: `invalid ${where}: ${message}`, details: { field: fields[0]?.field, issues: fields } };
}

/** Map any thrown error to an AppError (user errors keep their message; others are hidden). */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const e = err as FastifyError & { validationContext?: string };
  if (hasZodFastifySchemaValidationErrors(e)) {
    const { message, details } = validationMessage(e.validationContext, e.validation as unknown as Issue[]);
    return new AppError('invalid_input', message, { details });
  }
  switch (e?.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('payload_too_large', 'the request body is larger than this endpoint accepts');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError('unsupported_media_type', `content type '${String(e.message).split(': ').pop()}' is not accepted here; send application/json`);
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError('invalid_input', 'the request body is empty but content-type says JSON', { details: { field: 'body' } });
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_BAD_STATUS_CODE':
      return new AppError('invalid_input', `the request body is not valid JSON: ${e.message}`, { details: { field: 'body' } });
  }
  if (e instanceof SyntaxError || (e?.statusCode === 400 && e.message)) {
    return new AppError('invalid_input', `the request body is not valid JSON: ${e.message}`, { details: { field: 'body' } });
  }
  if (typeof e?.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    return new AppError('invalid_input', e.message);
  }
  return new AppError('internal', 'an unexpected error happened; it has been logged', { kind: 'unexpected', cause: err });
}

export function sendError(request: FastifyRequest, reply: FastifyReply, err: unknown) {
  const appError = toAppError(err);
  const status = statusOf(appError.code);
  if (appError.kind === 'unexpected') request.log.error({ err }, 'unexpected error');
  else request.log.info({ code: appError.code, status }, appError.message);
  return reply.code(status).type('application/json').send(JSON.stringify(appError.toWire()));
}
