// The job-queue port, with graphile-worker's semantics: durable, leased with expiry, retried with
// backoff, deduplicated by job key, cancellable, reporting progress.
import type { Job } from '../entities.js';
import type { Page, PageRequest } from '../pagination.js';

export interface EnqueueRequest {
  task: string;
  payload: unknown;
  project_id: string | null;
  /** At most one queued or running job per key: enqueueing again returns the existing job. */
  job_key?: string;
  max_attempts?: number;
  run_at?: number;
  created_by?: string | null;
}

export interface JobQueue {
  enqueue(req: EnqueueRequest): Promise<Job>;
  get(id: string): Promise<Job | undefined>;
  list(page: PageRequest, filter: { projectId?: string | null; status?: Job['status'] }): Promise<Page<Job>>;
  /** A queued job is cancelled at once; a running job is asked to stop (its worker sees it). */
  cancel(id: string): Promise<Job | undefined>;

  /** Worker side: lease the next due job for `leaseMs`, or undefined when none is due. */
  claim(workerId: string, leaseMs: number, tasks?: string[]): Promise<Job | undefined>;
  /** Extend the lease and record progress; answers whether cancellation was requested. */
  heartbeat(id: string, workerId: string, leaseMs: number, progress?: { fraction: number; message?: string }): Promise<{ cancelRequested: boolean; lost: boolean }>;
  complete(id: string, workerId: string, result: unknown): Promise<void>;
  /** Record a failure: retried with exponential backoff until max_attempts, then failed. */
  fail(id: string, workerId: string, error: string): Promise<Job | undefined>;
  /** Mark a running job whose cancel was requested as cancelled. */
  markCancelled(id: string, workerId: string): Promise<void>;
  ping(): Promise<void>;
}
