// How a dataset's declared schema binds the next ingest: its columns (the types a new file is
// coerced to, with their nullability and meaning) and, for non-nullable columns, not_null rules
// added to the ingest's rules. With nothing declared the previous version's schema binds, as before.
import type { RulesDocument } from '../../domain/cleansing-rules.js';
import type { DeclaredSchema } from '../../domain/dataset-curation.js';
import type { ColumnSchema } from '../../domain/datasets.js';

export interface IngestBinding {
  schema: ColumnSchema[] | null;
  rules: RulesDocument | null;
}

/** `rules` with not_null added for every column `schema` declares non-nullable (a new document; the input is not changed). */
export function withNotNull(rules: RulesDocument | null, schema: ColumnSchema[]): RulesDocument | null {
  const required = schema.filter((c) => !c.nullable);
  if (required.length === 0) return rules;
  const columns = { ...(rules?.columns ?? {}) };
  for (const c of required) columns[c.name] = { ...columns[c.name], not_null: true };
  return { ...rules, columns };
}

/**
 * The schema and rules a new file is ingested with (it replaces the rows: types may change).
 * @example ingestBinding(declared, parent?.schema ?? null, rules) // { schema: declared.columns, rules: rules + not_null }
 */
export function ingestBinding(declared: DeclaredSchema | undefined, parentSchema: ColumnSchema[] | null, rules: RulesDocument | null): IngestBinding {
  if (!declared) return { schema: parentSchema, rules };
  return { schema: declared.columns.map((c) => ({ ...c })), rules: withNotNull(rules, declared.columns) };
}

/**
 * The schema and rules for rows appended to a version's files (a re-admit): the version's types
 * (its Parquet files keep them), with the declared nullability and meanings where declared.
 */
export function appendBinding(declared: DeclaredSchema | undefined, versionSchema: ColumnSchema[], rules: RulesDocument | null): IngestBinding & { schema: ColumnSchema[] } {
  if (!declared) return { schema: versionSchema.map((c) => ({ ...c })), rules };
  const byName = new Map(declared.columns.map((c) => [c.name, c]));
  const schema = versionSchema.map((c) => {
    const d = byName.get(c.name);
    return d ? { ...c, nullable: d.nullable, semantic: d.semantic } : { ...c };
  });
  return { schema, rules: withNotNull(rules, schema) };
}
