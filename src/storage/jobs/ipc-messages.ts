// The messages a worker pool and a job's child process exchange over the IPC channel.
import type { Job } from '../../domain/entities.js';

/** Parent → child: run this job (sent once the child says it is ready). */
export interface RunMessage {
  type: 'run';
  job: Job;
}

/** Child → parent. `ready` comes first, then progress reports, then one `done` or `error`. */
export type ChildMessage =
  | { type: 'ready' }
  | { type: 'progress'; fraction: number; message?: string }
  | { type: 'done'; result: unknown }
  | { type: 'error'; message: string };

export function isChildMessage(value: unknown): value is ChildMessage {
  const type = (value as { type?: unknown } | null)?.type;
  return type === 'ready' || type === 'progress' || type === 'done' || type === 'error';
}

export function isRunMessage(value: unknown): value is RunMessage {
  return (value as { type?: unknown } | null)?.type === 'run' && typeof (value as RunMessage).job === 'object';
}
