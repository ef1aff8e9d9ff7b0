// A new version must have the columns of the dataset's schema: the file-level error otherwise.
import type { ColumnSchema } from '../../domain/datasets.js';
import { ValidationError } from '../../domain/errors.js';

export function schemaMismatch(missing: string[], unexpected: string[]): ValidationError {
  const parts = [
    missing.length ? `missing ${missing.map((c) => `'${c}'`).join(', ')}` : '',
    unexpected.length ? `unexpected ${unexpected.map((c) => `'${c}'`).join(', ')}` : '',
  ].filter(Boolean);
  return new ValidationError(`the file's columns do not match the dataset's schema: ${parts.join('; ')}`, {
    field: 'file',
    missing,
    unexpected,
  });
}

/** Throws unless `columns` are exactly the schema's columns (in any order). */
export function checkSchemaColumns(schema: ColumnSchema[], columns: string[]): void {
  const want = new Set(schema.map((c) => c.name));
  const have = new Set(columns);
  const missing = schema.map((c) => c.name).filter((c) => !have.has(c));
  const unexpected = columns.filter((c) => !want.has(c));
  if (missing.length || unexpected.length) throw schemaMismatch(missing, unexpected);
}
