// The editable declared schema of a dataset: seeded from the latest version (inferred on the first
// ingest) until someone saves it; semantic types, nullability and the key can always change, and
// a changed type applies from the next ingest (versions already made never change).
import type { Clock } from '../../domain/clock.js';
import type { DeclaredSchema, SchemaPatch, SchemaState } from '../../domain/dataset-curation.js';
import { COLUMN_TYPES, SEMANTICS, type ColumnSchema, type Dataset, type DatasetVersion } from '../../domain/datasets.js';
import { ConflictError, ValidationError } from '../../domain/errors.js';
import type { MetadataStore } from '../../domain/ports/metadata-store.js';
import type { ProjectAccess } from '../access/authorize.js';
import type { CallContext } from '../access/principal.js';
import type { OperationRunner } from '../operation.js';
import type { DatasetsService } from './datasets.service.js';

export const SCHEMA_NOTE =
  'Existing versions are immutable: semantic types, nullability and the key apply to what is read from now on, ' +
  'and a changed type applies from the next ingest (rows that do not fit it are quarantined).';

/** Columns a version's profile shows unique and without nulls (doubles are poor keys and left out). */
export function candidateKeys(version: Pick<DatasetVersion, 'profile'> | undefined): string[][] {
  if (!version) return [];
  return version.profile.filter((p) => p.unique && p.nulls === 0 && p.count > 0 && p.type !== 'double').map((p) => [p.name]);
}

/** The declared columns with `patch` applied; ValidationError naming the field otherwise. */
export function applyPatch(base: ColumnSchema[], patch: SchemaPatch, currentKey: string[] | null): { columns: ColumnSchema[]; key: string[] | null } {
  const columns = base.map((c) => ({ ...c }));
  const byName = new Map(columns.map((c) => [c.name, c]));
  const seen = new Set<string>();
  (patch.columns ?? []).forEach((p, i) => {
    const field = `body.columns.${i}`;
    const col = byName.get(p.name);
    if (!col) throw new ValidationError(`${field}.name: the dataset has no column '${p.name}' (its columns: ${base.map((c) => c.name).join(', ')})`, { field: `${field}.name` });
    if (seen.has(p.name)) throw new ValidationError(`${field}.name: column '${p.name}' is listed twice`, { field: `${field}.name` });
    seen.add(p.name);
    if (p.type !== undefined) {
      if (!(COLUMN_TYPES as readonly string[]).includes(p.type)) throw new ValidationError(`${field}.type: must be one of ${COLUMN_TYPES.join(', ')}`, { field: `${field}.type` });
      col.type = p.type;
    }
    if (p.semantic !== undefined) {
      if (!(SEMANTICS as readonly string[]).includes(p.semantic)) throw new ValidationError(`${field}.semantic: must be one of ${SEMANTICS.join(', ')}`, { field: `${field}.semantic` });
      col.semantic = p.semantic;
    }
    if (p.nullable !== undefined) {
      if (typeof p.nullable !== 'boolean') throw new ValidationError(`${field}.nullable: must be true or false`, { field: `${field}.nullable` });
      col.nullable = p.nullable;
    }
  });
  let key = currentKey;
  if (patch.key !== undefined) {
    if (patch.key === null) key = null;
    else {
      if (patch.key.length === 0) throw new ValidationError('body.key: name at least one key column (or null to declare no key)', { field: 'body.key' });
      const used = new Set<string>();
      patch.key.forEach((name, i) => {
        if (!byName.has(name)) throw new ValidationError(`body.key.${i}: the dataset has no column '${name}'`, { field: `body.key.${i}` });
        if (used.has(name)) throw new ValidationError(`body.key.${i}: column '${name}' is listed twice`, { field: `body.key.${i}` });
        used.add(name);
      });
      key = [...patch.key];
    }
  }
  return { columns, key };
}

export class DatasetSchemaService {
  constructor(
    private readonly deps: { store: MetadataStore; ops: OperationRunner; clock: Clock },
    private readonly datasets: DatasetsService,
  ) {}

  /** The declared schema, or the latest version's while none is saved. */
  async get(access: ProjectAccess, ref: string): Promise<SchemaState> {
    const dataset = await this.datasets.get(access, ref);
    const [latest, declared] = await Promise.all([this.latest(dataset), this.deps.store.datasetSchemas.get(dataset.id)]);
    return stateOf(dataset, latest, declared);
  }

  /**
   * Change the columns named in `patch` and/or the key. Before the first version there are no
   * columns to declare: ConflictError.
   * @example await schemas.put(ctx, access, 'weather', { columns: [{ name: 'weather', semantic: 'label' }], key: ['date'] })
   */
  async put(ctx: CallContext, access: ProjectAccess, ref: string, patch: SchemaPatch): Promise<SchemaState> {
    const dataset = await this.datasets.get(access, ref);
    const latest = await this.latest(dataset);
    if (!latest) throw new ConflictError(`dataset '${dataset.name}' has no version yet: ingest a first file, its inferred schema seeds the declared one`, { dataset: dataset.name });
    const draft = {
      action: 'dataset.schema.update',
      project_id: access.project.id,
      target_ids: { project: access.project.id, dataset: dataset.id },
      details: { columns: (patch.columns ?? []).map((c) => c.name), ...(patch.key !== undefined ? { key: patch.key } : {}) } as Record<string, unknown>,
    };
    const saved = await this.deps.ops.run(ctx, draft, async (tx) => {
      const before = await tx.datasetSchemas.get(dataset.id);
      const next = applyPatch(before?.columns ?? latest.schema, patch, before?.key ?? null);
      const schema: DeclaredSchema = {
        dataset_id: dataset.id,
        project_id: dataset.project_id,
        columns: next.columns,
        key: next.key,
        updated_by: ctx.principal.user.id,
        updated_at: this.deps.clock.now(),
      };
      await tx.datasetSchemas.put(schema);
      return schema;
    });
    return stateOf(dataset, latest, saved);
  }

  private async latest(dataset: Dataset): Promise<DatasetVersion | undefined> {
    return dataset.latest_version > 0 ? this.deps.store.datasetVersions.get(dataset.id, dataset.latest_version) : undefined;
  }
}

function stateOf(dataset: Dataset, latest: DatasetVersion | undefined, declared: DeclaredSchema | undefined): SchemaState {
  const columns = declared?.columns ?? latest?.schema ?? [];
  const current = new Map((latest?.schema ?? []).map((c) => [c.name, c.type]));
  return {
    dataset: dataset.name,
    declared: Boolean(declared),
    based_on_version: latest?.version ?? null,
    columns,
    key: declared?.key ?? null,
    candidate_keys: candidateKeys(latest),
    pending_type_changes: columns.filter((c) => current.has(c.name) && current.get(c.name) !== c.type).map((c) => ({ column: c.name, from: current.get(c.name)!, to: c.type })),
    updated_by: declared?.updated_by ?? null,
    updated_at: declared?.updated_at ?? null,
    note: SCHEMA_NOTE,
  };
}
