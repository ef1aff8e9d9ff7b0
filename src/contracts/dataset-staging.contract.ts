// Push ingest (batches of JSON rows into a dataset's staging area, idempotent per
// Idempotency-Key), the commit of staged rows into a version, and the diff of two versions.
import { z } from 'zod';
import { COLUMN_TYPES, MAX_PUSH_ROWS } from '../domain/index.js';
import { ProjectParams } from './common.js';
import { DatasetVersionView } from './datasets.contract.js';
import { endpoint } from './endpoint.js';

/** Largest push body (64 MiB: 10,000 rows of a few KiB each). */
export const MAX_PUSH_BYTES = 64 * 1024 ** 2;

const DatasetParams = ProjectParams.extend({ dataset: z.string().min(1).max(100) });

export const PushReportView = z.object({
  batch_id: z.string(),
  accepted: z.number().int(),
  quarantined: z.number().int(),
  staged_rows: z.number().int(),
  by_rule: z.record(z.string(), z.number().int()),
  quarantined_rows: z.array(z.object({ index: z.number().int(), rule: z.string(), reason: z.string() })),
  replayed: z.boolean(),
  committed_version_id: z.string().nullable(),
});
export type PushReportView = z.infer<typeof PushReportView>;

export const pushRows = endpoint({
  id: 'datasets.push',
  method: 'POST',
  path: '/api/v1/projects/:project/datasets/:dataset/rows',
  summary:
    `Push a batch of JSON rows (at most ${MAX_PUSH_ROWS}) into the dataset's staging area; the Idempotency-Key header is required. ` +
    'Rows are typed and cleansed by the latest version\'s schema and rules (bad rows quarantined, line = the row\'s position from 1). ' +
    'A retry with the same key answers the first report and stores nothing; the same key with other rows answers 409.',
  tag: 'datasets',
  auth: { action: 'dataset.write' },
  // A hot path: the caller's token and permission come through the access cache.
  cachedAccess: true,
  params: DatasetParams,
  // Each row is checked to be a JSON object by the service (naming body.rows[i]); a per-row schema
  // here would copy every row once more on the hot path of push ingest. A body that is exactly
  // {"rows":[{…},…]} is read from its text by the server (src/server/routes/dataset-push.route.ts).
  body: z.object({ rows: z.array(z.unknown().meta({ type: 'object', description: 'one row: column name → value' })).min(1).max(MAX_PUSH_ROWS) }),
  bodyLimit: MAX_PUSH_BYTES,
  response: PushReportView,
});

export const commitDataset = endpoint({
  id: 'datasets.commit',
  method: 'POST',
  path: '/api/v1/projects/:project/datasets/:dataset/commit',
  summary: 'Commit the staged rows (with the previous version\'s) as a new immutable version and empty the staging area; 409 when nothing is staged',
  tag: 'datasets',
  auth: { action: 'dataset.write' },
  status: 201,
  params: DatasetParams,
  response: DatasetVersionView,
});

export const StagingView = z.object({
  commit_at_rows: z.number().int().nullable(),
  staged_rows: z.number().int(),
  staged_batches: z.number().int(),
});
export type StagingView = z.infer<typeof StagingView>;

export const getStaging = endpoint({
  id: 'datasets.staging.get',
  method: 'GET',
  path: '/api/v1/projects/:project/datasets/:dataset/staging',
  summary: "The dataset's staging area (rows and batches waiting for a commit) and its automatic-commit setting",
  tag: 'datasets',
  auth: { action: 'dataset.read' },
  params: DatasetParams,
  response: StagingView,
});

export const putStaging = endpoint({
  id: 'datasets.staging.put',
  method: 'PUT',
  path: '/api/v1/projects/:project/datasets/:dataset/staging',
  summary: 'Set commit_at_rows: once a push brings the staged rows to it, that push commits them as a version (null: commit by hand only)',
  tag: 'datasets',
  auth: { action: 'dataset.write' },
  params: DatasetParams,
  body: z.object({ commit_at_rows: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).nullable() }),
  response: StagingView,
});

const Version = z.coerce.number().int().min(1).max(999_999_999);

export const ColumnShiftView = z.object({
  column: z.string(),
  kind: z.enum(['numeric', 'categorical']),
  psi: z.number(),
  mean_from: z.number().nullable().optional(),
  mean_to: z.number().nullable().optional(),
  mean_change: z.number().nullable().optional(),
  std_from: z.number().nullable().optional(),
  std_to: z.number().nullable().optional(),
  std_change: z.number().nullable().optional(),
  shares: z.array(z.object({ value: z.string(), from: z.number(), to: z.number(), change: z.number() })).optional(),
});

export const DatasetDiffView = z.object({
  from_version: z.number().int(),
  to_version: z.number().int(),
  key: z.array(z.string()),
  key_source: z.enum(['given', 'declared', 'candidate', 'none']),
  rows: z.object({
    from: z.number().int(),
    to: z.number().int(),
    added: z.number().int(),
    removed: z.number().int(),
    changed: z.number().int(),
    unchanged: z.number().int(),
  }),
  schema_changes: z.array(
    z.object({ column: z.string(), change: z.enum(['added', 'removed', 'retyped']), from_type: z.enum(COLUMN_TYPES).nullable(), to_type: z.enum(COLUMN_TYPES).nullable() }),
  ),
  columns: z.array(ColumnShiftView),
  samples: z.object({
    added: z.array(z.record(z.string(), z.string().nullable())),
    removed: z.array(z.record(z.string(), z.string().nullable())),
    changed: z.array(
      z.object({
        key: z.record(z.string(), z.string().nullable()),
        changes: z.array(z.object({ column: z.string(), from: z.string().nullable(), to: z.string().nullable() })),
      }),
    ),
  }),
});
export type DatasetDiffView = z.infer<typeof DatasetDiffView>;

export const diffDatasetVersions = endpoint({
  id: 'datasets.diff',
  method: 'GET',
  path: '/api/v1/projects/:project/datasets/:dataset/diff',
  summary:
    'Diff two versions (default: the latest and the one before): rows added, removed and changed (matched by ?key=col[,col…], else the declared key, else a candidate key, else whole rows), ' +
    'schema changes, and each shared column\'s shift (PSI; mean/std for numeric columns, value shares for categorical ones)',
  tag: 'datasets',
  auth: { action: 'dataset.read' },
  params: DatasetParams,
  /** `to` defaults to the latest version, `from` to the one before `to`. */
  query: z.object({ from: Version.optional(), to: Version.optional(), key: z.string().min(1).max(1000).optional() }),
  response: DatasetDiffView,
});
