// Datasets and their immutable versions: create, ingest a file (a new version whose parent is
// the previous one, cleansed by rules, quarantine kept), list, read versions and quarantines.
// The heavy work runs outside the metadata transaction; the version row, the dataset's latest
// version and the audit event are written together in one.
import { createReadStream } from 'node:fs';
import path from 'node:path';
import type { Clock } from '../../domain/clock.js';
import { parseRules, type RulesDocument } from '../../domain/cleansing-rules.js';
import { parseRulesText } from '../../domain/rules-text.js';
import type { DataFormat, Dataset, DatasetVersion, DatasetVersionSummary } from '../../domain/datasets.js';
import { ConflictError, NotFoundError, UnexpectedError } from '../../domain/errors.js';
import { isId, newId } from '../../domain/ids.js';
import type { Page, PageRequest } from '../../domain/pagination.js';
import type { ArtifactStore } from '../../domain/ports/artifact-store.js';
import type { ColumnBatch, DataEngine, ReadColumnsOptions, TextEncoding } from '../../domain/ports/data-engine.js';
import type { DatasetListItem } from '../../domain/ports/dataset-store.js';
import type { MetadataStore } from '../../domain/ports/metadata-store.js';
import type { ProjectAccess } from '../access/authorize.js';
import type { CallContext } from '../access/principal.js';
import type { AuditDraft, AuditService } from '../audit/audit.service.js';
import type { OperationRunner } from '../operation.js';
import { ingestBinding } from './declared-schema.js';
import { saveUpload, scratchDir, type UploadSource } from './upload.js';

/** Largest upload accepted (2 GiB). */
export const MAX_UPLOAD_BYTES = 2 * 1024 ** 3;

export interface DatasetsDeps {
  store: MetadataStore;
  ops: OperationRunner;
  audit: AuditService;
  clock: Clock;
  artifacts: ArtifactStore;
  engine?: DataEngine;
  /** Scratch space (FLYWHEEL_HOME/tmp): uploads and ingest work folders, removed after use. */
  tmpDir: string;
}

/** The configured data engine (a platform without one cannot ingest). */
export function engineOf(deps: Pick<DatasetsDeps, 'engine'>): DataEngine {
  if (!deps.engine) throw new UnexpectedError('no data engine is configured');
  return deps.engine;
}

export interface IngestInput {
  format: DataFormat;
  /** A rules document, or its JSON or YAML text. */
  rules?: RulesDocument | string | null;
  /** A display name for the source (e.g. the uploaded file's name); never used as a path. */
  sourceName?: string;
  /** The text encoding of a CSV or JSON Lines file (UTF-8 unless declared). */
  encoding?: TextEncoding;
}


function rulesOf(rules: IngestInput['rules']): RulesDocument | null {
  if (rules === undefined || rules === null || rules === '') return null;
  return typeof rules === 'string' ? parseRulesText(rules) : parseRules(rules);
}

export class DatasetsService {
  constructor(private readonly deps: DatasetsDeps) {}

  private get engine(): DataEngine {
    return engineOf(this.deps);
  }

  async create(ctx: CallContext, access: ProjectAccess, input: { name: string; description?: string }): Promise<Dataset> {
    const now = this.deps.clock.now();
    const dataset: Dataset = {
      id: newId(),
      project_id: access.project.id,
      name: input.name,
      description: input.description?.trim() ?? '',
      created_by: ctx.principal.user.id,
      created_at: now,
      latest_version: 0,
      updated_at: now,
    };
    const draft = { action: 'dataset.create', project_id: dataset.project_id, target_ids: { project: dataset.project_id, dataset: dataset.id }, details: { name: dataset.name } };
    await this.deps.ops.run(ctx, draft, (tx) => tx.datasets.create(dataset));
    return dataset;
  }

  list(access: ProjectAccess, page: PageRequest): Promise<Page<DatasetListItem>> {
    return this.deps.store.datasets.list(access.project.id, page);
  }

  /** A dataset of the project by name or id; NotFoundError otherwise. */
  async get(access: ProjectAccess, ref: string): Promise<Dataset> {
    const projectId = access.project.id;
    const found = (await this.deps.store.datasets.getByName(projectId, ref)) ?? (isId(ref) ? await this.deps.store.datasets.getById(projectId, ref) : undefined);
    if (!found) throw new NotFoundError('dataset', ref, { project: access.project.name });
    return found;
  }

  async listVersions(access: ProjectAccess, ref: string, page: PageRequest): Promise<Page<DatasetVersionSummary>> {
    const dataset = await this.get(access, ref);
    return this.deps.store.datasetVersions.list(dataset.id, page);
  }

  /** Version `version` (a number, or 'latest') of a dataset. */
  async getVersion(access: ProjectAccess, ref: string, version: number | 'latest'): Promise<DatasetVersion> {
    const dataset = await this.get(access, ref);
    const n = version === 'latest' ? dataset.latest_version : version;
    const found = n > 0 ? await this.deps.store.datasetVersions.get(dataset.id, n) : undefined;
    if (!found) throw new NotFoundError('dataset version', `${dataset.name}@${version}`, { dataset: dataset.name, version });
    return found;
  }

  /** A version by id (e.g. a run's dataset_version_id); NotFoundError otherwise. */
  async getVersionById(projectId: string, id: string): Promise<DatasetVersion> {
    const found = await this.deps.store.datasetVersions.getById(projectId, id);
    if (!found) throw new NotFoundError('dataset version', id);
    return found;
  }

