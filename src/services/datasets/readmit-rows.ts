// The rows of a re-admit, before the engine sees them: the request checked (lines unique, known
// columns), each edit laid over the quarantined row's raw values, and written as JSON Lines whose
// n-th record is the n-th edit (so the engine's quarantine lines map back to the request).
import { MAX_READMIT_ROWS, type ReadmitEdit } from '../../domain/dataset-curation.js';
import type { QuarantineRow } from '../../domain/datasets.js';
import { ValidationError } from '../../domain/errors.js';

/** Throws ValidationError naming the first bad field (`body.rows.3.values.tmep`). */
export function checkEdits(edits: ReadmitEdit[], columns: string[]): void {
  if (!Array.isArray(edits) || edits.length === 0) throw new ValidationError('body.rows: send at least one row', { field: 'body.rows' });
  if (edits.length > MAX_READMIT_ROWS) {
    throw new ValidationError(`body.rows: a re-admit holds at most ${MAX_READMIT_ROWS} rows; got ${edits.length}`, { field: 'body.rows', limit: MAX_READMIT_ROWS });
  }
  const known = new Set(columns);
  const lines = new Map<number, number>();
  edits.forEach((e, i) => {
    if (!Number.isSafeInteger(e.line) || e.line < 1) throw new ValidationError(`body.rows.${i}.line: must be a line number (1 or more)`, { field: `body.rows.${i}.line` });
    const first = lines.get(e.line);
    if (first !== undefined) throw new ValidationError(`body.rows.${i}.line: line ${e.line} is sent twice (also body.rows.${first})`, { field: `body.rows.${i}.line`, line: e.line });
    lines.set(e.line, i);
    for (const [column, value] of Object.entries(e.values ?? {})) {
      const field = `body.rows.${i}.values.${column}`;
      if (!known.has(column)) throw new ValidationError(`${field}: the dataset has no column '${column}'`, { field, column });
      if (value !== null && typeof value !== 'string') throw new ValidationError(`${field}: must be text or null`, { field });
    }
  });
}

/** The request indexes whose line is not in `found` (the quarantine's rows of those lines). */
export function unknownLines(edits: ReadmitEdit[], found: Map<number, QuarantineRow>): number[] {
  return edits.flatMap((e, i) => (found.has(e.line) ? [] : [i]));
}

/** One row's values: the quarantined raw text, with the edited columns replaced; every column present. */
export function mergedValues(columns: string[], quarantined: QuarantineRow | undefined, edit: ReadmitEdit): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const c of columns) {
    const edited = Object.prototype.hasOwnProperty.call(edit.values, c);
    const v: unknown = edited ? edit.values[c] : quarantined?.values[c];
    // Parquet sources keep typed raw values (numbers, booleans): the engine reads text.
    out[c] = v === undefined || v === null ? null : String(v);
  }
  return out;
}

/** JSON Lines of the merged rows, in request order (record n = edit n − 1). */
export function readmitJsonl(columns: string[], edits: ReadmitEdit[], found: Map<number, QuarantineRow>): string {
  return edits.map((e) => JSON.stringify(mergedValues(columns, found.get(e.line), e))).join('\n') + '\n';
}
