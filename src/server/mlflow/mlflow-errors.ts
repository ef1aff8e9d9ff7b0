// MLflow's error wire format: `{"error_code": "RESOURCE_DOES_NOT_EXIST", "message": "..."}`,
// with the status MLflow's server uses for each code.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { toAppError } from '../http-errors.js';

const BY_CODE: Record<string, { error_code: string; status: number }> = {
  not_found: { error_code: 'RESOURCE_DOES_NOT_EXIST', status: 404 },
  conflict: { error_code: 'RESOURCE_ALREADY_EXISTS', status: 400 },
  invalid_input: { error_code: 'INVALID_PARAMETER_VALUE', status: 400 },
  payload_too_large: { error_code: 'INVALID_PARAMETER_VALUE', status: 400 },
  unsupported_media_type: { error_code: 'INVALID_PARAMETER_VALUE', status: 400 },
  unauthenticated: { error_code: 'UNAUTHENTICATED', status: 401 },
  forbidden: { error_code: 'PERMISSION_DENIED', status: 403 },
};

export function sendMlflowError(request: FastifyRequest, reply: FastifyReply, err: unknown) {
  const appError = toAppError(err);
  const mapped = BY_CODE[appError.code] ?? { error_code: 'INTERNAL_ERROR', status: 500 };
  if (appError.kind === 'unexpected') request.log.error({ err }, 'unexpected error');
  else request.log.info({ code: mapped.error_code, status: mapped.status }, appError.message);
  return reply.code(mapped.status).type('application/json').send(JSON.stringify({ error_code: mapped.error_code, message: appError.message }));
}
