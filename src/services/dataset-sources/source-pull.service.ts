// The body of a pull job: read the source's URL or connection string from its secret, fetch the
// file (HTTP) or run the query read-only (PostgreSQL) into a scratch file, and stage it under
// the key `source:<id>:<sha256>` — so pulling an unchanged file again stages nothing. Every pull
// is recorded as a run (started, finished, status, rows, error, job), failed ones included.
// Also the body of a scheduled commit.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Clock } from '../../domain/clock.js';
import type { ScheduledSource, SourceRun } from '../../domain/dataset-sources.js';
import type { DataFormat, DatasetVersion } from '../../domain/datasets.js';
import { AppError, ConflictError, NotFoundError, UnexpectedError, ValidationError } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import type { MetadataStore } from '../../domain/ports/metadata-store.js';
import type { SourceReader } from '../../domain/ports/source-reader.js';
import { jobContext } from '../access/job-context.js';
import type { DatasetStagingService } from '../datasets/staging.service.js';
import { scratchDir } from '../datasets/upload.js';
import type { SecretsService } from '../secrets/secrets.service.js';
import { formatOfMediaType, formatOfName } from './formats.js';
import type { CommitPayload, PullPayload } from './sources.service.js';

/** Bounds of one pull. */
export interface PullLimits {
  maxBytes: number;
  downloadTimeoutMs: number;
  maxRows: number;
  statementTimeoutMs: number;
  connectTimeoutMs: number;
}

export const DEFAULT_PULL_LIMITS: PullLimits = {
  maxBytes: 2 * 1024 ** 3,
  downloadTimeoutMs: 15 * 60_000,
  maxRows: 10_000_000,
  statementTimeoutMs: 10 * 60_000,
  connectTimeoutMs: 15_000,
};

export type Progress = (fraction: number, message?: string) => void;

export interface SourcePullDeps {
  store: MetadataStore;
  clock: Clock;
  secrets: SecretsService;
  staging: DatasetStagingService;
  reader?: SourceReader;
  tmpDir: string;
  limits?: Partial<PullLimits>;
}

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Progress at most every `ms` (a download reports every chunk), the final call always. */
function throttled(progress: Progress, ms = 500): Progress {
  let last = 0;
  return (fraction, message) => {
    const now = Date.now();
    if (fraction < 1 && now - last < ms) return;
    last = now;
    progress(fraction, message);
  };
}

/** A failure as a run records it: the message of our errors; a generic line (no internals) otherwise. */
function errorText(error: unknown): string {
  if (error instanceof AppError) return error.message;
  return `unexpected error: ${error instanceof Error ? error.message : String(error)}`;
}

export class SourcePullService {
  private readonly limits: PullLimits;

  constructor(private readonly deps: SourcePullDeps) {
    this.limits = { ...DEFAULT_PULL_LIMITS, ...deps.limits };
  }

  private get reader(): SourceReader {
    if (!this.deps.reader) throw new UnexpectedError('no source reader is configured');
    return this.deps.reader;
  }

  private async source(payload: { project_id: string; source_id: string }): Promise<ScheduledSource> {
    const source = await this.deps.store.datasetSources.getById(payload.project_id, payload.source_id);
    if (!source) throw new NotFoundError('dataset source', payload.source_id, { reason: 'it was deleted before the job ran' });
    return source;
  }

  /**
   * Why a queued pull should not run, or null: a scheduled pull whose source was disabled (or
   * deleted) after it was queued is dropped, so switching a schedule off takes effect at once.
   */
  async skipReason(payload: PullPayload): Promise<string | null> {
    if (payload.trigger !== 'schedule') return null;
    const source = await this.deps.store.datasetSources.getById(payload.project_id, payload.source_id);
    if (!source) return 'the source was deleted after this pull was scheduled';
    return source.enabled ? null : 'the source was disabled after this pull was scheduled';
  }

