import { describe, expect, it } from 'vitest';
import type { DeclaredSchema } from '../../domain/dataset-curation.js';
import type { ColumnSchema } from '../../domain/datasets.js';
import { appendBinding, ingestBinding, withNotNull } from './declared-schema.js';

const inferred: ColumnSchema[] = [
  { name: 'id', type: 'integer', nullable: true, semantic: 'id' },
  { name: 'temp', type: 'integer', nullable: true, semantic: 'numeric' },
];

const declared: DeclaredSchema = {
  dataset_id: 'd',
  project_id: 'p',
  columns: [
    { name: 'id', type: 'integer', nullable: false, semantic: 'id' },
    { name: 'temp', type: 'double', nullable: true, semantic: 'label' },
  ],
  key: ['id'],
  updated_by: 'u',
  updated_at: 1,
};

describe('declared schema bindings', () => {
  it('keeps the previous schema and the rules as they are when nothing is declared', () => {
    const rules = { columns: { temp: { range: { min: 0 } } } };
    expect(ingestBinding(undefined, inferred, rules)).toEqual({ schema: inferred, rules });
  });

  it('binds the next ingest to the declared types and adds not_null for non-nullable columns', () => {
    const rules = { columns: { temp: { range: { min: 0 } } } };
    const b = ingestBinding(declared, inferred, rules);
    expect(b.schema?.map((c) => c.type)).toEqual(['integer', 'double']);
    expect(b.rules).toEqual({ columns: { temp: { range: { min: 0 } }, id: { not_null: true } } });
    expect(rules).toEqual({ columns: { temp: { range: { min: 0 } } } });
  });

  it('keeps the version types for appended rows, with the declared nullability and meanings', () => {
    const b = appendBinding(declared, inferred, null);
    expect(b.schema).toEqual([
      { name: 'id', type: 'integer', nullable: false, semantic: 'id' },
      { name: 'temp', type: 'integer', nullable: true, semantic: 'label' },
    ]);
    expect(b.rules).toEqual({ columns: { id: { not_null: true } } });
  });

  it('adds nothing when every column may be null', () => {
    expect(withNotNull(null, inferred)).toBeNull();
  });
});
