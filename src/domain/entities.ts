// The entities of the foundations: users, sessions, tokens, projects, members, audit, secrets.
import type { ProjectRole, TokenRole } from './roles.js';

export interface User {
  id: string;
  username: string;
  display_name: string;
  is_admin: boolean;
  disabled: boolean;
  created_at: number;
}

export interface UserWithSecret extends User {
  password_hash: string;
}

export interface Session {
  id: string;
  user_id: string;
  token_hash: string;
  csrf_hash: string;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
}

export interface ApiToken {
  id: string;
  user_id: string;
  name: string;
  role: TokenRole;
  /** When set, the token acts only in this project (and it is its default project). */
  project_id: string | null;
  token_hash: string;
  prefix: string;
  created_at: number;
  expires_at: number | null;
  revoked_at: number | null;
  last_used_at: number | null;
}

export interface Project {
  id: string;
  name: string;
  description: string;
  created_by: string;
  created_at: number;
  updated_at: number;
}

export interface Member {
  project_id: string;
  user_id: string;
  username: string;
  display_name: string;
  role: ProjectRole;
  added_by: string;
  added_at: number;
}

export type AuditOutcome = 'success' | 'denied' | 'failed';

export interface AuditEvent {
  id: string;
  /** Position in the instance-wide hash chain, starting at 1. */
  seq: number;
  project_id: string | null;
  actor_id: string | null;
  actor_name: string;
  action: string;
  target_ids: Record<string, string>;
  outcome: AuditOutcome;
  details: Record<string, unknown>;
  request_id: string | null;
  at: number;
  prev_hash: string;
  hash: string;
}

export type NewAuditEvent = Omit<AuditEvent, 'id' | 'seq' | 'prev_hash' | 'hash'>;

export interface SecretRecord {
  id: string;
  project_id: string | null;
  name: string;
  /** AES-256-GCM: base64 of iv | tag | ciphertext. */
  ciphertext: string;
  created_at: number;
  updated_at: number;
}

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface Job {
  id: string;
  project_id: string | null;
  task: string;
  payload: unknown;
  /** Deduplication key: at most one unfinished job per key. */
  job_key: string | null;
  status: JobStatus;
  attempts: number;
  max_attempts: number;
  run_at: number;
  locked_by: string | null;
  locked_until: number | null;
  progress: number;
  progress_message: string | null;
  last_error: string | null;
  result: unknown;
  cancel_requested: boolean;
  created_by: string | null;
  created_at: number;
  updated_at: number;
  finished_at: number | null;
}
