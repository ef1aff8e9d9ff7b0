// Load a dataset version's columns for a run and split them by time into fit and holdout rows
// (class labels for a classifier, numbers for a regression).
import { ValidationError } from '../../domain/errors.js';
import type { ColumnBatch, ColumnData } from '../../domain/ports/data-engine.js';
import type { Columns } from '../../ml/index.js';

export interface SplitTable {
  columns: Columns;
  target: string[];
  times: Float64Array;
  rows: number;
}

function pick(data: ColumnData, idx: number[]): ColumnData {
  if (data instanceof Float64Array) return Float64Array.from(idx, (i) => data[i]);
  return idx.map((i) => (data as unknown[])[i]) as ColumnData;
}

/** Rows of `batch` whose time is in [from, to), as model columns and target labels. */
export function sliceByTime(batch: ColumnBatch, features: string[], target: string, timeColumn: string, from: number, to: number): SplitTable {
  const times = batch.columns[timeColumn];
  if (!(times instanceof Float64Array)) throw new ValidationError(`'${timeColumn}' is not a date or timestamp column`, { field: 'body.time_column' });
  const labels = batch.columns[target] as Array<string | null>;
  const idx: number[] = [];
  for (let i = 0; i < batch.rowCount; i++) {
    if (times[i] >= from && times[i] < to && labels[i] !== null && labels[i] !== '') idx.push(i);
  }
  const columns: Record<string, ColumnData> = {};
  for (const f of features) columns[f] = pick(batch.columns[f], idx);
  return { columns: columns as Columns, target: idx.map((i) => String(labels[i])), times: pick(times, idx) as Float64Array, rows: idx.length };
}

/** Rows of `batch` whose time is in [from, to) and whose numeric target is present, for a regression. */
export function sliceByTimeNumeric(batch: ColumnBatch, features: string[], target: string, timeColumn: string, from: number, to: number): SplitTable & { values: Float64Array } {
  const times = batch.columns[timeColumn];
  if (!(times instanceof Float64Array)) throw new ValidationError(`'${timeColumn}' is not a date or timestamp column`, { field: 'body.time_column' });
  const values = batch.columns[target];
  if (!(values instanceof Float64Array)) throw new ValidationError(`target '${target}' is not a numeric column: a regression needs numbers`, { field: 'body.target' });
  const idx: number[] = [];
  for (let i = 0; i < batch.rowCount; i++) if (times[i] >= from && times[i] < to && !Number.isNaN(values[i])) idx.push(i);
  const columns: Record<string, ColumnData> = {};
  for (const f of features) columns[f] = pick(batch.columns[f], idx);
  const picked = Float64Array.from(idx, (i) => values[i]);
  return { columns: columns as Columns, target: [], values: picked, times: pick(times, idx) as Float64Array, rows: idx.length };
}
