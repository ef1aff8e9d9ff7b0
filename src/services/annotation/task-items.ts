// Check a batch of items to label, one by one: each bad item is rejected with its reason and the
// others are accepted (a row-level problem never fails the batch).
import { kindOf as kindOfConfig, labelsOf, openTask, type LabelConfig, type LabellingJob, type LabellingTask } from '../../domain/annotation.js';

/** What a caller sends per task: `{ data: {...}, prediction_id?: '...', priority?: 0, gold_label?: 'rain' }`. */
export interface TaskItemInput {
  data: Record<string, unknown>;
  prediction_id?: string | null;
  priority?: number;
  /** The known answer: the task becomes a gold task (served at the job's gold rate, never resolved). */
  gold_label?: string | null;
}

export type ItemResult =
  | { index: number; status: 'accepted'; task_id: string }
  | { index: number; status: 'rejected'; field: string; reason: string };

export interface TaskBatchReport {
  received: number;
  accepted: number;
  rejected: number;
  /** One entry per item, in the order given. */
  items: ItemResult[];
}

export const MAX_ITEM_BYTES = 64 * 1024;
export const MAX_PREDICTION_ID_LENGTH = 200;
export const MAX_PRIORITY = 1_000_000;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const kindOf = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v);

/** Longest image URL a task may hold (a small `data:` URL fits). */
export const MAX_IMAGE_URL = 64 * 1024;
const IMAGE_URL = /^(https?:\/\/|data:image\/|\/api\/v1\/)/;

/** Why the data of a spans or boxes task cannot be labelled (the text or image field), or undefined. */
export function dataFieldProblem(config: LabelConfig, data: Record<string, unknown>, at: string): { field: string; reason: string } | undefined {
  if (config.type === 'choices') return undefined;
  const v = data[config.field];
  const where = `${at}.data.${config.field}`;
  if (config.type === 'labels') {
    if (typeof v !== 'string' || v === '') return { field: where, reason: `a text-spans task needs the text to label in data.${config.field} (a non-empty string)` };
    return undefined;
  }
  if (typeof v !== 'string' || !IMAGE_URL.test(v) || v.length > MAX_IMAGE_URL) {
    return { field: where, reason: `an image-boxes task needs the image in data.${config.field}: an http(s) URL, a data:image/... URL or an uploaded image's URL` };
  }
  return undefined;
}

/** Why one item cannot become a task, or undefined when it can. */
function problemOf(item: unknown, at: string, config: LabelConfig): { field: string; reason: string } | undefined {
  const choices = labelsOf(config);
  if (!isObject(item)) return { field: at, reason: `item is ${kindOf(item)}, not an object like { "data": { ... } }` };
  if (!('data' in item)) return { field: `${at}.data`, reason: 'item has no "data" (the row to label)' };
  if (!isObject(item.data)) return { field: `${at}.data`, reason: `data is ${kindOf(item.data)}, not a JSON object` };
  if (Object.keys(item.data).length === 0) return { field: `${at}.data`, reason: 'data is an empty object: nothing to label' };
  if (JSON.stringify(item.data).length > MAX_ITEM_BYTES) return { field: `${at}.data`, reason: `data is larger than ${MAX_ITEM_BYTES} bytes as JSON` };
  const p = item.prediction_id;
  if (p !== undefined && p !== null && (typeof p !== 'string' || p === '' || p.length > MAX_PREDICTION_ID_LENGTH)) {
    return { field: `${at}.prediction_id`, reason: `prediction_id must be a string of 1-${MAX_PREDICTION_ID_LENGTH} characters` };
  }
  const pr = item.priority;
  if (pr !== undefined && (typeof pr !== 'number' || !Number.isInteger(pr) || Math.abs(pr) > MAX_PRIORITY)) {
    return { field: `${at}.priority`, reason: `priority must be an integer between -${MAX_PRIORITY} and ${MAX_PRIORITY}` };
  }
  const dataProblem = dataFieldProblem(config, item.data, at);
  if (dataProblem) return dataProblem;
  const g = item.gold_label;
  if (g !== undefined && g !== null && kindOfConfig(config) !== 'classification') {
    return { field: `${at}.gold_label`, reason: `gold tasks are for classification jobs; this is a ${kindOfConfig(config)} job` };
  }
  if (g !== undefined && g !== null && (typeof g !== 'string' || !choices.includes(g))) {
    return { field: `${at}.gold_label`, reason: `gold_label must be one of this job's labels: ${choices.join(', ')}` };
  }
  if (g !== undefined && g !== null && p !== undefined && p !== null) {
    return { field: `${at}.gold_label`, reason: 'a gold task cannot come from a prediction (it is never resolved into feedback)' };
  }
  return undefined;
}

/**
 * Turn items into tasks of `job`. `taken` holds prediction ids that already have a task in the
 * job; a prediction id given twice keeps its first item. Example:
 *   tasksOf(job, [{ data: { temp: 3 } }, 'oops'], new Set(), now) // 1 task; item 1 rejected
 */
export function tasksOf(job: LabellingJob, items: readonly unknown[], taken: ReadonlySet<string>, now: number, field = 'body.items') {
  const tasks: LabellingTask[] = [];
  const results: ItemResult[] = [];
  const seen = new Set(taken);
  items.forEach((item, index) => {
    const at = `${field}[${index}]`;
    const problem = problemOf(item, at, job.label_config);
    if (problem) return void results.push({ index, status: 'rejected', ...problem });
    const { data, prediction_id, priority, gold_label } = item as unknown as TaskItemInput;
    const predictionId = prediction_id ?? null;
    if (predictionId !== null && seen.has(predictionId)) {
      const where = taken.has(predictionId) ? 'already has a task in this job' : 'is given twice in this batch';
      return void results.push({ index, status: 'rejected', field: `${at}.prediction_id`, reason: `prediction '${predictionId}' ${where}` });
    }
    if (predictionId !== null) seen.add(predictionId);
    const task = openTask(job, now, { data, prediction_id: predictionId, priority: priority ?? 0, gold_label: gold_label ?? null });
    tasks.push(task);
    results.push({ index, status: 'accepted', task_id: task.id });
  });
  const report: TaskBatchReport = { received: items.length, accepted: tasks.length, rejected: items.length - tasks.length, items: results };
  return { tasks, report };
}

/** The prediction ids named by well-formed items (to look up which are taken). */
export function predictionIdsOf(items: readonly unknown[]): string[] {
  const ids = new Set<string>();
  for (const item of items) {
    if (isObject(item) && typeof item.prediction_id === 'string' && item.prediction_id !== '') ids.add(item.prediction_id);
  }
  return [...ids];
}
