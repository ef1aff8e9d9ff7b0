// Repository of annotation exchange (Label Studio import/export): outside annotators, imported
// tasks' original JSON and imported labels' provenance. Part of the metadata store.
import type { ExchangeTask, ExternalAnnotator, LabelProvenance } from '../annotation-exchange.js';

export interface AnnotationExchangeRepository {
  /** ConflictError when (project, provider, external id) is taken. */
  createAnnotator(a: ExternalAnnotator): Promise<void>;
  getAnnotator(projectId: string, provider: string, externalId: string): Promise<ExternalAnnotator | undefined>;
  createTask(t: ExchangeTask): Promise<void>;
  /** The imported task of the job with that outside id, if any. */
  taskByExternalId(jobId: string, externalId: string): Promise<ExchangeTask | undefined>;
  /** The originals of those of `taskIds` that were imported. */
  tasks(taskIds: string[]): Promise<ExchangeTask[]>;
  createProvenance(p: LabelProvenance): Promise<void>;
  /** The provenance of those of `labelIds` that were imported. */
  provenance(labelIds: string[]): Promise<LabelProvenance[]>;
  /** Whether the task already holds the provider's annotation of that outside id. */
  hasAnnotation(taskId: string, provider: string, externalId: string): Promise<boolean>;
}
