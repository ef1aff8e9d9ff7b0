// A project's secrets (write-only values).
import { api } from '../../contracts/index.js';
import type { Handlers, RouteDeps } from '../route.js';

export const secretEndpoints = { listSecrets: api.listSecrets, putSecret: api.putSecret, deleteSecret: api.deleteSecret };

export function secretHandlers({ services }: RouteDeps): Handlers<typeof secretEndpoints> {
  return {
    listSecrets: async ({ access }) => ({ items: await services.secrets.list(access), next_cursor: null }),
    putSecret: async ({ ctx, access, params, body }) => services.secrets.put(ctx, access, params.name, body.value),
    deleteSecret: async ({ ctx, access, params }) => {
      await services.secrets.delete(ctx, access, params.name);
      return { ok: true as const };
    },
  };
}
