// A version's metrics in a table cell, one per line under their logged keys, to 3 decimals:
// accuracy and macro_f1 first (bold), then the rest by name.
import { fmt3, isHeadlineMetric, sortedMetrics } from '../loop/metric-format.js';
import './retraining-decisions.css';

export function MetricLines({ metrics }: { metrics: Record<string, number> }) {
  const entries = sortedMetrics(metrics);
  if (entries.length === 0) return <span className="muted">—</span>;
  return (
    <span className="metric-lines">
      {entries.map(([k, v]) => (
        <span key={k} className={isHeadlineMetric(k) ? 'metric-line metric-key' : 'metric-line'}>
          {k} {Number.isInteger(v) ? v : fmt3(v)}
        </span>
      ))}
    </span>
  );
}
