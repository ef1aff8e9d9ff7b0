// Long-running work of `up` and `worker`: the pool of job processes and the maintenance schedule.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Cron } from 'croner';
import type { Logger } from 'pino';
import { WorkerPool } from '../storage/jobs/worker-pool.js';
import { publicUrlOf, type Platform } from '../platform.js';
import { MAINTENANCE_TASK } from './tasks.js';

/** The child entry next to this module (.js when built, .ts when run from source). */
function childEntry(): string {
  const js = fileURLToPath(new URL('./job-child.js', import.meta.url));
  return existsSync(js) ? js : fileURLToPath(new URL('./job-child.ts', import.meta.url));
}

export function startWorkers(platform: Platform, logger: Logger): WorkerPool {
  const pool = new WorkerPool({
    queue: platform.queue,
    childEntry: childEntry(),
    concurrency: platform.config.workers,
    // Jobs open the same stores as this process, whatever its environment said.
    env: {
      FLYWHEEL_HOME: platform.config.home,
      FLYWHEEL_DATABASE_URL: platform.config.databaseUrl,
      FLYWHEEL_ARTIFACTS: platform.config.artifactsUrl,
      ...(platform.config.secretKey ? { FLYWHEEL_SECRET_KEY: platform.config.secretKey } : {}),
      FLYWHEEL_ALLOW_COMMANDS: platform.config.allowCommands ? '1' : '0',
      FLYWHEEL_PUBLIC_URL: publicUrlOf(platform.config),
      FLYWHEEL_SOURCE_NETWORKS: platform.config.sourceNetworks ?? 'private',
    },
    logger: {
      info: (m, d) => logger.info(d ?? {}, m),
      warn: (m, d) => logger.warn(d ?? {}, m),
      error: (m, d) => logger.error(d ?? {}, m),
    },
  });
  pool.start();
  return pool;
}

/** Hourly housekeeping as a deduplicated job (one pending at a time across all servers). */
export function startMaintenance(platform: Platform): Cron {
  return new Cron('17 * * * *', { timezone: 'UTC', protect: true }, async () => {
    await platform.queue.enqueue({ task: MAINTENANCE_TASK, payload: {}, project_id: null, job_key: MAINTENANCE_TASK });
  });
}
