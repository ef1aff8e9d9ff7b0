// Datasets, their immutable versions (schema, profile, cleansing report), ingest and quarantine.
import { z } from 'zod';
import { IMPUTE_STRATEGIES } from '../domain/cleansing-rules.js';
import { COLUMN_TYPES, DATA_FORMATS, SEMANTICS, TEXT_ENCODINGS } from '../domain/datasets.js';
import { PII_ACTIONS, PII_DETECTORS } from '../domain/pii.js';
import { endpoint } from './endpoint.js';
import { EpochMs, Name, PageQuery, ProjectParams, pageOf } from './common.js';

/** Media types an ingest body may have, and the format each one means. */
export const INGEST_CONTENT_TYPES: Record<string, (typeof DATA_FORMATS)[number] | null> = {
  'text/csv': 'csv',
  'application/x-ndjson': 'jsonl',
  'application/jsonl': 'jsonl',
  'application/vnd.apache.parquet': 'parquet',
  'application/octet-stream': null,
};

/** Largest ingest body (2 GiB). */
export const MAX_INGEST_BYTES = 2 * 1024 ** 3;

export const IngestReportView = z.object({
  rows_read: z.number().int(),
  accepted: z.number().int(),
  quarantined: z.number().int(),
  by_rule: z.record(z.string(), z.number().int()),
  /** Empty values filled by `impute` rules, per column. */
  imputed: z.record(z.string(), z.number().int()).optional(),
  /** Accepted values in which a PII `flag` rule found something, per `<column>.<detector>`. */
  pii_flagged: z.record(z.string(), z.number().int()).optional(),
  /** Accepted values whose PII finds a `mask` rule replaced, per `<column>.<detector>`. */
  pii_masked: z.record(z.string(), z.number().int()).optional(),
});

export const ColumnSchemaView = z.object({
  name: z.string(),
  type: z.enum(COLUMN_TYPES),
  nullable: z.boolean(),
  semantic: z.enum(SEMANTICS),
});

const Scalar = z.union([z.number(), z.string()]);

export const ColumnProfileView = z.object({
  name: z.string(),
  type: z.enum(COLUMN_TYPES),
  semantic: z.enum(SEMANTICS),
  count: z.number().int(),
  nulls: z.number().int(),
  distinct: z.number().int(),
  unique: z.boolean(),
  min: Scalar.nullable(),
  max: Scalar.nullable(),
  mean: z.number().nullable(),
  std: z.number().nullable(),
  quantiles: z.array(z.object({ q: z.number(), value: z.number() })).nullable(),
  histogram: z.object({ edges: z.array(z.number()), counts: z.array(z.number().int()) }).nullable(),
  top: z.array(z.object({ value: z.string(), count: z.number().int() })).nullable(),
  text_length: z.object({ min: z.number().int(), max: z.number().int(), mean: z.number() }).nullable().optional(),
  approximate: z.boolean().optional(),
});

const PiiRuleView = z.partialRecord(z.enum(PII_DETECTORS), z.enum(PII_ACTIONS));

export const RulesView = z.object({
  columns: z.record(
    z.string(),
    z.object({
      type: z.enum(COLUMN_TYPES).optional(),
      not_null: z.boolean().optional(),
      range: z.object({ min: Scalar.optional(), max: Scalar.optional() }).optional(),
      allowed: z.array(z.union([z.string(), z.number(), z.boolean()])).optional(),
      semantic: z.enum(SEMANTICS).optional(),
      regex: z.string().optional(),
      unique: z.boolean().optional(),
      outliers: z
        .discriminatedUnion('method', [z.object({ method: z.literal('iqr'), k: z.number() }), z.object({ method: z.literal('zscore'), threshold: z.number() })])
        .optional(),
      normalize: z.object({ trim: z.boolean().optional(), case: z.enum(['lower', 'upper']).optional() }).optional(),
      impute: z.object({ strategy: z.enum(IMPUTE_STRATEGIES), value: z.union([z.string(), z.number(), z.boolean()]).optional() }).optional(),
      pii: PiiRuleView.optional(),
    }),
  ),
  dedupe: z.object({ key: z.array(z.string()), keep: z.enum(['first', 'last']) }).optional(),
  pii: PiiRuleView.optional(),
});

const StoredFileView = z.object({ sha256: z.string(), rows: z.number().int(), bytes: z.number().int() });

export const DatasetVersionSummaryView = z.object({
  id: z.string(),
  project_id: z.string(),
  dataset_id: z.string(),
  version: z.number().int(),
  parent_version_id: z.string().nullable(),
  files: z.array(StoredFileView),
  quarantine_file: z.object({ sha256: z.string(), rows: z.number().int() }).nullable(),
  report: IngestReportView,
  source: z.object({
    kind: z.enum(['file', 'push', 'readmit']),
    name: z.string(),
    format: z.enum(DATA_FORMATS),
    bytes: z.number().int(),
    sha256: z.string(),
    /** Re-admits: the version whose quarantine the rows came from. */
    origin: z.object({ version_id: z.string(), version: z.number().int(), rows: z.number().int() }).optional(),
  }),
  created_by: z.string(),
  created_at: EpochMs,
});
export type DatasetVersionSummaryView = z.infer<typeof DatasetVersionSummaryView>;

