// One monitoring window: feature drift (PSI against the reference data) and performance on the
// labelled feedback, compared with the stated thresholds; the alerts that crossing them raises.
// A classifier's performance is accuracy and macro-F1; a regression model's (numeric feedback on
// predicted values) MAE, RMSE, R² and MAPE. An alert fires when a metric moves past its baseline
// by more than the tolerance in the bad direction: below it for scores, above it for errors.
import { metricDirection } from '../../domain/metric-direction.js';
import { accuracy, driftStatistics, macroF1 } from '../../stats/index.js';
import { regressionMetrics } from '../training/regression-evaluation.js';

export interface WindowInput {
  /** Reference (training) values per feature. */
  reference: Record<string, ArrayLike<number | null>>;
  /** The window's logged inputs per feature. */
  current: Record<string, ArrayLike<number | null>>;
  /** Predicted and true labels of the window's predictions that have feedback. */
  labelled: { predicted: string[]; actual: string[] };
  /** A regression model's predicted and true values of the window's predictions that have numeric feedback (used instead of `labelled` when present). */
  values?: { predicted: number[]; actual: number[] };
  psiThreshold: number;
  /** Performance alert when a score < baseline − tolerance, or an error > baseline + tolerance. */
  tolerance: number;
  baseline: Record<string, number>;
  /** Fewer labelled predictions than this: performance is not judged (too noisy). */
  minLabelled?: number;
}

export interface WindowAlert {
  kind: 'drift' | 'performance';
  metric: string;
  value: number;
  threshold: number;
  message: string;
}

export interface WindowOutcome {
  drift: Record<string, number>;
  performance: Record<string, number> | null;
  alerts: WindowAlert[];
}

const fmt = (v: number) => v.toFixed(3);

export function evaluateWindow(input: WindowInput): WindowOutcome {
  const drift: Record<string, number> = {};
  const alerts: WindowAlert[] = [];
  for (const [feature, ref] of Object.entries(input.reference)) {
    const cur = input.current[feature];
    if (!cur || cur.length === 0) continue;
    const psi = driftStatistics(ref, cur, 'numeric').psi;
    drift[feature] = psi;
    if (psi > input.psiThreshold) {
      alerts.push({
        kind: 'drift',
        metric: `psi.${feature}`,
        value: psi,
        threshold: input.psiThreshold,
        message: `${feature} drifted: PSI ${psi.toFixed(3)} > ${input.psiThreshold}`,
      });
    }
  }
  const performance = measurePerformance(input);
  if (performance) alerts.push(...performanceAlerts(performance, input.baseline, input.tolerance));
  return { drift, performance, alerts };
}

/** The window's performance on its labelled feedback (null with fewer labelled predictions than `minLabelled`). */
function measurePerformance(input: WindowInput): Record<string, number> | null {
  const min = input.minLabelled ?? 1;
  if (input.values && input.values.actual.length > 0) {
    return input.values.actual.length >= min ? regressionMetrics(input.values.actual, input.values.predicted) : null;
  }
  const { predicted, actual } = input.labelled;
  if (actual.length < min) return null;
  return { accuracy: accuracy(actual, predicted), macro_f1: macroF1(actual, predicted) };
}

/** An alert per measured metric of the baseline that moved past it by more than the tolerance, in its bad direction. */
function performanceAlerts(performance: Record<string, number>, baseline: Record<string, number>, tolerance: number): WindowAlert[] {
  const alerts: WindowAlert[] = [];
  for (const [metric, value] of Object.entries(performance)) {
    const base = baseline[metric];
    const direction = metricDirection(metric);
    if (base === undefined || !Number.isFinite(value) || direction === undefined) continue;
    if (direction === 'higher' && value < base - tolerance) {
      const floor = base - tolerance;
      alerts.push({ kind: 'performance', metric, value, threshold: floor, message: `${metric} ${fmt(value)} fell below ${fmt(floor)} (baseline ${fmt(base)} − tolerance ${tolerance})` });
    }
    if (direction === 'lower' && value > base + tolerance) {
      const ceiling = base + tolerance;
      alerts.push({ kind: 'performance', metric, value, threshold: ceiling, message: `${metric} ${fmt(value)} rose above ${fmt(ceiling)} (baseline ${fmt(base)} + tolerance ${tolerance}; lower is better)` });
    }
  }
  return alerts;
}
