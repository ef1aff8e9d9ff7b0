// One annotator's answer to a task, checked against the job's configuration and the task's data:
// the label (classification), the chosen labels (multi-label), text spans or image boxes. An
// answer becomes what is stored: `label` (the label, or a one-line summary for structured kinds)
// and `value` (the structured answer; null for classification). A bad answer names the field
// and index that is wrong, e.g. `body.spans[1].end`.
import { kindOf, labelsOf, type LabelConfig } from '../../domain/annotation.js';
import { ValidationError } from '../../domain/errors.js';
import type { ImageBox, LabelValue, TextSpan } from '../../domain/label-values.js';

/** Spans or boxes in one answer, at most. */
export const MAX_ITEMS_PER_ANSWER = 1000;
/** Slack for percentages that sum past 100 by floating-point rounding (x + width). */
const EPSILON = 1e-6;

/** What a caller sends: the field of the job's kind (`label`, `choices`, `spans` or `boxes`). */
export interface AnswerInput {
  label?: unknown;
  choices?: unknown;
  spans?: unknown;
  boxes?: unknown;
  /** Image boxes: the image's size in pixels, when the client knows it. */
  original_width?: unknown;
  original_height?: unknown;
}

export interface Answer {
  label: string;
  value: LabelValue | null;
}

export interface Problem {
  field: string;
  reason: string;
}

const FIELD_OF = { classification: 'label', 'multi-label': 'choices', 'text-spans': 'spans', 'image-boxes': 'boxes' } as const;

/** The input field an answer of this configuration's kind is given in. */
export const answerFieldOf = (config: LabelConfig): 'label' | 'choices' | 'spans' | 'boxes' => FIELD_OF[kindOf(config)];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const cut = (s: string, n = 200) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** The one-line summary kept in `label` (at most 200 characters). */
export function summaryOf(value: LabelValue): string {
  if (value.type === 'choices') return cut(value.choices.length ? value.choices.join(', ') : '(none)');
  if (value.type === 'labels') return cut(value.spans.length ? value.spans.map((s) => `${s.labels.join('+')}: ${s.text}`).join('; ') : '(no spans)');
  const counts = new Map<string, number>();
  for (const b of value.boxes) for (const l of b.labels) counts.set(l, (counts.get(l) ?? 0) + 1);
  return cut(value.boxes.length ? [...counts].map(([l, n]) => (n > 1 ? `${l} ×${n}` : l)).join(', ') : '(no boxes)');
}

/** Check a list of labels against the configuration; answers the problem of the first bad one. */
function labelsProblem(list: unknown, allowed: readonly string[], at: string, nonEmpty: boolean): Problem | undefined {
  if (!Array.isArray(list)) return { field: at, reason: 'must be a list of labels' };
  if (nonEmpty && list.length === 0) return { field: at, reason: 'is empty: give at least one label' };
  const seen = new Set<string>();
  for (const [i, l] of list.entries()) {
    if (typeof l !== 'string') return { field: `${at}[${i}]`, reason: 'must be a string' };
    if (!allowed.includes(l)) return { field: `${at}[${i}]`, reason: `'${l}' is not one of this job's labels: ${allowed.join(', ')}` };
    if (seen.has(l)) return { field: `${at}[${i}]`, reason: `'${l}' is given twice` };
    seen.add(l);
  }
  return undefined;
}

/** In configuration order. */
const ordered = (labels: string[], allowed: readonly string[]) => [...labels].sort((a, b) => allowed.indexOf(a) - allowed.indexOf(b));

function spansOf(list: unknown, text: string, allowed: readonly string[], at: string): TextSpan[] | Problem {
  if (!Array.isArray(list)) return { field: at, reason: 'must be a list of spans { start, end, text, labels }' };
  if (list.length > MAX_ITEMS_PER_ANSWER) return { field: at, reason: `has ${list.length} spans; at most ${MAX_ITEMS_PER_ANSWER}` };
  const spans: TextSpan[] = [];
  const seen = new Set<string>();
  for (const [i, s] of list.entries()) {
    const here = `${at}[${i}]`;
    if (!isObject(s)) return { field: here, reason: 'must be an object { start, end, text, labels }' };
    if (!isInt(s.start) || s.start < 0) return { field: `${here}.start`, reason: 'must be a non-negative integer (an offset in the text)' };
    if (!isInt(s.end) || s.end <= s.start) return { field: `${here}.end`, reason: `must be an integer greater than start (${s.start})` };
    if (s.end > text.length) return { field: `${here}.end`, reason: `is ${s.end}: the span ends outside the text, which is ${text.length} characters long` };
    const slice = text.slice(s.start, s.end);
    if (typeof s.text !== 'string') return { field: `${here}.text`, reason: 'must be the text the span selects' };
    if (s.text !== slice) return { field: `${here}.text`, reason: `'${cut(s.text, 80)}' is not the text at ${s.start}..${s.end}, which reads '${cut(slice, 80)}'` };
    const bad = labelsProblem(s.labels, allowed, `${here}.labels`, true);
    if (bad) return bad;
    const labels = ordered(s.labels as string[], allowed);
    const key = `${s.start}:${s.end}:${labels.join('\u0000')}`;
    if (seen.has(key)) return { field: here, reason: `repeats the span ${s.start}..${s.end} with the same labels` };
    seen.add(key);
    spans.push({ start: s.start, end: s.end, text: slice, labels });
  }
  return spans;
}

