// Repositories of dataset curation (part of the metadata store; conventions in metadata-store.ts):
// the declared schema per dataset, the marks of re-admitted quarantine lines, and the lineage
// queries (what used a version).
import type { DeclaredSchema, ReadmitMark, VersionLineage, VersionRef } from '../dataset-curation.js';

export interface DatasetSchemaRepository {
  /** Insert or replace the dataset's declared schema. */
  put(schema: DeclaredSchema): Promise<void>;
  get(datasetId: string): Promise<DeclaredSchema | undefined>;
}

export interface DatasetReadmitRepository {
  /** Throws ConflictError (field `line`) when a line of that origin version was re-admitted already. */
  createMany(marks: ReadmitMark[]): Promise<void>;
  /** The marks of `lines` of the origin version (those re-admitted), by line. */
  getLines(originVersionId: string, lines: number[]): Promise<ReadmitMark[]>;
  /** Re-admitted lines of the origin version per rule. */
  countByRule(originVersionId: string): Promise<Record<string, number>>;
  /** The lines a version took from `originVersionId`'s quarantine, ascending. */
  linesOf(versionId: string): Promise<{ origin_version_id: string; lines: number[] } | undefined>;
  /** Versions that took lines of the origin version, with how many. */
  intoVersions(originVersionId: string): Promise<Array<{ version_id: string; version: number; rows: number }>>;
}

/** Read-only lookups across repositories, by a dataset version's id (all within one project). */
export interface DatasetLineageRepository {
  children(projectId: string, versionId: string): Promise<VersionRef[]>;
  committedBatches(projectId: string, versionId: string): Promise<VersionLineage['came_from']['batches']>;
  labellingJobs(projectId: string, versionId: string): Promise<VersionLineage['used_by']['labelling_jobs']>;
  runs(projectId: string, versionId: string): Promise<VersionLineage['used_by']['runs']>;
  /** Model versions naming the dataset version, or trained by a run that did. */
  models(projectId: string, versionId: string): Promise<VersionLineage['used_by']['models']>;
  monitors(projectId: string, versionId: string): Promise<VersionLineage['used_by']['monitors']>;
}

export interface DatasetCurationRepositories {
  datasetSchemas: DatasetSchemaRepository;
  datasetReadmits: DatasetReadmitRepository;
  datasetLineage: DatasetLineageRepository;
}
