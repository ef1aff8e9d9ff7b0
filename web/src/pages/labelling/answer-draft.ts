// The answer being built on the workbench for a structured task (chosen labels, text spans,
// image boxes), its undo history, and the request body it becomes.
import type { LabellingJobDetailView } from '../../../../src/contracts/index.js';

export interface SpanDraft {
  start: number;
  end: number;
  text: string;
  labels: string[];
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface BoxDraft extends Rect {
  labels: string[];
}

export interface Draft {
  choices: string[];
  spans: SpanDraft[];
  boxes: BoxDraft[];
}

export const EMPTY_DRAFT: Draft = { choices: [], spans: [], boxes: [] };

export type Kind = LabellingJobDetailView['kind'];

/** The data field holding a spans task's text or a boxes task's image URL. */
export function dataFieldOf(job: LabellingJobDetailView): string | undefined {
  const c = job.label_config as { type: string; field?: string };
  return c.type === 'choices' ? undefined : c.field;
}

/** Toggle a label in a multi-label answer, keeping the configuration's order. */
export function toggled(choices: string[], label: string, order: readonly string[]): string[] {
  const next = choices.includes(label) ? choices.filter((c) => c !== label) : [...choices, label];
  return next.sort((a, b) => order.indexOf(a) - order.indexOf(b));
}

/** Round a percentage to 4 decimals (what is sent and shown). */
export const pct4 = (x: number) => Math.round(x * 1e4) / 1e4;

/** The submit body of a draft for the job's kind. */
export function bodyOf(kind: Kind, draft: Draft, image?: { width: number; height: number }): Record<string, unknown> {
  if (kind === 'multi-label') return { choices: draft.choices };
  if (kind === 'text-spans') return { spans: draft.spans };
  const boxes = draft.boxes.map((b) => ({ x: pct4(b.x), y: pct4(b.y), width: pct4(b.width), height: pct4(b.height), labels: b.labels }));
  return { boxes, ...(image && image.width > 0 ? { original_width: image.width, original_height: image.height } : {}) };
}
