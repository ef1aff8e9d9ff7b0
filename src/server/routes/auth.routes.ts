// Sign-in, sign-out, the caller, password change.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type {} from '@fastify/cookie';
import { api } from '../../contracts/index.js';
import { CSRF_COOKIE, SESSION_COOKIE } from '../authenticate.js';
import type { Handlers, RouteDeps } from '../route.js';

export const authEndpoints = { login: api.login, logout: api.logout, me: api.me, changePassword: api.changePassword };

function setSessionCookies(request: FastifyRequest, reply: FastifyReply, session: string, csrf: string) {
  const secure = request.protocol === 'https';
  reply.setCookie(SESSION_COOKIE, session, { path: '/', httpOnly: true, sameSite: 'lax', secure });
  reply.setCookie(CSRF_COOKIE, csrf, { path: '/', httpOnly: false, sameSite: 'lax', secure });
}

export function authHandlers({ services }: RouteDeps): Handlers<typeof authEndpoints> {
  return {
    login: async ({ body, request, reply }) => {
      const result = await services.auth.login(body.username, body.password, request.id);
      setSessionCookies(request, reply, result.sessionToken, result.csrfToken);
      return { user: result.user, csrf_token: result.csrfToken };
    },
    logout: async ({ ctx, caller, reply }) => {
      if (caller?.session) await services.auth.logout(ctx, caller.session.id);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      reply.clearCookie(CSRF_COOKIE, { path: '/' });
      return { ok: true as const };
    },
    me: async ({ ctx }) => ({
      user: ctx.principal.user,
      via: ctx.principal.via === 'token' ? ('token' as const) : ('session' as const),
      token_role: ctx.principal.token?.role ?? null,
    }),
    changePassword: async ({ ctx, body, reply }) => {
      await services.auth.changePassword(ctx, body.current_password, body.new_password);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { ok: true as const };
    },
  };
}
