// The background tasks Flywheel runs, by name. Each opens the platform in its job's process.
import type { TaskHandler } from '../storage/jobs/task.js';
import type { Platform } from '../platform.js';

export const MAINTENANCE_TASK = 'maintenance.purge-expired';

export function taskHandlers(open: () => Promise<Platform>): Record<string, TaskHandler> {
  const withPlatform =
    (fn: (p: Platform, payload: unknown) => Promise<unknown>): TaskHandler =>
    async (payload) => {
      const platform = await open();
      try {
        return await fn(platform, payload);
      } finally {
        await platform.close();
      }
    };
  return {
    [MAINTENANCE_TASK]: withPlatform(async (p) => ({ expired_sessions_deleted: await p.services.auth.purgeExpired() })),
  };
}
