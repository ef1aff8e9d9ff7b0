// One claimed job running in its own child process: IPC with the child, lease heartbeats,
// cancellation, and recording the outcome in the queue.
import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Job } from '../../domain/entities.js';
import type { JobQueue } from '../../domain/ports/job-queue.js';
import { isChildMessage, type ChildMessage, type RunMessage } from './ipc-messages.js';
import type { JobLogger } from './job-logger.js';

export interface JobProcessOptions {
  queue: JobQueue;
  workerId: string;
  leaseMs: number;
  /** Module the child runs; it calls runChild() from child-harness.ts. */
  childEntry: string | URL;
  env?: Record<string, string>;
  logger: JobLogger;
  /** After SIGTERM, wait this long before SIGKILL. */
  killGraceMs?: number;
}

type State = 'running' | 'cancelling' | 'lost' | 'abandoned';

/** A file path from a path, a file: URL string or a URL. */
export function entryPath(entry: string | URL): string {
  if (entry instanceof URL) return fileURLToPath(entry);
  return entry.startsWith('file:') ? fileURLToPath(entry) : entry;
}

/** Node options for the child: TypeScript entries (tests, development) load through tsx. */
export function childExecArgv(path: string): string[] {
  if (!/\.[cm]?ts$/.test(path)) return [];
  let tsx = 'tsx';
  try {
    tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  } catch {
    // Leave it to Node's resolution from the working directory.
  }
  return ['--import', tsx];
}

export class JobProcess {
  /** Settles once the child has exited and the outcome is recorded (never rejects). */
  readonly finished: Promise<void>;
  private readonly child: ChildProcess;
  private state: State = 'running';
  private outcome: ChildMessage['type'] | undefined;
  private progress: { fraction: number; message?: string } | undefined;
  private writes: Promise<void> = Promise.resolve();
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private killTimer: NodeJS.Timeout | undefined;
  private beating = false;

  constructor(
    readonly job: Job,
    private readonly options: JobProcessOptions,
  ) {
    const path = entryPath(options.childEntry);
    this.child = fork(path, [], {
      execArgv: childExecArgv(path),
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      serialization: 'json',
    });
    this.child.on('message', (message) => this.onMessage(message));
    this.child.on('error', (error) => options.logger.error('job child process error', { job: job.id, error: error.message }));
    this.finished = new Promise((resolve) => {
      this.child.once('close', (code, signal) => resolve(this.onClose(code, signal)));
    });
    this.heartbeatTimer = setInterval(() => void this.beat(), Math.max(10, Math.floor(options.leaseMs / 3)));
    options.logger.info('job started', { job: job.id, task: job.task, attempt: job.attempts, pid: this.child.pid });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Kill the child now and record nothing: the lease expires and another worker retries the job. */
  abandon(): void {
    if (this.state === 'running' || this.state === 'cancelling') this.state = 'abandoned';
    this.child.kill('SIGKILL');
  }

  private onMessage(message: unknown): void {
    if (!isChildMessage(message)) return;
    const { queue, workerId } = this.options;
    switch (message.type) {
      case 'ready': {
        const run: RunMessage = { type: 'run', job: this.job };
        this.child.send(run, (error) => {
          if (error) this.options.logger.warn('could not send the job to its child', { job: this.job.id, error: error.message });
        });
        return;
      }
      case 'progress':
        this.progress = { fraction: message.fraction, ...(message.message === undefined ? {} : { message: message.message }) };
        return;
      case 'done':
        if (this.outcome) return;
        this.outcome = 'done';
        this.stopHeartbeat();
        this.record('complete', () => queue.complete(this.job.id, workerId, message.result));
        return;
      case 'error':
        if (this.outcome) return;
        this.outcome = 'error';
        this.stopHeartbeat();
        // A cancelled task usually throws on its abort signal: that is recorded as cancelled on exit.
        if (this.state === 'running') this.record('fail', () => queue.fail(this.job.id, workerId, message.message));
        return;
    }
  }

  private async onClose(code: number | null, signal: NodeJS.Signals | null): Promise<void> {
    this.stopHeartbeat();
    if (this.killTimer) clearTimeout(this.killTimer);
    const { queue, workerId, logger } = this.options;
    if (this.state === 'cancelling' && this.outcome !== 'done') {
      this.record('markCancelled', () => queue.markCancelled(this.job.id, workerId));
    } else if (this.state === 'running' && this.outcome === undefined) {
      const error = `worker process exited with code ${code} / signal ${signal}`;
      this.record('fail', () => queue.fail(this.job.id, workerId, error));
    }
    await this.writes;
    logger.info('job ended', { job: this.job.id, state: this.state, outcome: this.outcome ?? null, code, signal });
  }

  private async beat(): Promise<void> {
    if (this.beating || this.state !== 'running') return;
    this.beating = true;
    try {
      const answer = await this.options.queue.heartbeat(this.job.id, this.options.workerId, this.options.leaseMs, this.progress);
      if (this.state !== 'running' || this.outcome) return;
      if (answer.lost) {
        this.options.logger.warn('job lease lost: stopping its process', { job: this.job.id });
        this.state = 'lost';
        this.terminate();
      } else if (answer.cancelRequested) {
        this.options.logger.info('job cancel requested: stopping its process', { job: this.job.id });
        this.state = 'cancelling';
        this.terminate();
      }
    } catch (error) {
      this.options.logger.warn('job heartbeat failed', { job: this.job.id, error: (error as Error).message });
    } finally {
      this.beating = false;
    }
  }

  /** SIGTERM (the task's signal aborts), then SIGKILL if it has not exited after the grace period. */
  private terminate(): void {
    this.stopHeartbeat();
    this.child.kill('SIGTERM');
    this.killTimer = setTimeout(() => this.child.kill('SIGKILL'), this.options.killGraceMs ?? 5000);
  }

  private stopHeartbeat(): void {
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = undefined;
  }

  private record(what: string, write: () => Promise<unknown>): void {
    this.writes = this.writes
      .then(write)
      .then(
        () => undefined,
        (error: unknown) => this.options.logger.error(`job ${what} could not be recorded`, { job: this.job.id, error: (error as Error).message }),
      );
  }
}
