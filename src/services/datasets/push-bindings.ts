// The schema and rules that bind a dataset's next staged batch, kept in memory by what decides
// them, so a push reads no version and derives nothing: the latest version's types and rules with
// the declared schema's nullability and meanings, else (no version yet) the oldest staged batch's
// schema, else the declared one. The key holds everything the binding is made of (dataset,
// version number, declared columns, oldest staged schema), all read fresh by every push in one
// statement (PushTarget), so a change made by any server (a new version, a schema edit) makes a
// new key at once: nothing is ever invalidated, old keys are only dropped to bound the memory.
// Versions are immutable, so their schema and rules are kept by (dataset, version number).
import { createHash } from 'node:crypto';
import type { RulesDocument } from '../../domain/cleansing-rules.js';
import type { ColumnSchema, DatasetVersion } from '../../domain/datasets.js';
import type { PushTarget } from '../../domain/ports/staging-store.js';
import { appendBinding, ingestBinding } from './declared-schema.js';

/** What binds a batch; shared by the pushes of a key (frozen: nobody may change it). */
export interface PushBinding {
  readonly schema: ColumnSchema[] | null;
  readonly rules: RulesDocument | null;
  /** The batch's group-commit lane within its dataset (one per schema and rules). */
  readonly lane: string;
}

/** Bindings and versions kept (each map is emptied when it reaches this). */
const MAX_KEPT = 512;

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

export class PushBindings {
  private readonly bindings = new Map<string, PushBinding>();
  private readonly versions = new Map<string, Pick<DatasetVersion, 'schema' | 'rules'>>();

  constructor(private readonly loadVersion: (datasetId: string, version: number) => Promise<DatasetVersion | undefined>) {}

  /** The binding of the next batch staged into `target.dataset`. */
  async of(target: PushTarget): Promise<PushBinding> {
    const { dataset, declared, first_staged_schema: first } = target;
    // The declared columns and (no version yet) the oldest staged schema, by their digest (a wide
    // schema's text would make long keys).
    const made = JSON.stringify([declared?.columns ?? null, dataset.latest_version > 0 ? null : first]);
    const key = `${dataset.id}\n${dataset.latest_version}\n${createHash('sha256').update(made).digest('base64')}`;
    const kept = this.bindings.get(key);
    if (kept) return kept;
    let bound;
    if (dataset.latest_version > 0) {
      const parent = await this.version(dataset.id, dataset.latest_version);
      bound = appendBinding(declared, parent.schema, parent.rules);
    } else {
      bound = first ? appendBinding(declared, first, null) : ingestBinding(declared, null, null);
    }
    const lane = createHash('sha256').update(JSON.stringify([bound.schema, bound.rules])).digest('hex');
    const binding = deepFreeze({ schema: bound.schema, rules: bound.rules, lane });
    if (this.bindings.size >= MAX_KEPT) this.bindings.clear();
    this.bindings.set(key, binding);
    return binding;
  }

  private async version(datasetId: string, version: number): Promise<Pick<DatasetVersion, 'schema' | 'rules'>> {
    const key = `${datasetId}\n${version}`;
    let kept = this.versions.get(key);
    if (!kept) {
      const v = await this.loadVersion(datasetId, version);
      if (!v) throw new Error(`version ${version} of dataset ${datasetId} is missing`);
      kept = deepFreeze({ schema: v.schema, rules: v.rules });
      if (this.versions.size >= MAX_KEPT) this.versions.clear();
      this.versions.set(key, kept);
    }
    return kept;
  }
}
