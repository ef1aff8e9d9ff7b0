// Every window a monitor evaluated, oldest first: month, predictions, labelled feedback, PSI
// per feature (over the threshold marked), accuracy and macro-F1 (under baseline − tolerance
// marked) and the alerts raised for the window.
import { Badge } from '../../badge.js';
import { fmt3, metricName, monthLabel } from '../loop/metric-format.js';
import { PERFORMANCE_METRICS } from './chart-model.js';
import type { Alert, MonitorWithWindows } from './monitoring-types.js';

export function WindowsTable({ monitor, alerts }: { monitor: MonitorWithWindows; alerts: Alert[] }) {
  const windows = [...monitor.windows].sort((a, b) => a.window_start - b.window_start);
  const byWindow = new Map<number, Alert[]>();
  for (const a of alerts) byWindow.set(a.window_start, [...(byWindow.get(a.window_start) ?? []), a]);
  return (
    <div className="table-wrap" data-testid="monitor-windows">
      <table aria-label="Windows" className="windows-table">
        <thead>
          <tr className="group-row">
            <th colSpan={3} />
            <th colSpan={monitor.features.length} className="group">
              PSI per feature (threshold {monitor.psi_threshold})
            </th>
            <th colSpan={PERFORMANCE_METRICS.length} className="group" title={`on the labelled feedback; marked when under baseline − tolerance ${monitor.tolerance}`}>
              Performance
            </th>
            <th />
          </tr>
          <tr>
            <th>Month</th>
            <th className="num">Predictions</th>
            <th className="num">Labelled</th>
            {monitor.features.map((f) => (
              <th key={f} className="num" title={`PSI of ${f} against the training profile`}>
                {f}
              </th>
            ))}
            {PERFORMANCE_METRICS.map((m) => (
              <th key={m} className="num">
                {metricName(m)}
              </th>
            ))}
            <th>Alerts</th>
          </tr>
        </thead>
        <tbody>
          {windows.map((w) => {
            const mine = byWindow.get(w.window_start) ?? [];
            const drift = mine.filter((a) => a.kind === 'drift').length;
            const perf = mine.filter((a) => a.kind === 'performance');
            return (
              <tr key={w.id} data-testid="window-row">
                <td className="nowrap">{monthLabel(w.window_start)}</td>
                <td className="num">{w.predictions.toLocaleString()}</td>
                <td className="num">{w.labelled.toLocaleString()}</td>
                {monitor.features.map((f) => {
                  const v = w.drift[f];
                  const over = v !== undefined && v > monitor.psi_threshold;
                  return (
                    <td key={f} className={over ? 'num cell-over' : 'num'} title={over ? `above the PSI threshold ${monitor.psi_threshold}` : undefined}>
                      {fmt3(v)}
                    </td>
                  );
                })}
                {PERFORMANCE_METRICS.map((m) => {
                  const v = w.performance?.[m];
                  const base = w.baseline[m];
                  const floor = base === undefined ? undefined : base - monitor.tolerance;
                  const under = v !== undefined && floor !== undefined && v < floor;
                  return (
                    <td key={m} className={under ? 'num cell-under' : 'num'} title={floor === undefined ? undefined : `baseline ${fmt3(base)} − tolerance ${monitor.tolerance} = ${fmt3(floor)}`}>
                      {fmt3(v)}
                    </td>
                  );
                })}
                <td className="nowrap">
                  {drift > 0 && <Badge value={`${drift} drift`} tone="warn" />} {perf.length > 0 && <Badge value={`${perf.length} performance`} tone="bad" />}
                  {mine.length === 0 && <span className="muted">—</span>}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
