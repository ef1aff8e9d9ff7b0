// Label Studio JSON for every task type: read one task's annotations into labels (or the reason
// one cannot be a label), and write a Flywheel label as a Label Studio annotation and a model's
// suggestion as a Label Studio prediction.
// Task JSON: { id, data, annotations: [{ id, completed_by, result: [...], created_at, lead_time }],
// predictions: [] }, with result items { id, from_name, to_name, type, value } of type
// - 'choices': value { choices: ['rain'] } (one item; several labels when choice="multiple");
// - 'labels': value { start, end, text, labels: ['PER'] } (one item per span);
// - 'rectanglelabels': value { x, y, width, height, rotation, rectanglelabels: ['car'] } in percent
//   of the image, with original_width / original_height (pixels) when known (one item per box).
import { kindOf, labelsOf, type LabelConfig, type LabellingTask, type TaskLabelView } from '../../domain/annotation.js';
import type { LabelValue } from '../../domain/label-values.js';
import { answerOf } from './label-answers.js';

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
  /** The label, or the summary of `value` for structured kinds. */
  label: string;
  value: LabelValue | null;
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

type Rejection = { field: string; reason: string };

/** The Label Studio result type of each kind, and the key of its labels inside `value`. */
const RESULT = {
  classification: { type: 'choices', key: 'choices' },
  'multi-label': { type: 'choices', key: 'choices' },
  'text-spans': { type: 'labels', key: 'labels' },
  'image-boxes': { type: 'rectanglelabels', key: 'rectanglelabels' },
} as const;

/**
 * The answer held by an annotation's results, in the API's input shape, or why it cannot be one.
 * Spans and boxes are one result each; a problem is named by the result's index.
 */
function answerInResults(results: unknown[], config: LabelConfig, data: Record<string, unknown>): { label: string; value: LabelValue | null } | Rejection {
  const kind = kindOf(config);
  const { type, key } = RESULT[kind];
  const mine: Array<{ r: Record<string, unknown>; i: number }> = [];
  for (const [i, r] of results.entries()) {
    if (!isObject(r) || r.type !== type) continue;
    if (r.from_name !== config.from_name) {
      // A classification job keeps the message it always had (one choices result expected).
      if (kind === 'classification') continue;
      return { field: `.result[${i}].from_name`, reason: `from_name '${String(r.from_name)}' is not this job's '${config.from_name}'` };
    }
    mine.push({ r, i });
  }
  if (kind === 'classification') {
    const choices = results.filter((r) => isObject(r) && r.type === 'choices') as Array<Record<string, unknown>>;
    if (choices.length !== 1) return { field: '.result', reason: `a classification annotation has exactly one result of type 'choices'; this one has ${choices.length}` };
    const r = choices[0];
    if (r.from_name !== config.from_name) return { field: '.result.from_name', reason: `from_name '${String(r.from_name)}' is not this job's '${config.from_name}'` };
    const picked = isObject(r.value) ? r.value.choices : undefined;
    if (!Array.isArray(picked) || picked.length !== 1 || typeof picked[0] !== 'string') {
      return { field: '.result.value.choices', reason: 'value.choices must hold exactly one label' };
    }
    const label = picked[0];
    const allowed = labelsOf(config);
    if (!allowed.includes(label)) return { field: '.result.value.choices', reason: `'${label}' is not one of this job's labels: ${allowed.join(', ')}` };
    return { label, value: null };
  }
  if (kind === 'multi-label') {
    if (mine.length > 1) return { field: `.result[${mine[1].i}]`, reason: `a multi-label annotation has at most one result of type 'choices'; this one has ${mine.length}` };
    const picked = mine.length ? (isObject(mine[0].r.value) ? mine[0].r.value.choices : undefined) : [];
    const r = answerOf(config, data, { choices: picked }, 'X');
    if ('reason' in r) return { field: r.field.replace(/^X\.choices/, mine.length ? `.result[${mine[0].i}].value.choices` : '.result'), reason: r.reason };
    return r;
  }
  const items = mine.map(({ r }) => {
    const v = isObject(r.value) ? r.value : {};
    return kind === 'text-spans'
      ? { start: v.start, end: v.end, text: v.text, labels: v[key] }
      : { x: v.x, y: v.y, width: v.width, height: v.height, rotation: v.rotation ?? 0, labels: v[key] };
  });
  const sized = mine.find(({ r }) => r.original_width !== undefined || r.original_height !== undefined)?.r;
  const input = kind === 'text-spans' ? { spans: items } : { boxes: items, original_width: sized?.original_width, original_height: sized?.original_height };
  const r = answerOf(config, data, input, 'X');
  if ('reason' in r) {
    const m = /^X\.(spans|boxes)\[(\d+)\](?:\.(\w+))?(.*)$/.exec(r.field);
    if (m) {
      const inner = m[3] === 'labels' ? key : m[3];
      return { field: `.result[${mine[Number(m[2])].i}]${inner ? `.value.${inner}` : ''}${m[4]}`, reason: r.reason };
    }
    return { field: r.field.replace(/^X\.(spans|boxes)/, '.result').replace(/^X\./, '.result[].'), reason: r.reason };
  }
  return r;
}

