// A KPI gate report: one row per check (metric, operator, threshold, value, pass/fail) and the
// overall verdict with the server's summary.
import { Badge } from '../../badge.js';
import { fmt3, metricName, prettyOps } from '../loop/metric-format.js';
import './experiments.css';

export interface GateCheck {
  kind?: 'threshold' | 'min_improvement' | 'max_slice_gap';
  metric: string;
  op: '>=' | '<=' | string;
  threshold: number;
  value: number | null;
  champion_value?: number | null;
  column?: string;
  passed: boolean;
  /** The check in one sentence (reports with check kinds). */
  message?: string;
}

/** The rule of a check as a short text: "≥0.600", "+0.010 on champion", "gap ≤ 0.100 by station". */
export function ruleText(c: GateCheck): string {
  if (c.kind === 'min_improvement') return `${c.threshold >= 0 ? '+' : ''}${fmt3(c.threshold)} on champion`;
  if (c.kind === 'max_slice_gap') return `gap ${prettyOps(c.op)} ${fmt3(c.threshold)} by ${c.column ?? '?'}`;
  return `${prettyOps(c.op)}${fmt3(c.threshold)}`;
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
                <th className="num">Value</th>
                <th>Result</th>
                <th className="num">Champion</th>
                <th>Why</th>
              </tr>
            </thead>
            <tbody>
              {gate.checks.map((c) => (
                <tr key={`${c.kind ?? 'threshold'}${c.metric}${c.op}${c.column ?? ''}`} className={c.passed ? undefined : 'row-failed'}>
                  <td>{metricName(c.metric)}</td>
                  <td className="mono">{ruleText(c)}</td>
                  <td className="num">{c.value === null ? <span className="muted">missing</span> : fmt3(c.value)}</td>
                  <td>
                    <Badge value={c.passed ? 'pass' : 'fail'} tone={c.passed ? 'good' : 'bad'} />
                  </td>
                  <td className="num">{c.champion_value === null || c.champion_value === undefined ? <span className="muted">—</span> : fmt3(c.champion_value)}</td>
                  <td className="small">{c.message ? prettyOps(c.message) : ''}</td>
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
