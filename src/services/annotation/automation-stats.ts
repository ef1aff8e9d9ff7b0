// What a job's model did, as job statistics report it: suggestions given, tasks auto-labelled,
// spot checks sent to people, and the measured accuracy of auto-labels — the model's label
// against the human consensus on the spot checks people have resolved.
import type { AutomationCounts } from '../../domain/ports/annotation-store.js';

export interface AutomationStats extends Pick<AutomationCounts, 'suggested' | 'auto_labelled' | 'spot_checks' | 'spot_checks_resolved' | 'spot_checks_agreeing'> {
  /** spot_checks_agreeing / spot_checks_resolved; null before any spot check is resolved. */
  auto_label_accuracy: number | null;
  /** Over every human-resolved task with a suggestion: the share resolved to the suggested label. */
  suggestion_agreement: number | null;
}

const share = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);

/**
 * @example automationStats({ suggested: 10, auto_labelled: 6, spot_checks: 2, spot_checks_resolved: 2, spot_checks_agreeing: 1, human_resolved_suggested: 4, human_agreeing_with_suggestion: 3 })
 *   // { ..., auto_label_accuracy: 0.5, suggestion_agreement: 0.75 }
 */
export function automationStats(c: AutomationCounts): AutomationStats {
  return {
    suggested: c.suggested,
    auto_labelled: c.auto_labelled,
    spot_checks: c.spot_checks,
    spot_checks_resolved: c.spot_checks_resolved,
    spot_checks_agreeing: c.spot_checks_agreeing,
    auto_label_accuracy: share(c.spot_checks_agreeing, c.spot_checks_resolved),
    suggestion_agreement: share(c.human_agreeing_with_suggestion, c.human_resolved_suggested),
  };
}
