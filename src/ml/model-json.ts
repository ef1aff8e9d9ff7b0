// Reading a model back from its JSON form: the checks every model's fromJSON starts with (an
// object of the right format and version) and the fitted preprocessing, rebuilt and checked.
import { ValidationError } from '../domain/errors.js';
import type { FeatureSpec } from './feature-spec.js';
import { Preprocessor, type PreprocessorState } from './preprocessor.js';

/** A ValidationError naming what is wrong with a model of kind `label`. */
export type ModelJsonError = (what: string) => ValidationError;

export const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * `input` (a model's JSON, or its text) checked to be an object of `format`, version 1; answers
 * it and the error maker for the checks that follow.
 */
export function openModelJson<T extends { format: string; version: number }>(input: unknown, format: string, label: string): { json: T; bad: ModelJsonError } {
  const json = (typeof input === 'string' ? JSON.parse(input) : input) as T;
  const bad: ModelJsonError = (what) => new ValidationError(`not a ${label} model: ${what}`, { field: 'model' });
  if (!json || typeof json !== 'object') throw bad('not an object');
  if (json.format !== format) throw bad(`format '${String(json.format)}'`);
  if (json.version !== 1) throw bad(`version ${String(json.version)}`);
  return { json, bad };
}

/** The fitted preprocessing of a model's JSON, checked (finite scaling, string categories). */
export function preprocessorFromJson(features: readonly FeatureSpec[], p: PreprocessorState | undefined, bad: ModelJsonError): Preprocessor {
  if (!p || !Array.isArray(p.numeric) || !Array.isArray(p.categorical)) throw bad('preprocessing');
  for (const s of p.numeric) if (!isFiniteNumber(s.mean) || !isFiniteNumber(s.std) || s.std <= 0) throw bad(`scaling of '${s.name}'`);
  for (const s of p.categorical) if (!Array.isArray(s.categories) || s.categories.some((c) => typeof c !== 'string')) throw bad(`categories of '${s.name}'`);
  return new Preprocessor(features, {
    numeric: p.numeric.map((s) => ({ name: s.name, mean: s.mean, std: s.std })),
    categorical: p.categorical.map((s) => ({ name: s.name, categories: [...s.categories] })),
  });
}
