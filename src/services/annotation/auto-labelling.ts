// Auto-labelling's decision for one task, given the model's confidence: below the threshold the
// prediction is only a suggestion; at or above it the model labels the task, except for a seeded
// share of such tasks that still go to people as a spot check (a draw fixed by the seed and the
// task id, so the same tasks are picked on every run). Gold tasks and tasks people have started
// labelling are never labelled by the model.
import type { AutoLabelSettings, LabellingTask } from '../../domain/annotation.js';
import { hash32 } from './gold-mixing.js';

export type AutoDecision = 'suggest' | 'auto-label' | 'spot-check';

/** A uniform draw in [0, 1) fixed by (seed, task). */
export function spotCheckDraw(seed: number, taskId: string): number {
  return hash32(`${seed}\u0000${taskId}`) / 2 ** 32;
}

/**
 * @example autoDecision({ threshold: 0.9, spot_check_share: 0.1, seed: 42 }, task, 0.95) // 'auto-label' (or 'spot-check' for about 1 task in 10)
 */
export function autoDecision(settings: AutoLabelSettings | null | undefined, task: Pick<LabellingTask, 'id' | 'gold_label' | 'label_count'>, confidence: number): AutoDecision {
  if (!settings || task.gold_label !== null || task.label_count > 0 || confidence < settings.threshold) return 'suggest';
  return spotCheckDraw(settings.seed, task.id) < settings.spot_check_share ? 'spot-check' : 'auto-label';
}
