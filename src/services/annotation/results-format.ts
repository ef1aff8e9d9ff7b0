// Labelling results as JSON Lines or CSV, for contractors and outside providers.
//
// Import — one result per JSONL line or CSV row, matched to a task of the job by `task_id`:
//   {"task_id": "…", "annotator": "w-17", "label": "rain", "id": "r-1", "created_at": "2024-05-01T10:00:00Z", "duration_ms": 5200}
//   with the job's answer field: `label` (classification), `choices` (multi-label, a list),
//   `spans` ([{start, end, text, labels}]) or `boxes` ([{x, y, width, height, labels}], percent,
//   with `original_width` / `original_height` when known); optional `id` (the provider's result
//   id: a result given twice is recorded once), `provider` (overrides the import's), `created_at`
//   (ISO time or epoch ms) and `duration_ms`. A JSONL line may instead hold
//   `{"task_id": "…", "results": [ … ]}` (what export writes): each result imported.
//   CSV: a header naming `task_id`, `annotator` and the answer column (`label` as text; `choices`
//   as a JSON list or labels separated by '|'; `spans`, `boxes` as JSON), optional `id` (or
//   `result_id`), `provider`, `created_at`, `duration_ms`, `original_width`, `original_height`;
//   other columns (the exported `data.*`) are ignored. A row with neither annotator nor answer is
//   an unlabelled task and is skipped.
// A record that cannot be read (not JSON, a field of the wrong type, no answer) fails the whole
// import with a 400 naming its line or row and field; whether a readable result fits its task is
// decided per result (rejected with the reason).
import { kindOf, type LabelConfig } from '../../domain/annotation.js';
import { ValidationError } from '../../domain/errors.js';
import { answerFieldOf, type AnswerInput } from './label-answers.js';
import { readCsv } from './csv-records.js';

export const RESULT_FORMATS = ['jsonl', 'csv'] as const;
export type ResultFormat = (typeof RESULT_FORMATS)[number];
export const MAX_RESULT_RECORDS = 50_000;

export interface ResultRecord {
  /** 0-based order in the file. */
  index: number;
  /** Where it is: its line (JSONL, CSV) and CSV row; `result` when a JSONL line holds several. */
  line: number;
  row: number | null;
  result: number | null;
  task_id: string;
  annotator: string;
  provider: string | null;
  id: string | null;
  created_at: number | null;
  duration_ms: number | null;
  answer: AnswerInput;
  /** The record as it came (kept as provenance). */
  original: Record<string, unknown>;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** An outside id as a string (a number or a string of 1-200 characters). */
function idOf(v: unknown): string | undefined {
  if (typeof v === 'string' && v.trim() !== '' && v.length <= 200) return v.trim();
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

class Where {
  constructor(
    readonly line: number,
    readonly row: number | null,
    readonly result: number | null,
  ) {}
  get text(): string {
    const base = this.row === null ? `line ${this.line}` : `row ${this.row} (line ${this.line})`;
    return this.result === null ? base : `${base}, results[${this.result}]`;
  }
  fail(field: string, problem: string): never {
    throw new ValidationError(`${this.text}: ${field} ${problem}`, { field, line: this.line, ...(this.row === null ? {} : { row: this.row }), ...(this.result === null ? {} : { result: this.result }) });
  }
}

function timeOf(v: unknown, where: Where): number | null {
  if (v === undefined || v === null || v === '') return null;
  if (typeof v === 'number' && Number.isFinite(v) && v >= 0) return Math.round(v);
  if (typeof v === 'string') {
    if (/^\d+$/.test(v.trim())) return Number(v.trim());
    const t = Date.parse(v);
    if (Number.isFinite(t)) return t;
  }
  return where.fail('created_at', 'must be an ISO 8601 time or epoch milliseconds');
}

function durationOf(v: unknown, where: Where): number | null {
  if (v === undefined || v === null || v === '') return null;
  const n = typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v.trim()) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 86_400_000) return where.fail('duration_ms', 'must be a whole number of milliseconds (0 to one day)');
  return n;
}

