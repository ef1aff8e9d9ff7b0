// Datasets' scheduled sources (an HTTP(S) file, or a SQL query against PostgreSQL) pulled on a
// cron schedule into the staging area, "run now", and each source's runs. URLs and connection
// strings are write-only: responses show `location`, a form without credentials.
import { z } from 'zod';
import { DATA_FORMATS } from '../domain/datasets.js';
import { SOURCE_KINDS, SOURCE_RUN_STATUSES, SOURCE_RUN_TRIGGERS } from '../domain/dataset-sources.js';
import { EpochMs, Ok, PageQuery, ProjectParams, pageOf } from './common.js';
import { endpoint } from './endpoint.js';
import { JobView } from './jobs.contract.js';

const DatasetParams = ProjectParams.extend({ dataset: z.string().min(1).max(100) });
const SourceParams = DatasetParams.extend({ source: z.string().min(1).max(100) });

export const SourceRunView = z.object({
  id: z.string(),
  project_id: z.string(),
  source_id: z.string(),
  dataset_id: z.string(),
  job_id: z.string().nullable(),
  trigger: z.enum(SOURCE_RUN_TRIGGERS),
  scheduled_for: EpochMs.nullable(),
  status: z.enum(SOURCE_RUN_STATUSES),
  started_at: EpochMs,
  finished_at: EpochMs.nullable(),
  bytes: z.number().int().nullable(),
  sha256: z.string().nullable(),
  rows_read: z.number().int(),
  rows_staged: z.number().int(),
  rows_quarantined: z.number().int(),
  unchanged: z.boolean(),
  batch_id: z.string().nullable(),
  committed_version_id: z.string().nullable(),
  error: z.string().nullable(),
});
export type SourceRunView = z.infer<typeof SourceRunView>;

export const SourceView = z.object({
  id: z.string(),
  project_id: z.string(),
  dataset_id: z.string(),
  name: z.string(),
  kind: z.enum(SOURCE_KINDS),
  format: z.enum(DATA_FORMATS).nullable(),
  /** Where it reads from, without credentials. */
  location: z.string(),
  query: z.string().nullable(),
  schedule: z.string(),
  timezone: z.string(),
  enabled: z.boolean(),
  commit_every_rows: z.number().int().nullable(),
  commit_cron: z.string().nullable(),
  /** When the next scheduled pull is due; null while the source is disabled. */
  next_run_at: EpochMs.nullable(),
  /** When the next scheduled commit is due; null without commit_cron or while disabled. */
  next_commit_at: EpochMs.nullable(),
  created_by: z.string(),
  created_at: EpochMs,
  updated_at: EpochMs,
  last_run: SourceRunView.nullable(),
});
export type SourceView = z.infer<typeof SourceView>;

const Commit = z
  .object({
    every_rows: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).nullable().optional(),
    cron: z.string().max(200).nullable().optional(),
  })
  .nullable();

/** Fields of either kind; the service checks which belong to `kind` (and names a misplaced one). */
const SourceFields = z.object({
  url: z.string().max(4096).optional(),
  format: z.enum(DATA_FORMATS).nullable().optional(),
  query: z.string().max(100_000).optional(),
  connection_string: z.string().max(4096).optional(),
  schedule: z.string().max(200),
  timezone: z.string().max(100).optional(),
  enabled: z.boolean().optional(),
  commit: Commit.optional(),
});

export const listSources = endpoint({
  id: 'datasets.sources.list',
  method: 'GET',
  path: '/api/v1/projects/:project/datasets/:dataset/sources',
  summary: "A dataset's scheduled sources, each with its next run and its newest run",
  tag: 'datasets',
  auth: { action: 'dataset.read' },
  params: DatasetParams,
  query: PageQuery,
  response: pageOf(SourceView),
});

export const createSource = endpoint({
  id: 'datasets.sources.create',
  method: 'POST',
  path: '/api/v1/projects/:project/datasets/:dataset/sources',
  summary:
    'Add a source pulled on a cron schedule (five fields, in an IANA time zone; default UTC) into the staging area: kind=http with a url (http/https; ' +
    'format from the declared one, the extension or the Content-Type), or kind=postgres with a connection_string and one SELECT query (run read-only). ' +
    'The url and connection_string are stored encrypted and never returned. commit.every_rows / commit.cron commit the staged rows as a version.',
  tag: 'datasets',
  auth: { action: 'dataset.write' },
  status: 201,
  params: DatasetParams,
  body: SourceFields.extend({ name: z.string().min(1).max(63), kind: z.enum(SOURCE_KINDS) }),
  response: SourceView,
});

export const getSource = endpoint({
  id: 'datasets.sources.get',
  method: 'GET',
  path: '/api/v1/projects/:project/datasets/:dataset/sources/:source',
  summary: 'A source by name or id',
  tag: 'datasets',
  auth: { action: 'dataset.read' },
  params: SourceParams,
  response: SourceView,
});

export const updateSource = endpoint({
  id: 'datasets.sources.update',
  method: 'PATCH',
  path: '/api/v1/projects/:project/datasets/:dataset/sources/:source',
  summary: "Change a source's schedule, time zone, enabled flag, commit settings, format, url, query or connection_string (name and kind stay)",
  tag: 'datasets',
  auth: { action: 'dataset.write' },
  params: SourceParams,
  body: SourceFields.partial(),
  response: SourceView,
});

export const deleteSource = endpoint({
  id: 'datasets.sources.delete',
  method: 'DELETE',
  path: '/api/v1/projects/:project/datasets/:dataset/sources/:source',
  summary: 'Delete a source, its runs and its stored credentials (rows it staged stay staged)',
  tag: 'datasets',
  auth: { action: 'dataset.write' },
  params: SourceParams,
  response: Ok,
});

export const runSource = endpoint({
  id: 'datasets.sources.run',
  method: 'POST',
  path: '/api/v1/projects/:project/datasets/:dataset/sources/:source/run',
  summary:
    'Pull the source now, as a background job (a pull already waiting is answered instead of a second one); follow it with the jobs API. ' +
    'A disabled source is pulled too (enabled switches the schedule only); the run is recorded with trigger manual.',
  tag: 'datasets',
  auth: { action: 'dataset.write' },
  status: 202,
  params: SourceParams,
  response: JobView,
});

export const listSourceRuns = endpoint({
  id: 'datasets.sources.runs',
  method: 'GET',
  path: '/api/v1/projects/:project/datasets/:dataset/sources/:source/runs',
  summary: "A source's runs, newest first: started, finished, status, rows staged and quarantined, error, job",
  tag: 'datasets',
  auth: { action: 'dataset.read' },
  params: SourceParams,
  query: PageQuery,
  response: pageOf(SourceRunView),
});