function boxesOf(list: unknown, allowed: readonly string[], at: string): ImageBox[] | Problem {
  if (!Array.isArray(list)) return { field: at, reason: 'must be a list of boxes { x, y, width, height, labels }' };
  if (list.length > MAX_ITEMS_PER_ANSWER) return { field: at, reason: `has ${list.length} boxes; at most ${MAX_ITEMS_PER_ANSWER}` };
  const boxes: ImageBox[] = [];
  for (const [i, b] of list.entries()) {
    const here = `${at}[${i}]`;
    if (!isObject(b)) return { field: here, reason: 'must be an object { x, y, width, height, labels } in percent of the image' };
    for (const k of ['x', 'y'] as const) {
      if (!isNum(b[k]) || b[k] < 0 || b[k] > 100) return { field: `${here}.${k}`, reason: 'must be a number from 0 to 100 (percent of the image)' };
    }
    for (const k of ['width', 'height'] as const) {
      if (!isNum(b[k]) || b[k] <= 0) return { field: `${here}.${k}`, reason: 'must be a positive number (percent of the image)' };
    }
    const [x, y, w, h] = [b.x, b.y, b.width, b.height] as number[];
    if (x + w > 100 + EPSILON) return { field: `${here}.width`, reason: `runs the box past the image's right edge (x ${x} + width ${w} > 100)` };
    if (y + h > 100 + EPSILON) return { field: `${here}.height`, reason: `runs the box past the image's bottom edge (y ${y} + height ${h} > 100)` };
    const rotation = b.rotation ?? 0;
    if (!isNum(rotation) || Math.abs(rotation) > 360) return { field: `${here}.rotation`, reason: 'must be a number of degrees from -360 to 360 (0 when not rotated)' };
    const bad = labelsProblem(b.labels, allowed, `${here}.labels`, true);
    if (bad) return bad;
    boxes.push({ x, y, width: w, height: h, rotation, labels: ordered(b.labels as string[], allowed) });
  }
  return boxes;
}

/** The text a spans task is about: the configured data field, when it is a string. */
export function taskText(config: LabelConfig, data: Record<string, unknown>): string | undefined {
  if (config.type !== 'labels') return undefined;
  const v = data[config.field];
  return typeof v === 'string' ? v : undefined;
}

/**
 * Check an answer for a task of `config` with `data`; fields are named under `at` (e.g. 'body').
 * @example answerOf(config, { text: 'Anna in Paris' }, { spans: [{ start: 0, end: 4, text: 'Anna', labels: ['PER'] }] })
 *   // { label: 'PER: Anna', value: { type: 'labels', spans: [...] } }
 */
export function answerOf(config: LabelConfig, data: Record<string, unknown>, input: AnswerInput, at = 'body'): Answer | Problem {
  const allowed = labelsOf(config);
  const kind = kindOf(config);
  const expected = FIELD_OF[kind];
  for (const other of ['label', 'choices', 'spans', 'boxes'] as const) {
    if (other !== expected && input[other] !== undefined) return { field: `${at}.${other}`, reason: `is not for a ${kind} job: give the answer in '${expected}'` };
  }
  const given = input[expected];
  if (given === undefined) return { field: `${at}.${expected}`, reason: `is required: a ${kind} job takes its answer in '${expected}'` };
  if (kind === 'classification') {
    if (typeof given !== 'string' || !allowed.includes(given)) {
      return { field: `${at}.label`, reason: `'${String(given)}' is not one of this job's labels: ${allowed.join(', ')}` };
    }
    return { label: given, value: null };
  }
  if (kind === 'multi-label') {
    const bad = labelsProblem(given, allowed, `${at}.choices`, false);
    if (bad) return bad;
    const value: LabelValue = { type: 'choices', choices: ordered(given as string[], allowed) };
    return { label: summaryOf(value), value };
  }
  if (kind === 'text-spans') {
    const text = taskText(config, data);
    if (text === undefined) return { field: `${at}.spans`, reason: `cannot label this task: it has no text in its data field '${(config as { field: string }).field}'` };
    const spans = spansOf(given, text, allowed, `${at}.spans`);
    if (!Array.isArray(spans)) return spans;
    const value: LabelValue = { type: 'labels', spans };
    return { label: summaryOf(value), value };
  }
  const boxes = boxesOf(given, allowed, `${at}.boxes`);
  if (!Array.isArray(boxes)) return boxes;
  const value: LabelValue = { type: 'rectanglelabels', boxes };
  for (const k of ['original_width', 'original_height'] as const) {
    const v = input[k];
    if (v === undefined || v === null) continue;
    if (!isInt(v) || v <= 0 || v > 1_000_000) return { field: `${at}.${k}`, reason: 'must be the image size in pixels: a positive integer' };
    value[k] = v;
  }
  return { label: summaryOf(value), value };
}

/** As {@link answerOf}, throwing a ValidationError (400) that names the field. */
export function checkAnswer(config: LabelConfig, data: Record<string, unknown>, input: AnswerInput, at = 'body'): Answer {
  const r = answerOf(config, data, input, at);
  if ('reason' in r) throw new ValidationError(`${r.field} ${r.reason}`, { field: r.field });
  return r;
}

/** Whether two stored answers are the same (label and value). */
export function sameAnswer(a: { label: string; value?: LabelValue | null }, b: { label: string; value?: LabelValue | null }): boolean {
  return a.label === b.label && JSON.stringify(a.value ?? null) === JSON.stringify(b.value ?? null);
}

/** A stored answer in the input shape (`{ label }`, `{ choices }`, `{ spans }` or `{ boxes, original_* }`). */
export function inputOf(a: { label: string; value?: LabelValue | null }): AnswerInput & Record<string, unknown> {
  const v = a.value;
  if (!v) return { label: a.label };
  if (v.type === 'choices') return { choices: v.choices };
  if (v.type === 'labels') return { spans: v.spans };
  const out: AnswerInput & Record<string, unknown> = { boxes: v.boxes };
  if (v.original_width !== undefined) out.original_width = v.original_width;
  if (v.original_height !== undefined) out.original_height = v.original_height;
  return out;
}
