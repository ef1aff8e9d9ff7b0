// The one error hierarchy of Flywheel. Services throw these; only the server's error handler
// maps codes to HTTP statuses, and the client rebuilds the same classes from the wire.

export type ErrorKind = 'user' | 'unexpected';

export interface ErrorWire {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

export class AppError extends Error {
  readonly code: string;
  readonly kind: ErrorKind;
  readonly details?: Record<string, unknown>;

  constructor(
    code: string,
    message: string,
    options: { kind?: ErrorKind; details?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.kind = options.kind ?? 'user';
    this.details = options.details;
  }

  toWire(): ErrorWire {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.details ? { details: this.details } : {}),
      },
    };
  }
}

/** A thing named by id or name does not exist (or the caller may not know it exists). */
export class NotFoundError extends AppError {
  constructor(what: string, id: string, details?: Record<string, unknown>) {
    super('not_found', `${what} '${id}' was not found`, { details: { what, id, ...details } });
  }
}

/** The request is malformed: `field` names the offending input (e.g. `body.name`). */
export class ValidationError extends AppError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('invalid_input', message, { details });
  }
}

/** A name or key is already taken, or the state does not allow the change. */
export class ConflictError extends AppError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('conflict', message, { details });
  }
}

/** No valid credentials were presented (missing, wrong, expired or revoked). */
export class UnauthorizedError extends AppError {
  constructor(message = 'authentication required', details?: Record<string, unknown>) {
    super('unauthenticated', message, { details });
  }
}

/** The caller is known but its role does not grant the action. */
export class ForbiddenError extends AppError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('forbidden', message, { details });
  }
}

/** The request body is larger than the endpoint accepts. */
export class PayloadTooLargeError extends AppError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('payload_too_large', message, { details });
  }
}

/** Something failed that the caller could not have prevented. */
export class UnexpectedError extends AppError {
  constructor(message: string, cause?: unknown) {
    super('internal', message, { kind: 'unexpected', cause });
  }
}

const BY_CODE: Record<string, new (message: string, details?: Record<string, unknown>) => AppError> = {
  invalid_input: ValidationError,
  conflict: ConflictError,
  unauthenticated: UnauthorizedError,
  forbidden: ForbiddenError,
  payload_too_large: PayloadTooLargeError,
};

/** Rebuild the right subclass from the wire format (used by the client). */
export function errorFromWire(wire: ErrorWire['error']): AppError {
  if (wire.code === 'not_found') {
    const e = new NotFoundError(String(wire.details?.what ?? 'resource'), String(wire.details?.id ?? ''));
    Object.assign(e, { message: wire.message, details: wire.details });
    return e;
  }
  const Ctor = BY_CODE[wire.code];
  if (Ctor) return new Ctor(wire.message, wire.details);
  return new AppError(wire.code, wire.message, {
    kind: wire.code === 'internal' ? 'unexpected' : 'user',
    details: wire.details,
  });
}
