// Instance users (admin only).
import { api } from '../../contracts/index.js';
import type { Handlers, RouteDeps } from '../route.js';

export const userEndpoints = {
  listUsers: api.listUsers,
  createUser: api.createUser,
  updateUser: api.updateUser,
  resetPassword: api.resetPassword,
};

export function userHandlers({ services }: RouteDeps): Handlers<typeof userEndpoints> {
  return {
    listUsers: async ({ query }) => services.users.list(query),
    createUser: async ({ ctx, body }) => services.users.create(ctx, body),
    updateUser: async ({ ctx, params, body }) => services.users.update(ctx, params.user, body),
    resetPassword: async ({ ctx, params }) => services.users.resetPassword(ctx, params.user),
  };
}
