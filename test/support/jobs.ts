// Run queued background jobs in the test's own process, through the real task handlers, on the
// test's platform (no child processes): claim, run, record the outcome, until none is due.
import type { Job } from '../../src/domain/entities.js';
import type { Platform } from '../../src/platform.js';
import { taskHandlers } from '../../src/platform/tasks.js';

export interface RanJob {
  job: Job;
  result?: unknown;
  error?: string;
}

export async function runQueuedJobs(platform: Platform, tasks?: string[]): Promise<RanJob[]> {
  const handlers = taskHandlers(async () => ({ ...platform, close: async () => undefined }));
  const worker = 'test-in-process';
  const ran: RanJob[] = [];
  for (;;) {
    const job = await platform.queue.claim(worker, 120_000, tasks);
    if (!job) return ran;
    const handler = handlers[job.task];
    try {
      if (!handler) throw new Error(`no handler for task ${job.task}`);
      const result = await handler(job.payload, { jobId: job.id, projectId: job.project_id, attempt: job.attempts, progress: () => undefined, signal: new AbortController().signal });
      await platform.queue.complete(job.id, worker, result ?? null);
      ran.push({ job, result });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await platform.queue.fail(job.id, worker, message);
      ran.push({ job, error: message });
    }
  }
}
