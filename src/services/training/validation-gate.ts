// The KPI gate: a model's holdout metrics against the project's thresholds, as a readable report.
import type { GateReport } from '../../domain/tracking.js';

export type Thresholds = Record<string, { min?: number; max?: number }>;

function fmt(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(4);
}

/**
 * Check every threshold; a metric the run did not produce fails its check.
 * @example evaluateGate({ accuracy: { min: 0.7 } }, { accuracy: 0.65 }).summary
 *   // "accuracy 0.6500 is below the minimum 0.7"
 */
export function evaluateGate(thresholds: Thresholds, metrics: Record<string, number>): GateReport {
  const checks: GateReport['checks'] = [];
  const lines: string[] = [];
  for (const [metric, bound] of Object.entries(thresholds)) {
    const value = Number.isFinite(metrics[metric]) ? metrics[metric] : null;
    if (bound.min !== undefined) {
      const passed = value !== null && value >= bound.min;
      checks.push({ metric, op: '>=', threshold: bound.min, value, passed });
      if (!passed) lines.push(value === null ? `${metric} was not measured (minimum ${fmt(bound.min)})` : `${metric} ${fmt(value)} is below the minimum ${fmt(bound.min)}`);
    }
    if (bound.max !== undefined) {
      const passed = value !== null && value <= bound.max;
      checks.push({ metric, op: '<=', threshold: bound.max, value, passed });
      if (!passed) lines.push(value === null ? `${metric} was not measured (maximum ${fmt(bound.max)})` : `${metric} ${fmt(value)} is above the maximum ${fmt(bound.max)}`);
    }
  }
  const passed = checks.every((c) => c.passed);
  const summary = passed
    ? checks.length === 0
      ? 'no thresholds are set for this project: nothing to check'
      : `passed: ${checks.map((c) => `${c.metric} ${fmt(c.value!)} ${c.op} ${fmt(c.threshold)}`).join(', ')}`
    : `failed: ${lines.join('; ')}`;
  return { passed, checks, summary };
}