  /**
   * Run one pull (the job body). Throws after recording a failed run, so the job fails too.
   * @example await pulls.execute(job.id, job.payload as PullPayload, (f, m) => ctx.progress(f, m))
   */
  async execute(jobId: string | null, payload: PullPayload, onProgress: Progress = () => undefined, signal?: AbortSignal): Promise<SourceRun> {
    const progress = throttled(onProgress);
    const source = await this.source(payload);
    const { ctx, access } = await jobContext(this.deps.store, payload.user_id, payload.project_id);
    const runs = this.deps.store.sourceRuns;
    const started = this.deps.clock.now();
    const previous = jobId ? await runs.getByJob(jobId) : undefined; // a retried job keeps its run
    const run: SourceRun = {
      ...(previous ?? {
        id: newId(),
        project_id: source.project_id,
        source_id: source.id,
        dataset_id: source.dataset_id,
        job_id: jobId,
        trigger: payload.trigger,
        scheduled_for: payload.scheduled_for,
      }),
      status: 'running',
      started_at: started,
      finished_at: null,
      bytes: null,
      sha256: null,
      rows_read: 0,
      rows_staged: 0,
      rows_quarantined: 0,
      unchanged: false,
      batch_id: null,
      committed_version_id: null,
      error: null,
    };
    if (previous) await runs.update(run.id, run);
    else await runs.create(run);

    const scratch = await scratchDir(this.deps.tmpDir, 'pull-');
    try {
      const file = path.join(scratch.dir, 'source');
      progress(0.05, source.kind === 'http' ? 'downloading' : 'querying');
      const format = await this.fetch(source, file, progress, signal);
      if (format === null) {
        const done = { status: 'succeeded' as const, finished_at: this.deps.clock.now(), bytes: 0 };
        await runs.update(run.id, done);
        progress(1, 'the query returned no rows');
        return { ...run, ...done };
      }
      progress(0.6, 'staging');
      const sha256 = await sha256Of(file);
      const bytes = (await stat(file)).size;
      const report = await this.deps.staging.stageFile(ctx, access, source.dataset_id, file, {
        format,
        key: `source:${source.id}:${sha256}`,
        sha256,
        label: `source ${source.name}`,
      });
      const done: Partial<SourceRun> = {
        status: 'succeeded',
        finished_at: this.deps.clock.now(),
        bytes,
        sha256,
        rows_read: report.rows_read,
        rows_staged: report.replayed ? 0 : report.accepted,
        rows_quarantined: report.replayed ? 0 : report.quarantined,
        unchanged: report.replayed,
        batch_id: report.batch_id,
        committed_version_id: report.replayed ? null : report.committed_version_id,
      };
      await runs.update(run.id, done);
      progress(1, report.replayed ? 'unchanged: nothing new to stage' : `staged ${report.accepted} rows, quarantined ${report.quarantined}`);
      return { ...run, ...done };
    } catch (error) {
      await runs.update(run.id, { status: 'failed', finished_at: this.deps.clock.now(), error: errorText(error) }).catch(() => undefined);
      throw error;
    } finally {
      await scratch.remove();
    }
  }

  /** Fetch the source into `file`; answers its format, or null when a query returned no rows. */
  private async fetch(source: ScheduledSource, file: string, progress: Progress, signal?: AbortSignal): Promise<DataFormat | null> {
    const locator = await this.deps.secrets.reveal(source.project_id, source.secret_name).catch((error) => {
      if (error instanceof NotFoundError) throw new ValidationError(`the credentials of source '${source.name}' are missing (its secret was deleted): set its url or connection_string again`, { field: 'secret' });
      throw error;
    });
    if (source.kind === 'http') {
      const got = await this.reader.download({
        url: locator,
        dest: file,
        maxBytes: this.limits.maxBytes,
        timeoutMs: this.limits.downloadTimeoutMs,
        signal,
        onProgress: (bytes, total) => progress(total ? 0.05 + 0.5 * (bytes / total) : 0.3, `downloaded ${bytes} bytes`),
      });
      const format = source.format ?? formatOfName(new URL(locator).pathname) ?? formatOfMediaType(got.contentType);
      if (!format) {
        throw new ValidationError(
          `cannot tell the format of ${source.location} from its name or its Content-Type (${got.contentType ?? 'none'}): set the source's format to csv, jsonl or parquet`,
          { field: 'format' },
        );
      }
      return format;
    }
    const result = await this.reader.query({
      connectionString: locator,
      sql: source.query ?? '',
      dest: file,
      maxRows: this.limits.maxRows,
      statementTimeoutMs: this.limits.statementTimeoutMs,
      connectTimeoutMs: this.limits.connectTimeoutMs,
      signal,
      onProgress: (rows) => progress(0.3, `read ${rows} rows`),
    });
    return result.rows === 0 ? null : 'jsonl';
  }

  /** The body of a scheduled commit: commit what is staged; nothing staged is not a failure. */
  async commit(payload: CommitPayload): Promise<{ committed: boolean; version: Pick<DatasetVersion, 'id' | 'version'> | null; reason: string | null }> {
    const source = await this.source(payload);
    const { ctx, access } = await jobContext(this.deps.store, payload.user_id, payload.project_id);
    try {
      const v = await this.deps.staging.commit(ctx, access, source.dataset_id);
      return { committed: true, version: { id: v.id, version: v.version }, reason: null };
    } catch (error) {
      if (error instanceof ConflictError) return { committed: false, version: null, reason: error.message };
      throw error;
    }
  }
}
