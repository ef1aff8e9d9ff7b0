// Check a change to the validation policy before it is stored: each threshold has a bound, and a
// lone bound goes the metric's good way (a minimum for scores such as accuracy or R², a maximum
// for errors such as RMSE, MAE or MAPE); each minimum improvement names a metric whose good
// direction is known; each slice rule is usable. Errors name the field (e.g. `body.min_improvement.foo`).
import { ValidationError } from '../../domain/errors.js';
import { KNOWN_DIRECTION_METRICS, metricDirection } from '../../domain/metric-direction.js';
import type { SliceGapRule } from '../../domain/tracking.js';
import type { Thresholds } from './validation-gate.js';

/** A policy change: every part given replaces the current one. */
export interface PolicyInput {
  thresholds?: Thresholds;
  min_improvement?: Record<string, number>;
  max_slice_gap?: SliceGapRule[];
}

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

export function checkPolicy(input: PolicyInput): void {
  for (const [metric, b] of Object.entries(input.thresholds ?? {})) {
    if (b.min === undefined && b.max === undefined) throw new ValidationError(`threshold '${metric}' needs a min or a max`, { field: `body.thresholds.${metric}` });
    if (b.min !== undefined && b.max !== undefined && b.min > b.max) throw new ValidationError(`threshold '${metric}' has min > max`, { field: `body.thresholds.${metric}.min` });
    // A lone bound against the metric's direction would pass the worse models: e.g. rmse >= 2.
    const direction = metricDirection(metric);
    if (direction === 'lower' && b.max === undefined) {
      throw new ValidationError(`threshold '${metric}': lower is better for ${metric}, so its threshold is a maximum ({"max": ${b.min}}), not a minimum`, { field: `body.thresholds.${metric}.min` });
    }
    if (direction === 'higher' && b.min === undefined) {
      throw new ValidationError(`threshold '${metric}': higher is better for ${metric}, so its threshold is a minimum ({"min": ${b.max}}), not a maximum`, { field: `body.thresholds.${metric}.max` });
    }
  }
  for (const [metric, delta] of Object.entries(input.min_improvement ?? {})) {
    const field = `body.min_improvement.${metric}`;
    if (!finite(delta)) throw new ValidationError(`min_improvement of '${metric}' must be a finite number`, { field });
    if (!metricDirection(metric)) {
      throw new ValidationError(`min_improvement: no known direction for metric '${metric}' (known: ${KNOWN_DIRECTION_METRICS.join(', ')})`, { field });
    }
  }
  const seen = new Set<string>();
  (input.max_slice_gap ?? []).forEach((rule, i) => {
    const field = `body.max_slice_gap.${i}`;
    if (!rule.metric) throw new ValidationError('a slice rule needs a metric', { field: `${field}.metric` });
    if (!rule.column) throw new ValidationError('a slice rule needs a column', { field: `${field}.column` });
    if (!finite(rule.max) || rule.max < 0) throw new ValidationError('max must be a number ≥ 0', { field: `${field}.max` });
    if (rule.min_rows !== undefined && (!Number.isInteger(rule.min_rows) || rule.min_rows < 1)) throw new ValidationError('min_rows must be a positive integer', { field: `${field}.min_rows` });
    const key = `${rule.metric}@${rule.column}`;
    if (seen.has(key)) throw new ValidationError(`a second rule for ${rule.metric} across ${rule.column}`, { field });
    seen.add(key);
  });
}
