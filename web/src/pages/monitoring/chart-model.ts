// What the monitor chart draws, computed from a monitor's windows, alerts and retraining
// decisions: one time axis (window starts, in seconds), PSI per feature with its threshold,
// accuracy and macro-F1 with baseline − tolerance, alert counts per window, and decision times.
import type { Alert, Decision, MonitorWithWindows } from './monitoring-types.js';

export const PERFORMANCE_METRICS = ['accuracy', 'macro_f1'] as const;

export interface ChartModel {
  /** Window starts in epoch seconds (uPlot's time unit), oldest first. */
  x: number[];
  psi: { feature: string; values: (number | null)[] }[];
  psiThreshold: number;
  performance: { metric: (typeof PERFORMANCE_METRICS)[number]; values: (number | null)[]; floor: (number | null)[] }[];
  /** Alerts per window by kind (counts, aligned with x). */
  alerts: { drift: number[]; performance: number[] };
  /** Short texts of each window's performance alerts, aligned with x (for the vertical markers). */
  performanceNotes: string[][];
  /** Retraining decisions on the same axis: at the end of their holdout month (seconds). */
  decisions: { at: number; text: string; promoted: boolean }[];
}

export function chartModel(monitor: MonitorWithWindows, alerts: Alert[], decisions: Decision[]): ChartModel {
  const windows = [...monitor.windows].sort((a, b) => a.window_start - b.window_start);
  const index = new Map(windows.map((w, i) => [w.window_start, i]));
  const drift = windows.map(() => 0);
  const performance = windows.map(() => 0);
  const performanceNotes: string[][] = windows.map(() => []);
  for (const a of alerts) {
    const i = index.get(a.window_start);
    if (i === undefined) continue;
    if (a.kind === 'drift') drift[i]++;
    else {
      performance[i]++;
      performanceNotes[i].push(`${a.metric} ${a.value.toFixed(3)} < ${a.threshold.toFixed(3)}`);
    }
  }
  const first = windows[0]?.window_start ?? 0;
  const last = windows.at(-1)?.window_end ?? 0;
  return {
    x: windows.map((w) => w.window_start / 1000),
    psi: monitor.features.map((feature) => ({ feature, values: windows.map((w) => w.drift[feature] ?? null) })),
    psiThreshold: monitor.psi_threshold,
    performance: PERFORMANCE_METRICS.map((metric) => ({
      metric,
      values: windows.map((w) => w.performance?.[metric] ?? null),
      floor: windows.map((w) => (w.baseline[metric] === undefined ? null : w.baseline[metric] - monitor.tolerance)),
    })),
    alerts: { drift, performance },
    performanceNotes,
    decisions: decisions
      .filter((d) => d.holdout.to > first && d.holdout.to <= last)
      .map((d) => ({
        at: d.holdout.to / 1000,
        promoted: d.decision === 'promoted',
        text: d.decision === 'promoted' ? `retrained: v${d.challenger.version ?? '?'} promoted` : `retrained: kept v${d.champion.version}`,
      })),
  };
}
