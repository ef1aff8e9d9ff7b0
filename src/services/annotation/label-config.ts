// The label configuration of a job, which names its task type: a list of labels, or a Label
// Studio control kept whole — `choices` (classification; `choice: 'multiple'` for multi-label),
// `labels` (text spans) or `rectanglelabels` (image boxes).
import { kindOf, LABELLING_KINDS, type LabelConfig, type LabellingKind } from '../../domain/annotation.js';
import { ValidationError } from '../../domain/errors.js';

/** What callers may give as `labels`: the labels themselves, or a configuration object. */
export type LabelsInput =
  | string[]
  | ({ type: 'choices'; choices: string[]; choice?: 'single' | 'multiple'; from_name?: string; to_name?: string } & Record<string, unknown>)
  | ({ type: 'labels' | 'rectanglelabels'; labels: string[]; from_name?: string; to_name?: string; field?: string } & Record<string, unknown>);

export const MAX_LABELS = 200;
export const MAX_LABEL_LENGTH = 200;

const TYPES = ['choices', 'labels', 'rectanglelabels'] as const;

/** The Label Studio control of each kind, and its default object name (`to_name`). */
const CONTROL: Record<LabellingKind, { type: (typeof TYPES)[number]; to: string; choice?: 'multiple' }> = {
  classification: { type: 'choices', to: 'data' },
  'multi-label': { type: 'choices', to: 'data', choice: 'multiple' },
  'text-spans': { type: 'labels', to: 'text' },
  'image-boxes': { type: 'rectanglelabels', to: 'image' },
};

function checkLabels(list: unknown, field: string): string[] {
  if (!Array.isArray(list)) throw new ValidationError(`${field} must be a list of labels`, { field });
  if (list.length === 0) throw new ValidationError(`${field} is empty: give at least one label`, { field });
  if (list.length > MAX_LABELS) throw new ValidationError(`${field} has ${list.length} labels; at most ${MAX_LABELS}`, { field });
  const seen = new Set<string>();
  list.forEach((c, i) => {
    const at = `${field}[${i}]`;
    if (typeof c !== 'string' || c.trim() === '') throw new ValidationError(`${at} must be a non-empty string`, { field: at });
    if (c !== c.trim()) throw new ValidationError(`${at} '${c}' has leading or trailing spaces`, { field: at });
    if (c.length > MAX_LABEL_LENGTH) throw new ValidationError(`${at} is longer than ${MAX_LABEL_LENGTH} characters`, { field: at });
    if (seen.has(c)) throw new ValidationError(`${at} '${c}' is given twice`, { field: at });
    seen.add(c);
  });
  return [...(list as string[])];
}

function checkName(v: unknown, field: string): string {
  if (typeof v !== 'string' || v === '' || v.length > 100) throw new ValidationError(`${field} must be a string of 1-100 characters`, { field });
  return v;
}

/**
 * Check the labels and answer the configuration to store, defaults filled in. A plain list
 * makes the configuration of `kind` (classification when not given); a configuration object
 * names its own kind, and a `kind` given beside it must agree.
 * @example labelConfigOf(['rain', 'sun']) // { type: 'choices', choices: ['rain', 'sun'], from_name: 'label', to_name: 'data' }
 * @example labelConfigOf(['PER', 'LOC'], 'text-spans') // { type: 'labels', labels: [...], from_name: 'label', to_name: 'text', field: 'text' }
 */
export function labelConfigOf(input: LabelsInput, kind?: LabellingKind, field = 'body.labels'): LabelConfig {
  if (kind !== undefined && !(LABELLING_KINDS as readonly string[]).includes(kind)) {
    throw new ValidationError(`body.kind must be one of ${LABELLING_KINDS.join(', ')}`, { field: 'body.kind' });
  }
  let config: LabelConfig;
  if (Array.isArray(input)) {
    const control = CONTROL[kind ?? 'classification'];
    const labels = checkLabels(input, field);
    const base = { from_name: 'label', to_name: control.to };
    if (control.type === 'choices') config = { type: 'choices', choices: labels, ...(control.choice ? { choice: control.choice } : {}), ...base };
    else config = { type: control.type, labels, ...base, field: control.to };
    return config;
  }
  if (typeof input !== 'object' || input === null || !(TYPES as readonly string[]).includes((input as { type?: string }).type ?? '')) {
    throw new ValidationError(`${field} must be a list of labels or a configuration { type: 'choices' | 'labels' | 'rectanglelabels', ... }`, { field });
  }
  const from = checkName(input.from_name ?? 'label', `${field}.from_name`);
  if (input.type === 'choices') {
    const choice = input.choice ?? 'single';
    if (choice !== 'single' && choice !== 'multiple') throw new ValidationError(`${field}.choice must be 'single' or 'multiple'`, { field: `${field}.choice` });
    const to = checkName(input.to_name ?? 'data', `${field}.to_name`);
    config = { ...input, type: 'choices', choices: checkLabels(input.choices, `${field}.choices`), from_name: from, to_name: to };
  } else {
    const type = input.type;
    const to = checkName(input.to_name ?? (type === 'labels' ? 'text' : 'image'), `${field}.to_name`);
    const dataField = checkName(input.field ?? to, `${field}.field`);
    config = { ...input, type, labels: checkLabels(input.labels, `${field}.labels`), from_name: from, to_name: to, field: dataField };
  }
  if (kind !== undefined && kindOf(config) !== kind) {
    throw new ValidationError(`body.kind '${kind}' does not match the label configuration, which makes a '${kindOf(config)}' job`, { field: 'body.kind' });
  }
  return config;
}
