// Continuous collection: a dataset's scheduled sources (an HTTP(S) file, or a SQL query against
// PostgreSQL) and the record of each pull. Where a source reads from is a credential (a URL may
// carry a token, a connection string a password): it is kept encrypted as a project secret, and
// only a display form without credentials (`location`) is stored beside the source.
import type { DataFormat } from './datasets.js';

export const SOURCE_KINDS = ['http', 'postgres'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

export const SOURCE_RUN_STATUSES = ['running', 'succeeded', 'failed'] as const;
export type SourceRunStatus = (typeof SOURCE_RUN_STATUSES)[number];

export const SOURCE_RUN_TRIGGERS = ['schedule', 'manual'] as const;
export type SourceRunTrigger = (typeof SOURCE_RUN_TRIGGERS)[number];

/** A source of a dataset, pulled on a cron schedule into the dataset's staging area. */
export interface ScheduledSource {
  id: string;
  project_id: string;
  dataset_id: string;
  /** Unique within the dataset. */
  name: string;
  kind: SourceKind;
  /** The declared file format (http); null = from the URL's extension or the Content-Type. Postgres pulls are JSON Lines. */
  format: DataFormat | null;
  /** Where it reads from, without credentials: `https://host/path?…` or `postgres://host:5432/db`. */
  location: string;
  /** The SQL of a postgres source; null for http. */
  query: string | null;
  /** The project secret holding the full URL or connection string (never shown). */
  secret_name: string;
  /** A five-field cron expression, read in `timezone`. */
  schedule: string;
  /** An IANA time zone, e.g. `Europe/Oslo`. */
  timezone: string;
  enabled: boolean;
  /** Staged rows at which a pull commits them as a version (sets the dataset's commit_at_rows); null = not by count. */
  commit_every_rows: number | null;
  /** A cron expression (in `timezone`) at which the staged rows are committed; null = not by schedule. */
  commit_cron: string | null;
  /** When the next scheduled pull is due (epoch ms); null when it has none. */
  next_run_at: number | null;
  /** When the next scheduled commit is due; null without `commit_cron`. */
  next_commit_at: number | null;
  created_by: string;
  created_at: number;
  updated_at: number;
}

/** One pull of a source: a background job's outcome. */
export interface SourceRun {
  id: string;
  project_id: string;
  source_id: string;
  dataset_id: string;
  job_id: string | null;
  trigger: SourceRunTrigger;
  /** The schedule slot the pull was for (scheduled pulls), else null. */
  scheduled_for: number | null;
  status: SourceRunStatus;
  started_at: number;
  finished_at: number | null;
  /** Size and sha256 of what was pulled (the downloaded file, or the query's rows as JSON Lines). */
  bytes: number | null;
  sha256: string | null;
  rows_read: number;
  /** Rows newly staged (0 when the same content was staged before). */
  rows_staged: number;
  rows_quarantined: number;
  /** True when the pulled content had been staged already (nothing was staged again). */
  unchanged: boolean;
  /** The staged batch the rows went into. */
  batch_id: string | null;
  /** The version the rows were committed into when this pull reached commit_every_rows. */
  committed_version_id: string | null;
  /** Why the run failed (readable; never holds credentials). */
  error: string | null;
}

/** The secret that holds a source's URL or connection string. */
export function sourceSecretName(sourceId: string): string {
  return `dataset-source-${sourceId}`;
}

/**
 * A URL as it may be shown: no user name or password, and query values hidden.
 * @example redactUrl('https://u:p@example.com/data.csv?token=abc') // 'https://example.com/data.csv?token=***'
 */
export function redactUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return '(invalid URL)';
  }
  const params = [...url.searchParams.keys()].map((k) => `${encodeURIComponent(k)}=***`);
  const port = url.port ? `:${url.port}` : '';
  const path = url.protocol === 'postgres:' || url.protocol === 'postgresql:' ? url.pathname.split('/').slice(0, 2).join('/') : url.pathname;
  return `${url.protocol}//${url.hostname}${port}${path}${params.length > 0 ? `?${params.join('&')}` : ''}`;
}

/** What staging a whole file answers (a pulled or dropped file; see DatasetStagingService.stageFile). */
export interface StageFileReport {
  batch_id: string;
  rows_read: number;
  accepted: number;
  quarantined: number;
  by_rule: Record<string, number>;
  /** Accepted rows waiting in the staging area after this file (at the time it was stored). */
  staged_rows: number;
  /** True when a file with the same key was staged before: nothing was stored again. */
  replayed: boolean;
  committed_version_id: string | null;
}
