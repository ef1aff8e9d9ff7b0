// The consensus of one task's labels, by the job's kind, and its agreement (0..1) — what a task
// is resolved to once it has its overlap of labels, and what the consensus view shows:
// - classification: majority vote; agreement = the winner's share of the votes; ties go to the
//   label listed first in the configuration;
// - multi-label: each label is in when a strict majority picked it; agreement = mean majority
//   share over the labels anyone picked (stats/multi-label-agreement.ts);
// - text spans: the (start, end, label) atoms a strict majority gave; agreement = mean pairwise
//   exact-match span F1 (stats/span-agreement.ts);
// - image boxes: same-label boxes grouped at IoU ≥ 0.5, groups drawn by a strict majority kept
//   with averaged coordinates; agreement = mean pairwise box F1 (stats/box-agreement.ts).
// Spans and boxes also answer their regions: each consensus span label or box with the share of
// annotators who gave it (its confidence; a box also the mean IoU of the drawn boxes with it).
// A tie (an even split on a class, label, span or box), or agreement below the job's threshold,
// flags the task for the disputes queue (label-recording.ts), for every kind alike.
import { kindOf, labelsOf, type LabelConfig, type TaskLabel } from '../../domain/annotation.js';
import type { BoxesValue, ImageBox, LabelValue, TextSpan } from '../../domain/label-values.js';
import { majorityVote } from '../../stats/agreement.js';
import { boxConsensus } from '../../stats/box-agreement.js';
import { multiLabelConsensus } from '../../stats/multi-label-agreement.js';
import { spanConsensus } from '../../stats/span-agreement.js';
import { summaryOf } from './label-answers.js';

/**
 * One region of a span or box consensus: its label, how many of the task's annotators gave it,
 * and that share as its confidence; a box also has the mean IoU of the drawn boxes with it.
 */
export type ConsensusRegion =
  | { label: string; votes: number; confidence: number; start: number; end: number; text: string }
  | { label: string; votes: number; confidence: number; x: number; y: number; width: number; height: number; iou: number };

export interface TaskOutcome {
  label: string;
  value: LabelValue | null;
  agreement: number;
  tie: boolean;
  /** Multi-label: the share of annotators who picked each label, in configuration order. */
  presence?: number[];
  /** Spans and boxes: each consensus span label or box, with its votes and confidence. */
  regions?: ConsensusRegion[];
}

const choicesOf = (l: Pick<TaskLabel, 'value'>): string[] => (l.value?.type === 'choices' ? l.value.choices : []);
const spansOf = (l: Pick<TaskLabel, 'value'>): TextSpan[] => (l.value?.type === 'labels' ? l.value.spans : []);
const boxesOf = (l: Pick<TaskLabel, 'value'>): ImageBox[] => (l.value?.type === 'rectanglelabels' ? l.value.boxes : []);

const pick = (b: ImageBox) => ({ x: b.x, y: b.y, width: b.width, height: b.height });

/** Round a percentage to 1e-6 (the averaged boxes would otherwise carry float noise). */
const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

/**
 * The outcome of a task's labels (at least one) under `config`.
 * @example taskOutcome(config, [{ label: 'rain' }, { label: 'rain' }, { label: 'sun' }]) // { label: 'rain', agreement: 2/3, tie: false, value: null }
 */
export function taskOutcome(config: LabelConfig, labels: ReadonlyArray<Pick<TaskLabel, 'label' | 'value'>>): TaskOutcome {
  const order = labelsOf(config);
  const kind = kindOf(config);
  if (kind === 'classification') {
    const vote = majorityVote(
      labels.map((l) => l.label),
      order,
    );
    return { label: vote.label!, value: null, agreement: vote.share, tie: vote.tie };
  }
  if (kind === 'multi-label') {
    const c = multiLabelConsensus(labels.map(choicesOf), order);
    const value: LabelValue = { type: 'choices', choices: c.choices };
    return { label: summaryOf(value), value, agreement: c.agreement, tie: c.tie, presence: c.presence };
  }
  if (kind === 'text-spans') {
    const c = spanConsensus(labels.map(spansOf), order);
    const value: LabelValue = { type: 'labels', spans: c.spans };
    const regions = c.atoms.map((a) => ({ label: a.label, votes: a.votes, confidence: a.votes / labels.length, start: a.start, end: a.end, text: a.text }));
    return { label: summaryOf(value), value, agreement: c.agreement, tie: c.tie, regions };
  }
  const c = boxConsensus(labels.map(boxesOf), order);
  const value: BoxesValue = {
    type: 'rectanglelabels',
    boxes: c.boxes.map((b) => ({ x: round6(b.x), y: round6(b.y), width: round6(b.width), height: round6(b.height), rotation: 0, labels: b.labels })),
  };
  const sized = labels.map((l) => l.value).find((v): v is BoxesValue => v?.type === 'rectanglelabels' && v.original_width !== undefined);
  if (sized?.original_width !== undefined) value.original_width = sized.original_width;
  if (sized?.original_height !== undefined) value.original_height = sized.original_height;
  const regions = c.boxes.map((b, i) => ({ label: b.labels[0], votes: b.votes, confidence: b.votes / labels.length, ...pick(value.boxes[i]), iou: round6(b.iou) }));
  return { label: summaryOf(value), value, agreement: c.agreement, tie: c.tie, regions };
}
