// What a caller may send to create or change a source, checked field by field: a bad URL
// scheme, cron expression or time zone is a ValidationError naming the field. Credentials are
// never echoed back in a message.
import type { DataFormat } from '../../domain/datasets.js';
import { redactUrl, type SourceKind } from '../../domain/dataset-sources.js';
import { ValidationError } from '../../domain/errors.js';
import { NAME_PATTERN, NAME_RULE } from '../../domain/names.js';
import { isDataFormat } from './formats.js';
import { checkCron, checkTimezone } from './schedule.js';

export const MAX_URL_LENGTH = 4096;
export const MAX_QUERY_LENGTH = 100_000;

export interface SourceCommitInput {
  /** Commit once this many rows are staged (sets the dataset's commit_at_rows). */
  every_rows?: number | null;
  /** Commit the staged rows on this cron schedule (in the source's time zone). */
  cron?: string | null;
}

export interface SourceInput {
  name: string;
  kind: SourceKind;
  /** http: the file's URL (http:// or https://). Kept encrypted: it may carry a token. */
  url?: string;
  /** http: the file's format; default from the URL's extension, else the Content-Type. */
  format?: DataFormat | null;
  /** postgres: one SELECT statement. */
  query?: string;
  /** postgres: postgres://user:password@host:port/database. Kept encrypted, never returned. */
  connection_string?: string;
  schedule: string;
  /** IANA time zone of the schedule; default UTC. */
  timezone?: string;
  enabled?: boolean;
  commit?: SourceCommitInput | null;
}

export type SourceUpdate = Partial<Omit<SourceInput, 'name' | 'kind'>>;

/** A checked source: what is stored, plus the locator (URL or connection string) that goes into its secret. */
export interface CheckedFields {
  format?: DataFormat | null;
  query?: string | null;
  locator?: string;
  location?: string;
  schedule?: string;
  timezone?: string;
  enabled?: boolean;
  commit_every_rows?: number | null;
  commit_cron?: string | null;
}

export function checkHttpUrl(raw: unknown, field: string): string {
  if (typeof raw !== 'string' || raw.trim() === '') throw new ValidationError(`${field} is required for an http source`, { field });
  if (raw.length > MAX_URL_LENGTH) throw new ValidationError(`${field} is longer than ${MAX_URL_LENGTH} characters`, { field });
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new ValidationError(`${field} is not a valid URL`, { field });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ValidationError(`${field} must use http:// or https:// (got ${url.protocol}//)`, { field });
  }
  if (url.hostname === '') throw new ValidationError(`${field} has no host`, { field });
  return url.toString();
}

export function checkConnectionString(raw: unknown, field: string): string {
  if (typeof raw !== 'string' || raw.trim() === '') throw new ValidationError(`${field} is required for a postgres source`, { field });
  if (raw.length > MAX_URL_LENGTH) throw new ValidationError(`${field} is longer than ${MAX_URL_LENGTH} characters`, { field });
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new ValidationError(`${field} must be a URL of the form postgres://user:password@host:5432/database`, { field });
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ValidationError(`${field} must start with postgres:// or postgresql:// (got ${url.protocol}//)`, { field });
  }
  if (url.hostname === '') throw new ValidationError(`${field} has no host`, { field });
  return raw.trim();
}

function checkQuery(raw: unknown, field: string): string {
  if (typeof raw !== 'string' || raw.trim() === '') throw new ValidationError(`${field} is required for a postgres source (one SELECT statement)`, { field });
  if (raw.length > MAX_QUERY_LENGTH) throw new ValidationError(`${field} is longer than ${MAX_QUERY_LENGTH} characters`, { field });
  return raw.trim();
}

function checkCommit(commit: SourceCommitInput | null | undefined, fields: CheckedFields): void {
  if (commit === undefined) return;
  const rows = commit?.every_rows ?? null;
  if (rows !== null && (!Number.isSafeInteger(rows) || rows < 1)) throw new ValidationError('body.commit.every_rows must be a positive integer or null', { field: 'body.commit.every_rows' });
  fields.commit_every_rows = rows;
  const cron = commit?.cron ?? null;
  fields.commit_cron = cron === null || cron.trim() === '' ? null : checkCron(cron, 'body.commit.cron');
}

/** Check a new source's fields (kind-specific ones included). */
export function checkNewSource(input: SourceInput): Required<Pick<CheckedFields, 'locator' | 'location' | 'schedule' | 'timezone' | 'enabled'>> & CheckedFields {
  if (!NAME_PATTERN.test(input.name)) throw new ValidationError(`body.name ${NAME_RULE}`, { field: 'body.name' });
  const fields = checkFields(input.kind, input);
  if (input.kind === 'http' && fields.locator === undefined) checkHttpUrl(undefined, 'body.url');
  if (input.kind === 'postgres') {
    if (fields.query === undefined) checkQuery(undefined, 'body.query');
    if (fields.locator === undefined) checkConnectionString(undefined, 'body.connection_string');
  }
  if (fields.schedule === undefined) checkCron('', 'body.schedule');
  return {
    ...fields,
    locator: fields.locator!,
    location: fields.location!,
    schedule: fields.schedule!,
    timezone: fields.timezone ?? 'UTC',
    enabled: fields.enabled ?? true,
    format: fields.format ?? null,
    query: fields.query ?? null,
    commit_every_rows: fields.commit_every_rows ?? null,
    commit_cron: fields.commit_cron ?? null,
  };
}

/** Check the fields present in `input` for a source of `kind`; absent fields stay absent. */
export function checkFields(kind: SourceKind, input: SourceUpdate): CheckedFields {
  const out: CheckedFields = {};
  if (kind === 'http') {
    if (input.query !== undefined) throw new ValidationError('body.query is for postgres sources; an http source has a url', { field: 'body.query' });
    if (input.connection_string !== undefined) throw new ValidationError('body.connection_string is for postgres sources', { field: 'body.connection_string' });
    if (input.url !== undefined) {
      out.locator = checkHttpUrl(input.url, 'body.url');
      out.location = redactUrl(out.locator);
    }
    if (input.format !== undefined) {
      if (input.format !== null && !isDataFormat(input.format)) throw new ValidationError('body.format must be csv, jsonl or parquet', { field: 'body.format' });
      out.format = input.format;
    }
  } else if (kind === 'postgres') {
    if (input.url !== undefined) throw new ValidationError('body.url is for http sources; a postgres source has a connection_string and a query', { field: 'body.url' });
    if (input.format !== undefined && input.format !== null) throw new ValidationError('body.format is for http sources (a query is read as rows)', { field: 'body.format' });
    if (input.query !== undefined) out.query = checkQuery(input.query, 'body.query');
    if (input.connection_string !== undefined) {
      out.locator = checkConnectionString(input.connection_string, 'body.connection_string');
      out.location = redactUrl(out.locator);
    }
  } else {
    throw new ValidationError(`body.kind must be http or postgres, got '${String(kind)}'`, { field: 'body.kind' });
  }
  if (input.schedule !== undefined) out.schedule = checkCron(input.schedule, 'body.schedule');
  if (input.timezone !== undefined) out.timezone = checkTimezone(input.timezone, 'body.timezone');
  if (input.enabled !== undefined) out.enabled = Boolean(input.enabled);
  checkCommit(input.commit, out);
  return out;
}
