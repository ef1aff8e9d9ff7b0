// Repositories of datasets' scheduled sources and their runs (part of the metadata store; see
// metadata-store.ts for the conventions). The scheduler advances a source's next due time with a
// compare-and-set, so when several servers tick at once exactly one of them enqueues the pull.
import type { ScheduledSource, SourceRun } from '../dataset-sources.js';
import type { Page, PageRequest } from '../pagination.js';

export type SourcePatch = Partial<
  Pick<
    ScheduledSource,
    'format' | 'location' | 'query' | 'schedule' | 'timezone' | 'enabled' | 'commit_every_rows' | 'commit_cron' | 'next_run_at' | 'next_commit_at'
  >
>;

export interface ScheduledSourceRepository {
  /** Throws ConflictError when the dataset already has a source of that name. */
  create(source: ScheduledSource): Promise<void>;
  getById(projectId: string, id: string): Promise<ScheduledSource | undefined>;
  getByName(datasetId: string, name: string): Promise<ScheduledSource | undefined>;
  /** A dataset's sources by id (creation order). */
  list(datasetId: string, page: PageRequest): Promise<Page<ScheduledSource>>;
  /** Enabled sources (of every project) whose next pull or next commit is due at `now`, oldest first. */
  listDue(now: number, limit: number): Promise<ScheduledSource[]>;
  update(id: string, patch: SourcePatch, at: number): Promise<void>;
  /** Move next_run_at from `expected` to `next`; answers whether this call moved it. */
  advanceRun(id: string, expected: number, next: number | null): Promise<boolean>;
  /** Move next_commit_at from `expected` to `next`; answers whether this call moved it. */
  advanceCommit(id: string, expected: number, next: number | null): Promise<boolean>;
  /** Answers whether a source was deleted (its runs go with it). */
  delete(projectId: string, id: string): Promise<boolean>;
}

export interface SourceRunRepository {
  create(run: SourceRun): Promise<void>;
  get(id: string): Promise<SourceRun | undefined>;
  getByJob(jobId: string): Promise<SourceRun | undefined>;
  /** A source's runs, newest first. */
  list(sourceId: string, page: PageRequest): Promise<Page<SourceRun>>;
  /** The newest run of each of `sourceIds` that has one. */
  latest(sourceIds: string[]): Promise<Map<string, SourceRun>>;
  update(id: string, patch: Partial<Omit<SourceRun, 'id' | 'project_id' | 'source_id' | 'dataset_id'>>): Promise<void>;
}

export interface DatasetSourceRepositories {
  datasetSources: ScheduledSourceRepository;
  sourceRuns: SourceRunRepository;
}
