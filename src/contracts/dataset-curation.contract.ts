// Curating datasets: counts per rule for the quarantine browser, re-admitting fixed rows into a
// new version, the editable declared schema, and a version's lineage (what it came from, what used it).
import { z } from 'zod';
import { COLUMN_TYPES, SEMANTICS } from '../domain/datasets.js';
import { MAX_READMIT_ROWS } from '../domain/dataset-curation.js';
import { EpochMs, ProjectParams } from './common.js';
import { ColumnSchemaView, DatasetVersionView } from './datasets.contract.js';
import { endpoint } from './endpoint.js';

/** Largest re-admit body (64 MiB: 10,000 rows of a few KiB each). */
export const MAX_READMIT_BYTES = 64 * 1024 ** 2;

const DatasetParams = ProjectParams.extend({ dataset: z.string().min(1).max(100) });
const VersionParams = DatasetParams.extend({
  version: z.string().regex(/^([1-9][0-9]{0,8}|latest)$/, 'must be a version number (1, 2, …) or latest'),
});

export const QuarantineSummaryView = z.object({
  total: z.number().int(),
  readmitted: z.number().int(),
  rules: z.array(z.object({ rule: z.string(), rows: z.number().int(), readmitted: z.number().int() })),
});
export type QuarantineSummaryView = z.infer<typeof QuarantineSummaryView>;

export const getQuarantineSummary = endpoint({
  id: 'datasets.quarantine.rules',
  method: 'GET',
  path: '/api/v1/projects/:project/datasets/:dataset/versions/:version/quarantine/rules',
  summary: "A version's quarantined rows counted per rule (and how many of each were re-admitted): the quarantine browser's filter chips",
  tag: 'datasets',
  auth: { action: 'dataset.read' },
  params: VersionParams,
  response: QuarantineSummaryView,
});

export const ReadmitView = z.object({
  version: DatasetVersionView.nullable(),
  origin_version: z.number().int(),
  accepted: z.array(z.object({ line: z.number().int() })),
  rejected: z.array(z.object({ line: z.number().int(), rule: z.string(), reason: z.string() })),
});
export type ReadmitView = z.infer<typeof ReadmitView>;

export const readmitQuarantine = endpoint({
  id: 'datasets.readmit',
  method: 'POST',
  path: '/api/v1/projects/:project/datasets/:dataset/versions/:version/quarantine/readmit',
  summary:
    `Re-admit edited quarantined rows (at most ${MAX_READMIT_ROWS}): each {line, values} is checked by the latest version's schema and rules; ` +
    'rows that pass become a new version (parent: the latest; its rows: the latest\'s and these), rows that still fail are answered with their rule and reason and nothing is written for them. ' +
    'values replace the quarantined text of the columns they name. A line not in the quarantine answers 400, a line re-admitted already 409.',
  tag: 'datasets',
  auth: { action: 'dataset.write' },
  params: VersionParams,
  body: z.object({
    rows: z
      .array(z.object({ line: z.number().int().min(1), values: z.record(z.string(), z.string().max(1024 ** 2).nullable()) }))
      .min(1)
      .max(MAX_READMIT_ROWS),
  }),
  bodyLimit: MAX_READMIT_BYTES,
  response: ReadmitView,
});

export const SchemaStateView = z.object({
  dataset: z.string(),
  declared: z.boolean(),
  based_on_version: z.number().int().nullable(),
  columns: z.array(ColumnSchemaView),
  key: z.array(z.string()).nullable(),
  candidate_keys: z.array(z.array(z.string())),
  pending_type_changes: z.array(z.object({ column: z.string(), from: z.enum(COLUMN_TYPES), to: z.enum(COLUMN_TYPES) })),
  updated_by: z.string().nullable(),
  updated_at: EpochMs.nullable(),
  /** How edits apply (existing versions never change). */
  note: z.string(),
});
export type SchemaStateView = z.infer<typeof SchemaStateView>;

export const getDatasetSchema = endpoint({
  id: 'datasets.schema.get',
  method: 'GET',
  path: '/api/v1/projects/:project/datasets/:dataset/schema',
  summary: "The dataset's declared schema (seeded from the latest version until saved): types, nullability, semantic types, key, and candidate keys",
  tag: 'datasets',
  auth: { action: 'dataset.read' },
  params: DatasetParams,
  response: SchemaStateView,
});

export const putDatasetSchema = endpoint({
  id: 'datasets.schema.put',
  method: 'PUT',
  path: '/api/v1/projects/:project/datasets/:dataset/schema',
  summary:
    'Change the declared schema: the columns named (type, nullable, semantic; others keep theirs) and the key (null clears it). ' +
    'Types apply from the next ingest (rows that do not fit are quarantined); existing versions are immutable.',
  tag: 'datasets',
  auth: { action: 'dataset.write' },
  params: DatasetParams,
  body: z.object({
    columns: z
      .array(
        z.object({
          name: z.string().min(1).max(255),
          type: z.enum(COLUMN_TYPES).optional(),
          nullable: z.boolean().optional(),
          semantic: z.enum(SEMANTICS).optional(),
        }),
      )
      .max(4096)
      .optional(),
    key: z.array(z.string().min(1).max(255)).max(32).nullable().optional(),
  }),
  response: SchemaStateView,
});

const VersionRefView = z.object({ id: z.string(), version: z.number().int(), source_kind: z.enum(['file', 'push', 'readmit']), created_at: EpochMs });

export const LineageView = z.object({
  dataset: z.string(),
  version: VersionRefView,
  came_from: z.object({
    parent: VersionRefView.nullable(),
    source: DatasetVersionView.shape.source,
    batches: z.array(z.object({ id: z.string(), idempotency_key: z.string(), rows: z.number().int(), created_at: EpochMs })),
    readmit: z.object({ version_id: z.string(), version: z.number().int(), lines: z.array(z.number().int()) }).nullable(),
  }),
  children: z.array(VersionRefView),
  readmitted_into: z.array(z.object({ version_id: z.string(), version: z.number().int(), rows: z.number().int() })),
  used_by: z.object({
    labelling_jobs: z.array(z.object({ id: z.string(), name: z.string(), status: z.string(), created_at: EpochMs })),
    runs: z.array(z.object({ id: z.string(), name: z.string(), status: z.string(), experiment_id: z.string(), created_at: EpochMs })),
    models: z.array(z.object({ model_id: z.string(), model: z.string(), version: z.number().int(), id: z.string(), run_id: z.string().nullable(), created_at: EpochMs })),
    monitors: z.array(z.object({ id: z.string(), name: z.string(), deployment: z.string(), created_at: EpochMs })),
  }),
  hidden: z.array(z.enum(['labelling_jobs', 'runs', 'models', 'monitors'])),
});
export type LineageView = z.infer<typeof LineageView>;

export const getVersionLineage = endpoint({
  id: 'datasets.lineage',
  method: 'GET',
  path: '/api/v1/projects/:project/datasets/:dataset/versions/:version/lineage',
  summary:
    'What a version came from (parent, source, pushed batches, re-admitted lines) and what used it (labelling jobs, training runs, models trained on it, monitors); ' +
    "lists the caller's role may not read are left out and named in `hidden`",
  tag: 'datasets',
  auth: { action: 'dataset.read' },
  params: VersionParams,
  response: LineageView,
});