function recordOf(o: Record<string, unknown>, where: Where, field: keyof AnswerInput, index: number, taskId: string | undefined): ResultRecord {
  const task = taskId ?? idOf(o.task_id);
  if (task === undefined) where.fail('task_id', 'is missing or not an id (a string or number)');
  const annotator = idOf(o.annotator);
  if (annotator === undefined) where.fail('annotator', 'is missing or not an id (a string or number)');
  if (o[field] === undefined) where.fail(field, `is missing: this job's results give their answer in '${field}'`);
  if (o.id !== undefined && o.id !== null && idOf(o.id) === undefined) where.fail('id', 'must be a string or number');
  if (o.provider !== undefined && o.provider !== null && typeof o.provider !== 'string') where.fail('provider', 'must be a string');
  const answer: AnswerInput = { [field]: o[field] };
  for (const k of ['original_width', 'original_height'] as const) if (o[k] !== undefined && o[k] !== null && o[k] !== '') answer[k] = o[k];
  return {
    index,
    line: where.line,
    row: where.row,
    result: where.result,
    task_id: task,
    annotator,
    provider: typeof o.provider === 'string' && o.provider !== '' ? o.provider : null,
    id: idOf(o.id) ?? null,
    created_at: timeOf(o.created_at, where),
    duration_ms: durationOf(o.duration_ms, where),
    answer,
    original: o,
  };
}

/** Results from JSON Lines text (blank lines skipped). */
export function readJsonlResults(text: string, config: LabelConfig): ResultRecord[] {
  const field = answerFieldOf(config);
  const out: ResultRecord[] = [];
  const lines = text.split('\n');
  for (const [i, raw] of lines.entries()) {
    const lineText = raw.replace(/\r$/, '');
    if (lineText.trim() === '') continue;
    const where: Where = new Where(i + 1, null, null);
    let parsed: unknown;
    try {
      parsed = JSON.parse(lineText);
    } catch (err) {
      throw new ValidationError(`line ${i + 1}: not valid JSON (${(err as Error).message})`, { field: 'body', line: i + 1 });
    }
    if (!isObject(parsed)) throw new ValidationError(`line ${i + 1}: must be a JSON object like {"task_id": "…", "annotator": "…", "${field}": …}`, { field: 'body', line: i + 1 });
    if ('results' in parsed) {
      const task = idOf(parsed.task_id);
      if (task === undefined) where.fail('task_id', 'is missing or not an id (a string or number)');
      if (!Array.isArray(parsed.results)) where.fail('results', 'must be a list of results');
      for (const [k, r] of (parsed.results as unknown[]).entries()) {
        const at: Where = new Where(i + 1, null, k);
        if (!isObject(r)) at.fail('result', 'must be an object');
        out.push(recordOf(r, at, field, out.length, task));
      }
    } else out.push(recordOf(parsed, where, field, out.length, undefined));
    if (out.length > MAX_RESULT_RECORDS) throw new ValidationError(`the file holds more than ${MAX_RESULT_RECORDS} results; split it`, { field: 'body' });
  }
  if (out.length === 0 && lines.every((l) => l.trim() === '')) throw new ValidationError('the body is empty: send one result per line', { field: 'body' });
  return out;
}

/** The answer of a CSV cell: text for `label`, JSON (or 'a|b' for choices) otherwise. */
function cellAnswer(cell: string, field: keyof AnswerInput, where: Where): unknown {
  if (field === 'label') return cell;
  const t = cell.trim();
  if (field === 'choices' && !t.startsWith('[')) return t === '' ? [] : t.split('|').map((s) => s.trim());
  try {
    return JSON.parse(t);
  } catch {
    return where.fail(field, 'is not valid JSON');
  }
}

/** Results from CSV text. */
export function readCsvResults(text: string, config: LabelConfig): ResultRecord[] {
  const field = answerFieldOf(config);
  const { header, records } = readCsv(text);
  for (const required of ['task_id', 'annotator', field]) {
    if (!header.includes(required)) throw new ValidationError(`line 1: the header has no '${required}' column (a ${kindOf(config)} job needs task_id, annotator and ${field})`, { field: required, line: 1 });
  }
  if (records.length > MAX_RESULT_RECORDS) throw new ValidationError(`the file holds ${records.length} rows; at most ${MAX_RESULT_RECORDS}: split it`, { field: 'body' });
  const out: ResultRecord[] = [];
  for (const r of records) {
    const v = r.values;
    if ((v.annotator ?? '').trim() === '' && (v[field] ?? '').trim() === '') continue; // an unlabelled task, as export writes it
    const where: Where = new Where(r.line, r.row, null);
    const o: Record<string, unknown> = { ...v, [field]: cellAnswer(v[field], field, where) };
    if (o.id === undefined && v.result_id !== undefined) o.id = v.result_id;
    for (const k of ['id', 'provider', 'created_at', 'duration_ms', 'original_width', 'original_height']) if (o[k] === '') delete o[k];
    for (const k of ['original_width', 'original_height']) if (typeof o[k] === 'string') o[k] = /^\d+$/.test(o[k] as string) ? Number(o[k]) : o[k];
    out.push(recordOf(o, where, field, out.length, undefined));
  }
  return out;
}
