// The kept bindings of pushes: the same as derived afresh for every state of a dataset (no version
// and nothing staged, the oldest staged batch's schema, a version with and without a declared
// schema), a new binding as soon as anything they are made of changes, each version read once,
// and frozen (shared by every push of their key).
import { describe, expect, it } from 'vitest';
import type { DeclaredSchema } from '../../domain/dataset-curation.js';
import type { ColumnSchema, Dataset, DatasetVersion } from '../../domain/datasets.js';
import type { PushTarget } from '../../domain/ports/staging-store.js';
import { appendBinding, ingestBinding } from './declared-schema.js';
import { PushBindings } from './push-bindings.js';

const col = (name: string, type: ColumnSchema['type'], nullable = true): ColumnSchema => ({ name, type, nullable, semantic: 'numeric' });
const dataset = (latest_version: number): Dataset => ({ id: 'd1', project_id: 'p', name: 'd', description: '', created_by: 'u', created_at: 0, latest_version, updated_at: 0 });
const declaredOf = (columns: ColumnSchema[]): DeclaredSchema => ({ dataset_id: 'd1', project_id: 'p', columns, key: null, updated_by: 'u', updated_at: 1 });
const target = (latest: number, declared?: DeclaredSchema, first: ColumnSchema[] | null = null): PushTarget => ({
  dataset: dataset(latest),
  staged: { rows: 0, batches: 0, commit_at_rows: null },
  declared,
  first_staged_schema: first,
  key_taken: false,
});

const V1 = { schema: [col('a', 'integer'), col('b', 'string')], rules: { columns: { a: { range: { min: 0 } } } } } as unknown as DatasetVersion;
const V2 = { schema: [col('a', 'double'), col('b', 'string')], rules: null } as unknown as DatasetVersion;

describe('PushBindings', () => {
  it('answers what the binding rules derive, a new binding whenever what it is made of changes, reading each version once', async () => {
    const reads: number[] = [];
    const bindings = new PushBindings(async (_id, v) => {
      reads.push(v);
      return v === 1 ? V1 : V2;
    });
    const strip = ({ schema, rules }: { schema: unknown; rules: unknown }) => ({ schema, rules });

    expect(strip(await bindings.of(target(0)))).toEqual(ingestBinding(undefined, null, null));
    const declared = declaredOf([col('a', 'integer', false), col('b', 'string')]);
    expect(strip(await bindings.of(target(0, declared)))).toEqual(ingestBinding(declared, null, null));
    const first = [col('a', 'double'), col('b', 'string')];
    expect(strip(await bindings.of(target(0, declared, first)))).toEqual(appendBinding(declared, first, null));

    const v1 = await bindings.of(target(1));
    expect(strip(v1)).toEqual(appendBinding(undefined, V1.schema, V1.rules));
    expect(await bindings.of(target(1))).toBe(v1); // kept
    const v1Declared = await bindings.of(target(1, declared));
    expect(strip(v1Declared)).toEqual(appendBinding(declared, V1.schema, V1.rules));
    expect(v1Declared.rules?.columns.a).toMatchObject({ not_null: true, range: { min: 0 } });
    // The declared schema edited again: a new binding.
    const edited = declaredOf([col('a', 'integer'), col('b', 'string', false)]);
    expect((await bindings.of(target(1, edited))).rules?.columns.b).toMatchObject({ not_null: true });
    // A new version: bound to its types.
    expect((await bindings.of(target(2, edited))).schema?.map((c) => c.type)).toEqual(['double', 'string']);
    expect(reads).toEqual([1, 2]);
    // Bindings of different schemas or rules are in different lanes; the same binding keeps its lane.
    expect(new Set([v1.lane, v1Declared.lane, (await bindings.of(target(2))).lane]).size).toBe(3);
  });

  it('hands out frozen bindings (shared by every push of their key)', async () => {
    const bindings = new PushBindings(async () => V1);
    const b = await bindings.of(target(1));
    expect(Object.isFrozen(b.schema)).toBe(true);
    expect(() => (b.schema![0].type = 'string')).toThrow(TypeError);
  });
});
