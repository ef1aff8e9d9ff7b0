// The collection loop of `up` and `worker`: every few seconds enqueue the sources' due pulls and
// scheduled commits, and poll the drop folder. Safe to run in many processes at once (the
// scheduler's compare-and-set and the drop folder's rename claim each slot and file once); the
// work itself runs as background jobs, never on this thread.
import type { Logger } from 'pino';
import type { Platform } from '../platform.js';

/** How often due pulls are looked for (schedules have minute resolution). */
export const SCHEDULER_TICK_MS = 10_000;

export interface Collection {
  stop(): Promise<void>;
}

/** Run `fn` now and then every `everyMs`, never two at once; answers a stopper that waits for the current round. */
function repeat(everyMs: number, fn: () => Promise<void>): () => Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let current: Promise<void> = Promise.resolve();
  const round = () => {
    if (stopped) return;
    current = fn().finally(() => {
      if (!stopped) timer = setTimeout(round, everyMs);
    });
  };
  timer = setTimeout(round, 0);
  return async () => {
    stopped = true;
    clearTimeout(timer);
    await current;
  };
}

export function startCollection(platform: Platform, logger: Logger, options: { tickMs?: number; dropPollMs?: number } = {}): Collection {
  const { datasetSources, dropFolder } = platform.services;
  const stopScheduler = repeat(options.tickMs ?? SCHEDULER_TICK_MS, async () => {
    try {
      const due = await datasetSources.enqueueDue();
      for (const job of [...due.pulls, ...due.commits]) logger.info({ job: job.id, task: job.task, job_key: job.job_key }, 'scheduled source job enqueued');
      for (const error of due.errors) logger.warn({ error }, 'a due source could not be scheduled');
    } catch (err) {
      logger.warn({ err }, 'the source scheduler tick failed; it will try again');
    }
  });
  const stopDrop = repeat(options.dropPollMs ?? (platform.config.dropPollSeconds ?? 5) * 1000, async () => {
    try {
      const polled = await dropFolder.poll();
      for (const c of polled.claimed) logger.info({ folder: c.folder, file: c.file, job: c.job_id }, 'dropped file claimed');
      for (const r of polled.rejected) logger.warn({ folder: r.folder, file: r.file, reason: r.reason }, 'dropped file rejected');
    } catch (err) {
      logger.warn({ err }, 'the drop folder poll failed; it will try again');
    }
  });
  return {
    async stop() {
      await Promise.all([stopScheduler(), stopDrop()]);
    },
  };
}
