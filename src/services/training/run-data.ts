// The rows a built-in training run fits and is judged on: a dataset version's columns split by
// time into the fit rows (before the holdout) and the holdout, with class labels for a classifier
// or numbers for a regression; and a later slice of the fit rows for choosing between trials.
import { ValidationError } from '../../domain/errors.js';
import type { ColumnData } from '../../domain/ports/data-engine.js';
import type { DatasetVersion } from '../../domain/datasets.js';
import type { Columns } from '../../ml/index.js';
import type { DatasetsService } from '../datasets/datasets.service.js';
import { taskOf, type TrainerData, type TrainerTask } from './trainers.js';
import { sliceByTime, sliceByTimeNumeric } from './training-data.js';
import { toEpoch, type TrainingSpec } from './training-spec.js';

/** Fit and holdout rows, with their times (epoch ms) so a validation window can be cut from the fit rows. */
export interface RunData {
  task: TrainerTask;
  fit: TrainerData & { times: Float64Array };
  holdout: TrainerData;
  holdoutFrom: number;
  holdoutTo: number;
}

/**
 * Read the spec's columns of `version` and split them. A fit or holdout without labelled rows is
 * a ValidationError naming `spec.train` / `spec.holdout`.
 */
export async function readRunData(datasets: DatasetsService, version: Pick<DatasetVersion, 'files'>, spec: TrainingSpec): Promise<RunData> {
  const task = taskOf(spec as never);
  const features = spec.features.map((f) => f.name);
  const batch = await datasets.readColumns(version, [spec.time_column, spec.target, ...features]);
  const holdoutFrom = toEpoch(spec.holdout.from)!;
  const holdoutTo = toEpoch(spec.holdout.to)!;
  const fitTo = Math.min(toEpoch(spec.train?.to) ?? Infinity, holdoutFrom);
  const fitFrom = toEpoch(spec.train?.from) ?? -Infinity;
  const slice = (from: number, to: number) => {
    if (task === 'regression') {
      const s = sliceByTimeNumeric(batch, features, spec.target, spec.time_column, from, to);
      return { columns: s.columns, target: s.values, rows: s.rows, times: s.times };
    }
    const s = sliceByTime(batch, features, spec.target, spec.time_column, from, to);
    return { columns: s.columns, target: s.target, rows: s.rows, times: s.times };
  };
  const fit = slice(fitFrom, fitTo);
  const holdout = slice(holdoutFrom, holdoutTo);
  if (fit.rows === 0) throw new ValidationError('no rows to train on before the holdout', { field: 'spec.train' });
  if (holdout.rows === 0) throw new ValidationError('the holdout has no labelled rows', { field: 'spec.holdout' });
  return { task, fit, holdout, holdoutFrom, holdoutTo };
}

function take(data: ColumnData, idx: ArrayLike<number>): ColumnData {
  if (data instanceof Float64Array) return Float64Array.from(idx, (i) => data[i]);
  return Array.from(idx, (i) => (data as unknown[])[i]) as ColumnData;
}

/** The given rows of a table. */
export function takeRows(data: TrainerData, idx: ArrayLike<number>): TrainerData {
  const columns: Record<string, ColumnData> = {};
  for (const [name, col] of Object.entries(data.columns)) columns[name] = take(col as ColumnData, idx);
  const target = data.target instanceof Float64Array ? Float64Array.from(idx, (i) => (data.target as Float64Array)[i]) : Array.from(idx, (i) => (data.target as string[])[i]);
  return { columns: columns as Columns, target, rows: idx.length };
}

/**
 * Split the fit rows in time: the latest `fraction` of them (by time, ties in row order) validate,
 * the rest train. Both parts keep at least one row; a ValidationError naming `field` otherwise.
 * @example splitValidation(fit, 0.2) // { train: the earliest 80%, validation: the latest 20% }
 */
export function splitValidation(fit: TrainerData & { times: Float64Array }, fraction: number, field: string): { train: TrainerData; validation: TrainerData } {
  const order = Array.from({ length: fit.rows }, (_, i) => i).sort((a, b) => fit.times[a] - fit.times[b] || a - b);
  const n = Math.round(fit.rows * fraction);
  if (n < 1 || n >= fit.rows) {
    throw new ValidationError(`a validation fraction of ${fraction} of ${fit.rows} training rows leaves no rows to ${n < 1 ? 'validate on' : 'train on'}`, { field });
  }
  const cut = fit.rows - n;
  const train = order.slice(0, cut).sort((a, b) => a - b);
  const validation = order.slice(cut).sort((a, b) => a - b);
  return { train: takeRows(fit, train), validation: takeRows(fit, validation) };
}
