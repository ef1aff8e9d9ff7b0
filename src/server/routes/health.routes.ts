// Liveness and dependencies.
import { api } from '../../contracts/index.js';
import type { Handlers, RouteDeps } from '../route.js';

export const healthEndpoints = { health: api.health };

export function healthHandlers({ services }: RouteDeps): Handlers<typeof healthEndpoints> {
  return {
    health: async ({ reply }) => {
      const report = await services.health.check();
      if (report.status !== 'ok') reply.header('retry-after', '5');
      return report;
    },
  };
}