  /** Local paths of a version's Parquet files, for DataEngine.readColumns / query. */
  async localFiles(version: Pick<DatasetVersion, 'files'>): Promise<string[]> {
    return Promise.all(version.files.map((f) => this.deps.artifacts.localPath(f.sha256)));
  }

  /**
   * Read columns of a version's accepted rows (typed arrays; see DataEngine.readColumns).
   * @example const b = await datasets.readColumns(version, ['temp_max', 'weather'], { where: { column: 'date', from: '2012-01-01', to: '2014-01-01' } })
   */
  async readColumns(version: Pick<DatasetVersion, 'files'>, columns: string[], options?: ReadColumnsOptions): Promise<ColumnBatch> {
    return this.engine.readColumns(await this.localFiles(version), columns, options);
  }

  /**
   * Columns of a version's accepted rows in batches of at most `batchRows`, in file order (see
   * DataEngine.readColumnBatches): for reading a large version without holding it in memory.
   */
  async *readColumnBatches(version: Pick<DatasetVersion, 'files'>, columns: string[], batchRows: number): AsyncGenerator<ColumnBatch> {
    yield* this.engine.readColumnBatches(await this.localFiles(version), columns, batchRows);
  }


  /**
   * Ingest an uploaded body: stream it to a scratch file first (bounded by `maxBytes`), then
   * ingest it as a new version. The scratch folder is removed whatever happens.
   */
  async ingestUpload(
    ctx: CallContext,
    access: ProjectAccess,
    ref: string,
    body: UploadSource,
    input: IngestInput & { maxBytes?: number },
  ): Promise<DatasetVersion> {
    const dataset = await this.get(access, ref); // an unknown dataset answers 404 before any upload
    const scratch = await scratchDir(this.deps.tmpDir, 'upload-');
    try {
      const file = path.join(scratch.dir, 'source');
      try {
        await saveUpload(body, file, input.maxBytes ?? MAX_UPLOAD_BYTES);
      } catch (error) {
        await this.auditFailure(ctx, this.draft(access, dataset, input), error);
        throw error;
      }
      return await this.ingestFile(ctx, access, dataset.id, file, input);
    } finally {
      await scratch.remove();
    }
  }

  /**
   * Ingest a local file as the next version of the dataset: parent = the previous version; its
   * schema binds the new one. File-level problems throw ValidationError and write nothing.
   * @example await datasets.ingestFile(ctx, access, 'weather', '/data/seattle.csv', { format: 'csv', rules })
   */
  async ingestFile(ctx: CallContext, access: ProjectAccess, ref: string, file: string, input: IngestInput): Promise<DatasetVersion> {
    const dataset = await this.get(access, ref);
    const draft = this.draft(access, dataset, input);
    const scratch = await scratchDir(this.deps.tmpDir, 'ingest-');
    try {
      const parent = dataset.latest_version > 0 ? await this.deps.store.datasetVersions.get(dataset.id, dataset.latest_version) : undefined;
      // A declared schema (once saved) binds the file: its types, and not_null for non-nullable columns.
      const { schema, rules } = ingestBinding(await this.deps.store.datasetSchemas.get(dataset.id), parent?.schema ?? null, rulesOf(input.rules));
      const outcome = await this.engine.ingest({ path: file, format: input.format, rules, schema, workDir: scratch.dir, encoding: input.encoding });
      const accepted = await this.deps.artifacts.put(createReadStream(outcome.accepted.path));
      const quarantined = outcome.quarantine ? await this.deps.artifacts.put(createReadStream(outcome.quarantine.path)) : undefined;
      const version: DatasetVersion = {
        id: newId(),
        project_id: dataset.project_id,
        dataset_id: dataset.id,
        version: dataset.latest_version + 1,
        parent_version_id: parent?.id ?? null,
        files: [{ sha256: accepted.sha256, rows: outcome.accepted.rows, bytes: accepted.size }],
        quarantine_file: quarantined ? { sha256: quarantined.sha256, rows: outcome.quarantine!.rows } : null,
        schema: outcome.schema,
        profile: outcome.profile,
        report: outcome.report,
        rules,
        source: { kind: 'file', name: input.sourceName ?? path.basename(file), format: input.format, bytes: outcome.source.bytes, sha256: outcome.source.sha256 },
        created_by: ctx.principal.user.id,
        created_at: this.deps.clock.now(),
      };
      draft.target_ids = { ...draft.target_ids, dataset_version: version.id };
      draft.details = { ...draft.details, version: version.version, ...outcome.report, source_sha256: version.source.sha256 };
      await this.deps.ops.run(ctx, draft, async (tx) => {
        if (!(await tx.datasets.advance(dataset.id, dataset.latest_version, version.version, version.created_at))) {
          throw new ConflictError(`dataset '${dataset.name}' got a new version while this file was ingested; ingest it again`, { dataset: dataset.name });
        }
        await tx.datasetVersions.create(version);
      });
      return version;
    } catch (error) {
      if (!ctx.audited) await this.auditFailure(ctx, draft, error);
      throw error;
    } finally {
      await scratch.remove();
    }
  }

  private draft(access: ProjectAccess, dataset: Dataset | undefined, input: IngestInput): AuditDraft {
    return {
      action: 'dataset.ingest',
      project_id: access.project.id,
      target_ids: { project: access.project.id, ...(dataset ? { dataset: dataset.id } : {}) },
      details: { format: input.format, ...(input.sourceName ? { source: input.sourceName } : {}) },
    };
  }

  private async auditFailure(ctx: CallContext, draft: AuditDraft, error: unknown): Promise<void> {
    await this.deps.audit.recordFailure(ctx, draft, error).catch(() => undefined);
    ctx.audited = true;
  }
}
