// Background jobs of a project.
import { z } from 'zod';
import { endpoint } from './endpoint.js';
import { EpochMs, PageQuery, ProjectParams, pageOf } from './common.js';

export const JobView = z.object({
  id: z.string(),
  project_id: z.string().nullable(),
  task: z.string(),
  job_key: z.string().nullable(),
  status: z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled']),
  attempts: z.number().int(),
  max_attempts: z.number().int(),
  run_at: EpochMs,
  progress: z.number(),
  progress_message: z.string().nullable(),
  last_error: z.string().nullable(),
  result: z.unknown(),
  cancel_requested: z.boolean(),
  created_at: EpochMs,
  updated_at: EpochMs,
  finished_at: EpochMs.nullable(),
});
export type JobView = z.infer<typeof JobView>;

const JobParams = ProjectParams.extend({ job: z.string().min(1).max(100) });

export const listJobs = endpoint({
  id: 'jobs.list',
  method: 'GET',
  path: '/api/v1/projects/:project/jobs',
  summary: "A project's background jobs, newest first",
  tag: 'jobs',
  auth: { action: 'job.read' },
  params: ProjectParams,
  query: PageQuery.extend({ status: z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled']).optional() }),
  response: pageOf(JobView),
});

export const getJob = endpoint({
  id: 'jobs.get',
  method: 'GET',
  path: '/api/v1/projects/:project/jobs/:job',
  summary: 'One job with its progress',
  tag: 'jobs',
  auth: { action: 'job.read' },
  params: JobParams,
  response: JobView,
});

export const cancelJob = endpoint({
  id: 'jobs.cancel',
  method: 'POST',
  path: '/api/v1/projects/:project/jobs/:job/cancel',
  summary: 'Cancel a queued job, or ask a running one to stop',
  tag: 'jobs',
  auth: { action: 'job.cancel' },
  params: JobParams,
  response: JobView,
});
