// Convert a row of the jobs table to the Job entity (JSON columns parsed, numbers as numbers).
import type { Selectable } from 'kysely';
import type { Job, JobStatus } from '../../domain/entities.js';
import type { JobsTable } from '../kysely/schema.js';

function parseJson(text: string | null): unknown {
  return text === null || text === undefined ? null : JSON.parse(text);
}

function numberOrNull(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}

export function toJob(row: Selectable<JobsTable>): Job {
  return {
    id: row.id,
    project_id: row.project_id,
    task: row.task,
    payload: parseJson(row.payload),
    job_key: row.job_key,
    status: row.status as JobStatus,
    attempts: Number(row.attempts),
    max_attempts: Number(row.max_attempts),
    run_at: Number(row.run_at),
    locked_by: row.locked_by,
    locked_until: numberOrNull(row.locked_until),
    progress: Number(row.progress),
    progress_message: row.progress_message,
    last_error: row.last_error,
    result: parseJson(row.result),
    cancel_requested: Number(row.cancel_requested) === 1,
    created_by: row.created_by,
    created_at: Number(row.created_at),
    updated_at: Number(row.updated_at),
    finished_at: numberOrNull(row.finished_at),
  };
}

/** JSON text for a TEXT column; `undefined` (a task that returned nothing) is stored as null. */
export function toJsonText(value: unknown): string {
  return JSON.stringify(value === undefined ? null : value);
}