export const DatasetVersionView = DatasetVersionSummaryView.extend({
  schema: z.array(ColumnSchemaView),
  profile: z.array(ColumnProfileView),
  rules: RulesView.nullable(),
});
export type DatasetVersionView = z.infer<typeof DatasetVersionView>;

export const DatasetView = z.object({
  id: z.string(),
  project_id: z.string(),
  name: z.string(),
  description: z.string(),
  created_by: z.string(),
  created_at: EpochMs,
  latest_version: z.number().int(),
  updated_at: EpochMs,
  /** The newest version in brief (null before the first ingest). */
  latest: z.object({ id: z.string(), version: z.number().int(), report: IngestReportView, created_at: EpochMs }).nullable(),
});
export type DatasetView = z.infer<typeof DatasetView>;

export const QuarantineRowView = z.object({
  line: z.number().int(),
  rule: z.string(),
  reason: z.string(),
  values: z.record(z.string(), z.string().nullable()),
  raw: z.string().nullable(),
  /** The version the row was re-admitted into (the quarantine itself never changes); null while it is not. */
  readmitted: z.object({ version: z.number().int(), version_id: z.string() }).nullable(),
});
export type QuarantineRowView = z.infer<typeof QuarantineRowView>;

const DatasetParams = ProjectParams.extend({ dataset: z.string().min(1).max(100) });
const VersionParams = DatasetParams.extend({
  version: z.string().regex(/^([1-9][0-9]{0,8}|latest)$/, 'must be a version number (1, 2, …) or latest'),
});

export const createDataset = endpoint({
  id: 'datasets.create',
  method: 'POST',
  path: '/api/v1/projects/:project/datasets',
  summary: 'Create a dataset (its versions come from ingests)',
  tag: 'datasets',
  auth: { action: 'dataset.write' },
  status: 201,
  params: ProjectParams,
  body: z.object({ name: Name, description: z.string().max(2000).optional() }),
  response: DatasetView,
});

export const listDatasets = endpoint({
  id: 'datasets.list',
  method: 'GET',
  path: '/api/v1/projects/:project/datasets',
  summary: "A project's datasets, each with its newest version in brief",
  tag: 'datasets',
  auth: { action: 'dataset.read' },
  params: ProjectParams,
  query: PageQuery,
  response: pageOf(DatasetView),
});

export const getDataset = endpoint({
  id: 'datasets.get',
  method: 'GET',
  path: '/api/v1/projects/:project/datasets/:dataset',
  summary: 'One dataset, by name or id',
  tag: 'datasets',
  auth: { action: 'dataset.read' },
  params: DatasetParams,
  response: DatasetView,
});

export const ingestDataset = endpoint({
  id: 'datasets.ingest',
  method: 'POST',
  path: '/api/v1/projects/:project/datasets/:dataset/versions',
  summary:
    'Ingest a file as the next version: the raw file is the body (text/csv, application/x-ndjson, application/vnd.apache.parquet or application/octet-stream). ' +
    'Rows breaking a rule are quarantined; file-level problems answer 400 and write nothing.',
  tag: 'datasets',
  auth: { action: 'dataset.write' },
  status: 201,
  params: DatasetParams,
  query: z.object({
    format: z.enum(DATA_FORMATS).optional(),
    /** A rules document as JSON or YAML text, e.g. {"columns":{"wind":{"type":"double","range":{"min":0}}}}. */
    rules: z.string().max(16_000).optional(),
    /** A display name for the source file. */
    name: z.string().min(1).max(255).optional(),
    /** The text encoding of a CSV or JSON Lines body: utf-8 (the default) or latin-1 (converted). */
    encoding: z.enum(TEXT_ENCODINGS).optional(),
  }),
  rawBody: true,
  contentTypes: Object.keys(INGEST_CONTENT_TYPES),
  bodyLimit: MAX_INGEST_BYTES,
  response: DatasetVersionView,
});

export const listDatasetVersions = endpoint({
  id: 'datasets.versions.list',
  method: 'GET',
  path: '/api/v1/projects/:project/datasets/:dataset/versions',
  summary: "A dataset's versions, newest first (without schema and profile)",
  tag: 'datasets',
  auth: { action: 'dataset.read' },
  params: DatasetParams,
  query: PageQuery,
  response: pageOf(DatasetVersionSummaryView),
});

export const getDatasetVersion = endpoint({
  id: 'datasets.versions.get',
  method: 'GET',
  path: '/api/v1/projects/:project/datasets/:dataset/versions/:version',
  summary: 'One version (a number or latest): files, schema, profile, cleansing report, rules, source',
  tag: 'datasets',
  auth: { action: 'dataset.read' },
  params: VersionParams,
  response: DatasetVersionView,
});

export const listQuarantine = endpoint({
  id: 'datasets.quarantine',
  method: 'GET',
  path: '/api/v1/projects/:project/datasets/:dataset/versions/:version/quarantine',
  summary:
    "A version's quarantined rows by line: the rule each broke, why, its raw values and whether it was re-admitted. " +
    '?rule= filters by an exact rule id (temp_max.range) or a prefix ending in a dot (temp_max., parse.)',
  tag: 'datasets',
  auth: { action: 'dataset.read' },
  params: VersionParams,
  query: PageQuery.extend({ rule: z.string().min(1).max(300).optional() }),
  response: pageOf(QuarantineRowView),
});
