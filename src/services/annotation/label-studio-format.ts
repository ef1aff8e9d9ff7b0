// Label Studio JSON for classification jobs: read one task's annotations into labels (or the
// reason one cannot be a label), and write a Flywheel label as a Label Studio annotation.
// Task JSON: { id, data, annotations: [{ id, completed_by, result: [{ id, from_name, to_name,
// type: 'choices', value: { choices: ['rain'] } }], created_at, lead_time }], predictions: [] }.
import type { ChoicesConfig, LabellingTask, TaskLabelView } from '../../domain/annotation.js';

export type LabelStudioTask = Record<string, unknown>;
export type LabelStudioAnnotation = Record<string, unknown>;

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** An outside id (task, annotation or annotator) as a string, or undefined when it is not one. */
export function idString(v: unknown): string | undefined {
  if (typeof v === 'string' && v !== '' && v.length <= 200) return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

export interface ParsedAnnotation {
  label: string;
  annotator: string;
  external_id: string | null;
  /** Epoch ms of `created_at`, when it is a valid date. */
  created_at: number | null;
  /** From `lead_time` (seconds), when given. */
  duration_ms: number | null;
}

/** `completed_by` as Label Studio writes it: a user id, or `{ id, email, ... }` in full exports. */
function annotatorOf(v: unknown): string | undefined {
  if (isObject(v)) return idString(v.id) ?? idString(v.email);
  return idString(v);
}

/**
 * Read one annotation as a classification label of `config`, or answer why it cannot be one.
 * @example parseAnnotation({ completed_by: 7, result: [{ from_name: 'label', to_name: 'data', type: 'choices', value: { choices: ['rain'] } }] }, config)
 *   // { label: 'rain', annotator: '7', external_id: null, created_at: null, duration_ms: null }
 */
export function parseAnnotation(a: unknown, config: ChoicesConfig): ParsedAnnotation | { field: string; reason: string } {
  if (!isObject(a)) return { field: '', reason: 'annotation is not an object' };
  if (a.was_cancelled === true) return { field: '.was_cancelled', reason: 'the annotation was cancelled (skipped): it holds no label' };
  const annotator = annotatorOf(a.completed_by);
  if (annotator === undefined) return { field: '.completed_by', reason: 'completed_by (the annotator) is missing or not an id' };
  if (!Array.isArray(a.result)) return { field: '.result', reason: 'result is not a list' };
  const choices = a.result.filter((r) => isObject(r) && r.type === 'choices');
  if (choices.length !== 1) return { field: '.result', reason: `a classification annotation has exactly one result of type 'choices'; this one has ${choices.length}` };
  const r = choices[0] as Record<string, unknown>;
  if (r.from_name !== config.from_name) return { field: '.result.from_name', reason: `from_name '${String(r.from_name)}' is not this job's '${config.from_name}'` };
  const picked = isObject(r.value) ? r.value.choices : undefined;
  if (!Array.isArray(picked) || picked.length !== 1 || typeof picked[0] !== 'string') {
    return { field: '.result.value.choices', reason: 'value.choices must hold exactly one label' };
  }
  const label = picked[0];
  if (!config.choices.includes(label)) return { field: '.result.value.choices', reason: `'${label}' is not one of this job's labels: ${config.choices.join(', ')}` };
  const at = typeof a.created_at === 'string' ? Date.parse(a.created_at) : NaN;
  const lead = a.lead_time;
  const duration = typeof lead === 'number' && Number.isFinite(lead) && lead >= 0 ? Math.round(lead * 1000) : null;
  return { label, annotator, external_id: idString(a.id) ?? null, created_at: Number.isFinite(at) ? at : null, duration_ms: duration };
}

/** A Flywheel label as a Label Studio annotation (the result id is the label id's last 10 hex digits). */
export function annotationOf(l: TaskLabelView, config: ChoicesConfig): LabelStudioAnnotation {
  const a: LabelStudioAnnotation = {
    id: l.id,
    completed_by: l.annotator,
    result: [{ id: l.id.replace(/-/g, '').slice(-10), from_name: config.from_name, to_name: config.to_name, type: 'choices', value: { choices: [l.label] } }],
    was_cancelled: false,
    created_at: new Date(l.created_at).toISOString(),
  };
  if (l.duration_ms !== null) a.lead_time = l.duration_ms / 1000;
  return a;
}

/** A task made in Flywheel as a Label Studio task, before its annotations are added. */
export function nativeTaskOf(t: LabellingTask): LabelStudioTask {
  const task: LabelStudioTask = { id: t.id, data: t.data, predictions: [] };
  if (t.prediction_id !== null) task.meta = { prediction_id: t.prediction_id };
  return task;
}
