// Who is calling: the local CLI (in-process only), a bearer token, or a session cookie. The
// serving URLs may look tokens up through the access cache (a verified token is trusted for a
// couple of seconds, and forgotten at once when this process revokes it).
import type { FastifyRequest } from 'fastify';
import type {} from '@fastify/cookie';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Session } from '../domain/entities.js';
import { UnauthorizedError } from '../domain/errors.js';
import type { Principal, Services } from '../services/index.js';

export type { Principal };

export const SESSION_COOKIE = 'fw_session';
export const CSRF_COOKIE = 'fw_csrf';
export const LOCAL_HEADER = 'x-flywheel-local';

export interface Caller {
  principal: Principal;
  session?: Session;
}

export interface LocalAccess {
  /** A random secret known only to the process that built the app (CLI local mode). */
  secret: string;
  /** Resolved lazily to the user that local commands act as. */
  principal: () => Promise<Principal>;
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The principal behind a bearer token, through the access cache (until the token's expiry at the latest). */
export function cachedTokenPrincipal(services: Services, raw: string): Promise<Principal> {
  const key = `token:${createHash('sha256').update(raw).digest('base64')}`;
  return services.accessCache.get(key, () => services.auth.authenticateToken(raw), (p) => p.token?.expires_at ?? null);
}

/**
 * The caller, or undefined when no credentials were sent. Invalid credentials throw 401. With
 * `cachedTokens`, a bearer token is looked up through the access cache.
 */
export async function identify(request: FastifyRequest, services: Services, local?: LocalAccess, opts: { cachedTokens?: boolean } = {}): Promise<Caller | undefined> {
  const localHeader = request.headers[LOCAL_HEADER];
  if (local && typeof localHeader === 'string' && sameSecret(localHeader, local.secret)) {
    return { principal: await local.principal() };
  }
  const authorization = request.headers.authorization;
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    if (!match) throw new UnauthorizedError('the Authorization header must be "Bearer <token>"');
    return { principal: await (opts.cachedTokens ? cachedTokenPrincipal(services, match[1]) : services.auth.authenticateToken(match[1])) };
  }
  const cookie = request.cookies?.[SESSION_COOKIE];
  if (cookie) return services.auth.authenticateSession(cookie);
  return undefined;
}
