// Trainer command runs (bring your own trainer).
import { api } from '../../contracts/index.js';
import type { Handlers, RouteDeps } from '../route.js';

export const commandRunEndpoints = { startCommandRun: api.startCommandRun };

export function commandRunHandlers({ services }: RouteDeps): Handlers<typeof commandRunEndpoints> {
  return {
    startCommandRun: async ({ ctx, access, body }) => services.commandRuns.start(ctx, access, body),
  };
}
