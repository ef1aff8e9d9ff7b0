// A pool that claims jobs from the queue and runs each in its own child process, never on the
// caller's thread; `concurrency` jobs at a time.
import { availableParallelism, hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Job } from '../../domain/entities.js';
import type { JobQueue } from '../../domain/ports/job-queue.js';
import { consoleJobLogger, type JobLogger } from './job-logger.js';
import { JobProcess } from './job-process.js';

export interface WorkerPoolOptions {
  queue: JobQueue;
  /** Module each job's child process runs: it calls runChild() with the task handlers. */
  childEntry: string | URL;
  /** Jobs at once; default: one less than the available CPUs, at least 1. */
  concurrency?: number;
  /** Lease per claim, renewed every leaseMs / 3 while the job runs; default 30 s. */
  leaseMs?: number;
  /** How often to look for due jobs when idle; default 500 ms. */
  pollMs?: number;
  /** Default `${hostname}:${pid}:${random}`. */
  workerId?: string;
  /** Claim only these tasks; default: any. */
  tasks?: string[];
  /** Extra environment variables for the child processes. */
  env?: Record<string, string>;
  logger?: JobLogger;
  /** After SIGTERM (cancel, lost lease), wait this long before SIGKILL; default 5 s. */
  killGraceMs?: number;
}

/**
 * @example
 *   const pool = new WorkerPool({ queue, childEntry: new URL('./tasks.child.js', import.meta.url) });
 *   pool.start();
 *   // … on shutdown:
 *   await pool.stop();
 */
export class WorkerPool {
  readonly workerId: string;
  private readonly concurrency: number;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly logger: JobLogger;
  private readonly running = new Map<string, JobProcess>();
  private loop: Promise<void> | undefined;
  private stopping = false;
  private wakeUp: (() => void) | undefined;

  constructor(private readonly options: WorkerPoolOptions) {
    this.workerId = options.workerId ?? `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
    this.concurrency = Math.max(1, Math.floor(options.concurrency ?? availableParallelism() - 1));
    this.leaseMs = options.leaseMs ?? 30_000;
    this.pollMs = options.pollMs ?? 500;
    this.logger = options.logger ?? consoleJobLogger;
  }

  /** Jobs whose child processes are alive now. */
  get activeJobs(): number {
    return this.running.size;
  }

  /** Child pids by job id (for diagnostics and tests). */
  childPids(): Map<string, number | undefined> {
    return new Map([...this.running].map(([id, p]) => [id, p.pid]));
  }

  start(): void {
    if (this.loop) return;
    this.stopping = false;
    this.loop = this.poll();
  }

  /**
   * Stop claiming, wait up to `timeoutMs` for running jobs to end, then kill the rest without
   * recording anything: their leases expire and another worker retries them.
   */
  async stop(timeoutMs = 10_000): Promise<void> {
    this.stopping = true;
    this.wake();
    await this.loop;
    this.loop = undefined;
    const all = () => Promise.all([...this.running.values()].map((p) => p.finished));
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      all().then(() => false),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), timeoutMs))),
    ]);
    clearTimeout(timer);
    if (timedOut) {
      this.logger.warn('stopping: killing jobs still running', { jobs: [...this.running.keys()] });
      for (const p of this.running.values()) p.abandon();
      await all();
    }
  }

  private async poll(): Promise<void> {
    while (!this.stopping) {
      if (this.running.size >= this.concurrency) {
        await this.sleep(this.pollMs);
        continue;
      }
      let job;
      try {
        job = await this.options.queue.claim(this.workerId, this.leaseMs, this.options.tasks);
      } catch (error) {
        this.logger.error('claiming a job failed', { error: (error as Error).message });
        await this.sleep(this.pollMs);
        continue;
      }
      if (!job) {
        await this.sleep(this.pollMs);
        continue;
      }
      this.launch(job);
    }
  }

  private launch(job: Job): void {
    // Our own lease expired unnoticed (heartbeats failing) and we claimed the job again: the
    // old process is a zombie.
    this.running.get(job.id)?.abandon();
    let proc: JobProcess;
    try {
      proc = new JobProcess(job, {
        queue: this.options.queue,
        workerId: this.workerId,
        leaseMs: this.leaseMs,
        childEntry: this.options.childEntry,
        env: this.options.env,
        logger: this.logger,
        killGraceMs: this.options.killGraceMs,
      });
    } catch (error) {
      const message = `could not start the job's process: ${(error as Error).message}`;
      this.logger.error(message, { job: job.id });
      void this.options.queue.fail(job.id, this.workerId, message).catch(() => undefined);
      return;
    }
    this.running.set(job.id, proc);
    void proc.finished.then(() => {
      if (this.running.get(job.id) === proc) this.running.delete(job.id);
      this.wake();
    });
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = done;
    });
  }

  private wake(): void {
    const wakeUp = this.wakeUp;
    this.wakeUp = undefined;
    wakeUp?.();
  }
}
