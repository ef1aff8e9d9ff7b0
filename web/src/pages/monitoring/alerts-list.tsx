// The alerts list (newest first): window, kind, metric, value against threshold and status (the
// message and the time it was raised on hover); one monitor's, or the project's with the monitor named.
import { useState } from 'react';
import { Badge } from '../../badge.js';
import { formatTime } from '../../format.js';
import { PagedList, type Column } from '../../paged-list.js';
import { href } from '../../router.js';
import { fmt3, metricName, monthLabel } from '../loop/metric-format.js';
import { alertsLoader } from './alerts-of.js';
import type { Alert } from './monitoring-types.js';
import '../loop/compact-list.css';
import './monitoring.css';

export const ALERT_TONE: Record<Alert['kind'], string> = { drift: 'warn', performance: 'bad', 'serving.load_failed': 'bad' };

export function AlertsList({ project, monitor, monitorNames }: { project: string; monitor: { id: string } | null; monitorNames?: Map<string, string> }) {
  const [kind, setKind] = useState<Alert['kind'] | null>(null);
  const columns: Column<Alert>[] = [
    { header: 'Window', cell: (a) => <span title={`raised ${formatTime(a.created_at)}`}>{monthLabel(a.window_start)}</span>, className: 'nowrap' },
    ...(monitor === null
      ? [
          {
            header: 'Monitor',
            cell: (a: Alert) => {
              if (a.monitor_id === null) return a.deployment ? <a href={href('projects', project, 'deployments', a.deployment)}>{a.deployment}</a> : '—';
              const name = monitorNames?.get(a.monitor_id);
              return name ? <a href={href('projects', project, 'monitoring', name)}>{name}</a> : <code className="small">{a.monitor_id.slice(0, 8)}</code>;
            },
          },
        ]
      : []),
    { header: 'Kind', cell: (a) => <Badge value={a.kind} tone={ALERT_TONE[a.kind]} /> },
    { header: 'Metric', cell: (a) => <span title={a.message}>{metricName(a.metric)}</span>, className: 'nowrap' },
    { header: 'Value', cell: (a) => fmt3(a.value), className: 'num' },
    { header: 'Threshold', cell: (a) => fmt3(a.threshold), className: 'num' },
    { header: 'Status', cell: (a) => <Badge value={a.status} tone={a.status === 'open' ? 'warn' : 'muted'} /> },
  ];
  return (
    <div className="compact-list">
      <label className="inline-select alerts-filter">
        Show
        <select value={kind ?? ''} onChange={(e) => setKind(e.target.value === '' ? null : (e.target.value as Alert['kind']))} aria-label="Alert kind">
          <option value="">all alerts</option>
          <option value="performance">performance alerts</option>
          <option value="drift">drift alerts</option>
        </select>
      </label>
      <PagedList
        testId="alerts-list"
        label="Alerts"
        loader={alertsLoader(project, monitor?.id ?? null, kind)}
        columns={columns}
        rowKey={(a) => a.id}
        reloadKey={`${project}:${monitor?.id ?? '*'}:${kind ?? '*'}:${monitorNames?.size ?? 0}`}
        rowClass={(a) => (a.kind === 'performance' ? 'row-failed' : undefined)}
        empty={<strong>{kind ? `No ${kind} alerts.` : 'No alerts.'}</strong>}
      />
    </div>
  );
}
