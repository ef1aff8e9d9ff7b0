// The caller's API tokens.
import { api } from '../../contracts/index.js';
import type { Handlers, RouteDeps } from '../route.js';

export const tokenEndpoints = { listTokens: api.listTokens, createToken: api.createToken, revokeToken: api.revokeToken };

export function tokenHandlers({ services }: RouteDeps): Handlers<typeof tokenEndpoints> {
  return {
    listTokens: async ({ ctx, query }) => services.tokens.list(ctx, query),
    createToken: async ({ ctx, body }) => services.tokens.create(ctx, body),
    revokeToken: async ({ ctx, params }) => {
      await services.tokens.revoke(ctx, params.token);
      return { ok: true as const };
    },
  };
}
