// The Monitoring section of a project: its monitors and all their alerts, or one monitor's page
// with the chart, chosen by the route (#/projects/P/monitoring[/MONITOR]).
import type { ProjectView } from '../../../../src/contracts/index.js';
import { client } from '../../api.js';
import { formatTime } from '../../format.js';
import { PagedList, type Column } from '../../paged-list.js';
import { href, useRoute } from '../../router.js';
import { useAsync } from '../../use-async.js';
import { fmt3, metricName } from '../loop/metric-format.js';
import { AlertsList } from './alerts-list.js';
import { PERFORMANCE_METRICS } from './chart-model.js';
import { MonitorPage } from './monitor-page.js';
import type { Monitor } from './monitoring-types.js';
import '../loop/compact-list.css';
import './monitoring.css';

export function MonitoringSection({ project }: { project: ProjectView }) {
  const [, , , monitor] = useRoute();
  const name = project.name;
  const monitors = useAsync(() => client.listMonitors({ params: { project: name }, query: { limit: 1000 } }), [name]);
  if (monitor) return <MonitorPage key={monitor} project={name} name={monitor} />;
  const names = new Map((monitors.data?.items ?? []).map((m) => [m.id, m.name]));

  const columns: Column<Monitor>[] = [
    { header: 'Monitor', cell: (m) => <a href={href('projects', name, 'monitoring', m.name)}>{m.name}</a>, className: 'nowrap' },
    { header: 'Deployment', cell: (m) => <a href={href('projects', name, 'deployments', m.deployment)}>{m.deployment}</a>, className: 'nowrap' },
    { header: 'Features', cell: (m) => <span className="small">{m.features.join(', ')}</span> },
    { header: 'Thresholds', cell: (m) => <span className="small nowrap">PSI &gt; {m.psi_threshold} · tolerance {m.tolerance}</span> },
    {
      header: 'Baseline',
      cell: (m) => (
        <span className="small metric-stack">
          {PERFORMANCE_METRICS.map((k) => (
            <span key={k}>
              {metricName(k)} {fmt3(m.baseline[k])}
            </span>
          ))}
        </span>
      ),
    },
    { header: 'Updated', cell: (m) => formatTime(m.updated_at) },
  ];
  return (
    <section aria-labelledby="monitoring-title" className="compact-list">
      <h2 id="monitoring-title">Monitoring</h2>
      <p className="lead">Monitors watch a deployment month by month: feature drift against its training data and performance on labelled feedback, raising alerts when either crosses its threshold.</p>
      <PagedList
        testId="monitoring-list"
        label="Monitors"
        loader={(cursor) => client.listMonitors({ params: { project: name }, query: { cursor: cursor ?? undefined } })}
        columns={columns}
        rowKey={(m) => m.id}
        reloadKey={name}
        empty={
          <>
            <strong>No monitors yet.</strong> Watch a deployment with <code>POST /api/v1/projects/{name}/monitors</code> (a reference dataset version, the features, a PSI
            threshold and the baseline metrics), then evaluate months with <code>flywheel monitor evaluate M --month YYYY-MM</code>. Its monthly drift and performance, and the
            alerts they raise, will appear here.
          </>
        }
      />
      {(monitors.data?.items.length ?? 0) > 0 && (
        <>
          <h3>Alerts</h3>
          <AlertsList project={name} monitor={null} monitorNames={names} />
        </>
      )}
    </section>
  );
}
