// One monitoring window: feature drift (PSI against the reference data) and performance on the
// labelled feedback, compared with the stated thresholds; the alerts that crossing them raises.
import { accuracy, driftStatistics, macroF1 } from '../../stats/index.js';

export interface WindowInput {
  /** Reference (training) values per feature. */
  reference: Record<string, ArrayLike<number | null>>;
  /** The window's logged inputs per feature. */
  current: Record<string, ArrayLike<number | null>>;
  /** Predicted and true labels of the window's predictions that have feedback. */
  labelled: { predicted: string[]; actual: string[] };
  psiThreshold: number;
  /** Performance alert when a metric < baseline − tolerance. */
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

const PERFORMANCE_METRICS = ['accuracy', 'macro_f1'] as const;

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
  const { predicted, actual } = input.labelled;
  let performance: Record<string, number> | null = null;
  if (actual.length >= (input.minLabelled ?? 1)) {
    performance = { accuracy: accuracy(actual, predicted), macro_f1: macroF1(actual, predicted) };
    for (const metric of PERFORMANCE_METRICS) {
      const base = input.baseline[metric];
      if (base === undefined) continue;
      const floor = base - input.tolerance;
      if (performance[metric] < floor) {
        alerts.push({
          kind: 'performance',
          metric,
          value: performance[metric],
          threshold: floor,
          message: `${metric} ${performance[metric].toFixed(3)} fell below ${floor.toFixed(3)} (baseline ${base.toFixed(3)} − tolerance ${input.tolerance})`,
        });
      }
    }
  }
  return { drift, performance, alerts };
}
