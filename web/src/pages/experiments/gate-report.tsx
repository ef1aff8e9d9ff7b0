// A KPI gate report: one row per check (metric, operator, threshold, value, pass/fail) and the
// overall verdict with the server's summary.
import { Badge } from '../../badge.js';
import { fmt3, metricName, prettyOps } from '../loop/metric-format.js';
import './experiments.css';

export interface GateCheck {
  metric: string;
  op: '>=' | '<=' | string;
  threshold: number;
  value: number | null;
  passed: boolean;
}

export function GateBadge({ passed, title }: { passed: boolean; title?: string }) {
  return (
    <span title={title ? prettyOps(title) : undefined}>
      <Badge value={passed ? 'passed' : 'failed'} tone={passed ? 'good' : 'bad'} />
    </span>
  );
}

export function GateReport({ gate, testId }: { gate: { passed: boolean; summary?: string; checks?: GateCheck[] }; testId?: string }) {
  return (
    <div data-testid={testId}>
      <p className="gate-verdict">
        <GateBadge passed={gate.passed} /> {gate.summary && <span className="muted">{prettyOps(gate.summary)}</span>}
      </p>
      {gate.checks && gate.checks.length > 0 && (
        <div className="table-wrap">
          <table aria-label="Gate checks">
            <thead>
              <tr>
                <th>Metric</th>
                <th>Rule</th>
                <th className="num">Threshold</th>
                <th className="num">Value</th>
                <th>Result</th>
              </tr>
            </thead>
            <tbody>
              {gate.checks.map((c) => (
                <tr key={`${c.metric}${c.op}`} className={c.passed ? undefined : 'row-failed'}>
                  <td>{metricName(c.metric)}</td>
                  <td className="mono">{prettyOps(c.op)}</td>
                  <td className="num">{fmt3(c.threshold)}</td>
                  <td className="num">{c.value === null ? <span className="muted">missing</span> : fmt3(c.value)}</td>
                  <td>
                    <Badge value={c.passed ? 'pass' : 'fail'} tone={c.passed ? 'good' : 'bad'} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

/** The checks of a gate whose shape is open (a model version's gate): only well-formed rows. */
export function checksOf(gate: Record<string, unknown>): GateCheck[] | undefined {
  const raw = gate.checks;
  if (!Array.isArray(raw)) return undefined;
  return raw.filter(
    (c): c is GateCheck =>
      typeof c === 'object' && c !== null && typeof c.metric === 'string' && typeof c.op === 'string' && typeof c.threshold === 'number' && (typeof c.value === 'number' || c.value === null) && typeof c.passed === 'boolean',
  );
}
