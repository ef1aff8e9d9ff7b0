// The label configuration of a classification job: a list of labels, or Label Studio's choices
// object kept whole (`{ type: 'choices', choices, from_name, to_name, ... }`).
import type { ChoicesConfig } from '../../domain/annotation.js';
import { ValidationError } from '../../domain/errors.js';

/** What callers may give as `labels`: the labels themselves, or a choices configuration. */
export type LabelsInput = string[] | ({ type: 'choices'; choices: string[]; from_name?: string; to_name?: string } & Record<string, unknown>);

export const MAX_LABELS = 200;
export const MAX_LABEL_LENGTH = 200;

/**
 * Check the labels and answer the configuration to store, defaults filled in.
 * @example labelConfigOf(['rain', 'sun']) // { type: 'choices', choices: ['rain', 'sun'], from_name: 'label', to_name: 'data' }
 */
export function labelConfigOf(input: LabelsInput, field = 'body.labels'): ChoicesConfig {
  const config = Array.isArray(input) ? { type: 'choices' as const, choices: input } : input;
  if (typeof config !== 'object' || config === null || config.type !== 'choices' || !Array.isArray(config.choices)) {
    throw new ValidationError(`${field} must be a list of labels or { type: 'choices', choices: [...] }`, { field });
  }
  const choices = config.choices;
  const choicesField = Array.isArray(input) ? field : `${field}.choices`;
  if (choices.length === 0) throw new ValidationError(`${choicesField} is empty: give at least one label`, { field: choicesField });
  if (choices.length > MAX_LABELS) throw new ValidationError(`${choicesField} has ${choices.length} labels; at most ${MAX_LABELS}`, { field: choicesField });
  const seen = new Set<string>();
  choices.forEach((c, i) => {
    const at = `${choicesField}[${i}]`;
    if (typeof c !== 'string' || c.trim() === '') throw new ValidationError(`${at} must be a non-empty string`, { field: at });
    if (c !== c.trim()) throw new ValidationError(`${at} '${c}' has leading or trailing spaces`, { field: at });
    if (c.length > MAX_LABEL_LENGTH) throw new ValidationError(`${at} is longer than ${MAX_LABEL_LENGTH} characters`, { field: at });
    if (seen.has(c)) throw new ValidationError(`${at} '${c}' is given twice`, { field: at });
    seen.add(c);
  });
  const from = config.from_name ?? 'label';
  const to = config.to_name ?? 'data';
  for (const [key, v] of [['from_name', from], ['to_name', to]] as const) {
    if (typeof v !== 'string' || v === '' || v.length > 100) throw new ValidationError(`${field}.${key} must be a string of 1-100 characters`, { field: `${field}.${key}` });
  }
  return { ...config, type: 'choices', choices: [...choices], from_name: from, to_name: to };
}
