// What a task handler sees when it runs in a job's child process (see child-harness.ts).

export interface TaskContext {
  jobId: string;
  projectId: string | null;
  /** 1 on the first run, 2 on the first retry, … */
  attempt: number;
  /** Report progress in [0, 1]; the worker pool stores the latest with its next heartbeat. */
  progress(fraction: number, message?: string): void;
  /** Aborted when the job is cancelled or its worker stops (SIGTERM): stop soon after. */
  signal: AbortSignal;
}

/** Runs one job: its resolved value (JSON-serialisable) becomes the job's result. */
export type TaskHandler = (payload: unknown, ctx: TaskContext) => unknown | Promise<unknown>;