/**
 * Read one annotation as an answer of `config` for a task with `data`, or answer why it cannot be one.
 * @example parseAnnotation({ completed_by: 7, result: [{ from_name: 'label', to_name: 'data', type: 'choices', value: { choices: ['rain'] } }] }, config)
 *   // { label: 'rain', value: null, annotator: '7', external_id: null, created_at: null, duration_ms: null }
 */
export function parseAnnotation(a: unknown, config: LabelConfig, data: Record<string, unknown> = {}): ParsedAnnotation | Rejection {
  if (!isObject(a)) return { field: '', reason: 'annotation is not an object' };
  if (a.was_cancelled === true) return { field: '.was_cancelled', reason: 'the annotation was cancelled (skipped): it holds no label' };
  const annotator = annotatorOf(a.completed_by);
  if (annotator === undefined) return { field: '.completed_by', reason: 'completed_by (the annotator) is missing or not an id' };
  if (!Array.isArray(a.result)) return { field: '.result', reason: 'result is not a list' };
  const answer = answerInResults(a.result, config, data);
  if ('reason' in answer) return answer;
  const at = typeof a.created_at === 'string' ? Date.parse(a.created_at) : NaN;
  const lead = a.lead_time;
  const duration = typeof lead === 'number' && Number.isFinite(lead) && lead >= 0 ? Math.round(lead * 1000) : null;
  return { label: answer.label, value: answer.value, annotator, external_id: idString(a.id) ?? null, created_at: Number.isFinite(at) ? at : null, duration_ms: duration };
}

/** Label Studio result ids: the label id's last hex digits, one per result item (10 characters). */
function resultId(labelId: string, i: number, many: boolean): string {
  const hex = labelId.replace(/-/g, '');
  return many ? `${hex.slice(-8)}${i.toString(36).padStart(2, '0')}` : hex.slice(-10);
}

/** The result items of a label, as Label Studio writes them for the job's control. */
export function resultsOf(l: Pick<TaskLabelView, 'id' | 'label' | 'value'>, config: LabelConfig): Array<Record<string, unknown>> {
  const base = { from_name: config.from_name, to_name: config.to_name };
  const v = l.value;
  if (!v) return [{ id: resultId(l.id, 0, false), ...base, type: 'choices', value: { choices: [l.label] } }];
  if (v.type === 'choices') return v.choices.length ? [{ id: resultId(l.id, 0, false), ...base, type: 'choices', value: { choices: [...v.choices] } }] : [];
  if (v.type === 'labels') {
    return v.spans.map((s, i) => ({ id: resultId(l.id, i, true), ...base, type: 'labels', value: { start: s.start, end: s.end, text: s.text, labels: [...s.labels] } }));
  }
  return v.boxes.map((b, i) => ({
    id: resultId(l.id, i, true),
    ...base,
    type: 'rectanglelabels',
    ...(v.original_width !== undefined ? { original_width: v.original_width } : {}),
    ...(v.original_height !== undefined ? { original_height: v.original_height } : {}),
    image_rotation: 0,
    value: { x: b.x, y: b.y, width: b.width, height: b.height, rotation: b.rotation, rectanglelabels: [...b.labels] },
  }));
}

/** A Flywheel label as a Label Studio annotation (result ids from the label id's last hex digits). */
export function annotationOf(l: TaskLabelView, config: LabelConfig): LabelStudioAnnotation {
  const a: LabelStudioAnnotation = {
    id: l.id,
    completed_by: l.annotator,
    result: resultsOf(l, config),
    was_cancelled: false,
    created_at: new Date(l.created_at).toISOString(),
  };
  if (l.duration_ms !== null) a.lead_time = l.duration_ms / 1000;
  return a;
}

/**
 * A model's suggestion as a Label Studio prediction: `{ model_version, score, result }`, the
 * result a `choices` item of the job's control (its id from the task id's last hex digits).
 */
export function predictionOf(t: Pick<LabellingTask, 'id' | 'suggestion'>, config: LabelConfig): Record<string, unknown> | undefined {
  const s = t.suggestion;
  if (!s) return undefined;
  const result = { id: `p${t.id.replace(/-/g, '').slice(-9)}`, from_name: config.from_name, to_name: config.to_name, type: 'choices', value: { choices: [s.label] } };
  return { model_version: s.model_version_id, score: s.confidence, result: [result] };
}

/** A task made in Flywheel as a Label Studio task, before its annotations are added; the model's suggestion is its prediction. */
export function nativeTaskOf(t: LabellingTask, config?: LabelConfig): LabelStudioTask {
  const prediction = config ? predictionOf(t, config) : undefined;
  const task: LabelStudioTask = { id: t.id, data: t.data, predictions: prediction ? [prediction] : [] };
  if (t.prediction_id !== null) task.meta = { prediction_id: t.prediction_id };
  return task;
}

/** An imported task's predictions with the model's suggestion added, unless one of its model version is there already. */
export function withPrediction(original: LabelStudioTask, t: LabellingTask, config: LabelConfig): LabelStudioTask {
  const prediction = predictionOf(t, config);
  if (!prediction) return original;
  const given = Array.isArray(original.predictions) ? (original.predictions as unknown[]) : [];
  if (given.some((p) => isObject(p) && p.model_version === prediction.model_version)) return original;
  return { ...original, predictions: [...given, prediction] };
}
