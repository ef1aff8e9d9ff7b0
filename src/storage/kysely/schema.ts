// Table types of the metadata database, as Kysely sees them. Booleans are stored as 0/1
// integers and times as epoch-ms int8 on both dialects (PostgreSQL hands int8 back as strings
// unless the pg type parser is set, which connect.ts does).
import type { LoopTables } from './schema-loop.js';
import type { RunSearchTables } from './schema-run-search.js';
import type { AnnotationTables } from './schema-annotation.js';
import type { AnnotationExchangeTables } from './schema-annotation-exchange.js';
import type { AnnotationQualityTables } from './schema-annotation-quality.js';
import type { ServingTables } from './schema-serving.js';
import type { ModelCardTables } from './schema-model-cards.js';
import type { DatasetTables } from './schema-datasets.js';
import type { StagingTables } from './schema-staging.js';
import type { RunArtifactTables } from './schema-run-artifacts.js';
import type { SearchTrialTables } from './schema-search-trials.js';
import type { DatasetSourceTables } from './schema-dataset-sources.js';
import type { DatasetCurationTables } from './schema-dataset-curation.js';

export interface UsersTable {
  id: string;
  username: string;
  display_name: string;
  password_hash: string;
  is_admin: number;
  disabled: number;
  created_at: number;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  token_hash: string;
  csrf_hash: string;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
}

export interface ApiTokensTable {
  id: string;
  user_id: string;
  project_id: string | null;
  name: string;
  role: string;
  token_hash: string;
  prefix: string;
  created_at: number;
  expires_at: number | null;
  revoked_at: number | null;
  last_used_at: number | null;
}

export interface ProjectsTable {
  id: string;
  name: string;
  description: string;
  created_by: string;
  created_at: number;
  updated_at: number;
}

export interface ProjectMembersTable {
  project_id: string;
  user_id: string;
  role: string;
  added_by: string;
  added_at: number;
}

export interface AuditEventsTable {
  id: string;
  seq: number;
  project_id: string | null;
  actor_id: string | null;
  actor_name: string;
  action: string;
  target_ids: string; // JSON
  outcome: string;
  details: string; // JSON
  request_id: string | null;
  at: number;
  prev_hash: string;
  hash: string;
}

/** One row (id = 1) holding the chain's head, locked while appending. */
export interface AuditHeadTable {
  id: number;
  seq: number;
  hash: string;
}

export interface SecretsTable {
  id: string;
  /** '' for instance-level secrets, so the unique key works on both dialects. */
  project_id: string;
  name: string;
  ciphertext: string;
  created_at: number;
  updated_at: number;
}

export interface JobsTable {
  id: string;
  project_id: string | null;
  task: string;
  payload: string; // JSON
  job_key: string | null;
  status: string;
  attempts: number;
  max_attempts: number;
  run_at: number;
  locked_by: string | null;
  locked_until: number | null;
  progress: number;
  progress_message: string | null;
  last_error: string | null;
  result: string | null; // JSON
  cancel_requested: number;
  created_by: string | null;
  created_at: number;
  updated_at: number;
  finished_at: number | null;
}

export interface Database extends LoopTables, AnnotationTables, AnnotationExchangeTables, AnnotationQualityTables, ServingTables, ModelCardTables, DatasetTables, StagingTables, RunArtifactTables, DatasetCurationTables, DatasetSourceTables, RunSearchTables, SearchTrialTables {
  users: UsersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  projects: ProjectsTable;
  project_members: ProjectMembersTable;
  audit_events: AuditEventsTable;
  audit_head: AuditHeadTable;
  secrets: SecretsTable;
  jobs: JobsTable;
}
