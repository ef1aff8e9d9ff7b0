// The entry side of a job's child process: receive one job from the worker pool, run its task,
// report progress and the outcome over IPC, then exit.
import type { Job } from '../../domain/entities.js';
import { isRunMessage, type ChildMessage } from './ipc-messages.js';
import type { TaskContext, TaskHandler } from './task.js';

function send(message: ChildMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.connected) return resolve();
    process.send!(message, undefined, {}, () => resolve());
  });
}

function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

/**
 * Make this process a job child of a WorkerPool: call it once from the module the pool forks.
 * @example
 *   // my-tasks.child.ts
 *   runChild({ echo: (payload) => payload });
 */
export function runChild(tasks: Record<string, TaskHandler>): void {
  if (!process.send) throw new Error('runChild: this process was not started by a WorkerPool (no IPC channel)');
  const controller = new AbortController();
  let started = false;

  // Cancellation or shutdown: abort the task; exit at once if nothing runs yet.
  process.on('SIGTERM', () => {
    if (!started) process.exit(143);
    controller.abort(new Error('job cancelled'));
  });
  // The pool is gone (it died or was killed): our job's lease will expire; stop here.
  process.on('disconnect', () => process.exit(1));

  process.on('message', (message: unknown) => {
    if (started || !isRunMessage(message)) return;
    started = true;
    void run(tasks, message.job, controller.signal);
  });
  void send({ type: 'ready' });
}

async function run(tasks: Record<string, TaskHandler>, job: Job, signal: AbortSignal): Promise<void> {
  let outcome: ChildMessage;
  const handler = Object.hasOwn(tasks, job.task) ? tasks[job.task] : undefined;
  if (!handler) {
    outcome = { type: 'error', message: `unknown task ${job.task}` };
  } else {
    const ctx: TaskContext = {
      jobId: job.id,
      projectId: job.project_id,
      attempt: job.attempts,
      progress: (fraction, message) => void send({ type: 'progress', fraction, ...(message === undefined ? {} : { message }) }),
      signal,
    };
    try {
      outcome = { type: 'done', result: await handler(job.payload, ctx) };
    } catch (error) {
      outcome = { type: 'error', message: errorMessage(error) };
    }
  }
  try {
    await send(outcome);
  } catch (error) {
    // The result could not be sent (not serialisable): report that instead.
    await send({ type: 'error', message: `could not send the result: ${errorMessage(error)}` });
  }
  process.exit(0);
}
