// A version's metrics in a table cell, one per line under their logged keys, to 3 decimals:
// the headline ones first (bold: accuracy and macro_f1 of a classifier; rmse, mae, r2 and mape of
// a regression model, with which way is better), then the rest by name.
import { metricDirection } from '../../../../src/domain/metric-direction.js';
import { fmt3, isHeadlineMetric, sortedMetrics } from '../loop/metric-format.js';
import './retraining-decisions.css';

export function MetricLines({ metrics }: { metrics: Record<string, number> }) {
  const entries = sortedMetrics(metrics);
  if (entries.length === 0) return <span className="muted">—</span>;
  return (
    <span className="metric-lines">
      {entries.map(([k, v]) => (
        <span key={k} className={isHeadlineMetric(k) ? 'metric-line metric-key' : 'metric-line'} title={metricDirection(k) ? `${metricDirection(k)} is better` : undefined}>
          {k} {Number.isInteger(v) ? v : fmt3(v)}
          {isHeadlineMetric(k) && metricDirection(k) === 'lower' ? <span className="muted small"> ↓</span> : null}
        </span>
      ))}
    </span>
  );
}
