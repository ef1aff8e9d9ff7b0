// Hyper-parameter searches and their trials.
import { api } from '../../contracts/index.js';
import type { Handlers, RouteDeps } from '../route.js';

export const searchEndpoints = { startSearch: api.startSearch, listSearchTrials: api.listSearchTrials };

export function searchHandlers({ services }: RouteDeps): Handlers<typeof searchEndpoints> {
  return {
    startSearch: async ({ ctx, access, body }) => services.searches.start(ctx, access, body as never),
    listSearchTrials: async ({ access, params }) => services.searches.trials(access, params.run),
  };
}
