// One monitor: its settings, the chart of drift and performance per month with the alerts on
// the same time axis, the table of windows, and the monitor's alerts.
import { useMemo } from 'react';
import { client } from '../../api.js';
import { ErrorBanner } from '../../error-banner.js';
import { formatTime } from '../../format.js';
import { href } from '../../router.js';
import { useAsync } from '../../use-async.js';
import { DatasetVersionLink } from '../loop/dataset-version-link.js';
import { useDatasetVersionNames } from '../loop/dataset-version-names.js';
import { count, fmt3, metricName } from '../loop/metric-format.js';
import { allAlertsOf } from './alerts-of.js';
import { AlertsList } from './alerts-list.js';
import { chartModel, PERFORMANCE_METRICS } from './chart-model.js';
import { MonitorChart } from './monitor-chart.js';
import type { Decision } from './monitoring-types.js';
import { WindowsTable } from './windows-table.js';

/** The retraining decisions about the model the monitored deployment serves (none if unreadable). */
async function decisionsFor(project: string, deployment: string): Promise<Decision[]> {
  try {
    const d = await client.getDeployment({ params: { project, deployment } });
    const page = await client.listDecisions({ params: { project }, query: { limit: 1000 } });
    return page.items.filter((x) => x.model === d.model);
  } catch {
    return [];
  }
}

export function MonitorPage({ project, name }: { project: string; name: string }) {
  const state = useAsync(async () => {
    const monitor = await client.getMonitor({ params: { project, monitor: name } });
    const [alerts, decisions] = await Promise.all([allAlertsOf(project, monitor.id), decisionsFor(project, monitor.deployment)]);
    return { monitor, alerts, decisions };
  }, [project, name]);
  const datasets = useDatasetVersionNames(project);
  const model = useMemo(() => (state.data ? chartModel(state.data.monitor, state.data.alerts, state.data.decisions) : null), [state.data]);
  const m = state.data?.monitor;
  const open = state.data?.alerts.filter((a) => a.status === 'open').length ?? 0;

  return (
    <section aria-labelledby="monitor-title">
      <div className="crumbs">
        <a href={href('projects', project, 'monitoring')}>Monitoring</a> / <span>{name}</span>
      </div>
      <h2 id="monitor-title">{name}</h2>
      <p className="lead">Each calendar month of the deployment&apos;s prediction log: feature drift (PSI against the training data) and performance on the labelled feedback against the validation baseline.</p>
      <ErrorBanner error={state.error} />
      {state.loading && !m && <div className="muted loading">Loading…</div>}
      {m && model && (
        <>
          <dl className="facts" data-testid="monitor-facts">
            <div>
              <dt>Deployment</dt>
              <dd>
                <a href={href('projects', project, 'deployments', m.deployment)}>{m.deployment}</a>
              </dd>
            </div>
            <div>
              <dt>Reference data</dt>
              <dd>
                <DatasetVersionLink project={project} id={m.reference_dataset_version_id} names={datasets} />
              </dd>
            </div>
            <div>
              <dt>Thresholds</dt>
              <dd>
                PSI &gt; {m.psi_threshold} · tolerance {m.tolerance}
              </dd>
            </div>
            <div>
              <dt>Baseline now</dt>
              <dd>{PERFORMANCE_METRICS.map((k) => `${metricName(k)} ${fmt3(m.baseline[k])}`).join(' · ')}</dd>
            </div>
            <div>
              <dt>Windows</dt>
              <dd>
                {count(m.windows.length, 'month')} · {count(state.data!.alerts.length, 'alert')} ({open.toLocaleString()} open)
              </dd>
            </div>
            <div>
              <dt>Last evaluated</dt>
              <dd>{formatTime(m.windows.reduce<number | null>((t, w) => Math.max(t ?? 0, w.created_at), null))}</dd>
            </div>
          </dl>
          {m.windows.length === 0 ? (
            <div className="empty" data-testid="empty-state">
              <strong>No window evaluated yet.</strong> Evaluate a month with <code>flywheel monitor evaluate {name} --month YYYY-MM</code> (<code>--project {project}</code>); its
              drift, performance and alerts will appear here.
            </div>
          ) : (
            <>
              <MonitorChart model={model} label={`Drift and performance of ${name} per month, with alerts`} />
              <p className="chart-note">
                PSI on a log scale (left), accuracy and macro-F1 (right); dashed: the PSI threshold and each metric&apos;s baseline − tolerance. Markers above the lines: windows with drift
                (orange) or performance (red) alerts; red rules: performance alerts; green rules: retraining decisions. Hover for the values of a month.
              </p>
              <h3>Windows</h3>
              <WindowsTable monitor={m} alerts={state.data!.alerts} />
            </>
          )}
          <h3>Alerts</h3>
          <AlertsList project={project} monitor={m} />
        </>
      )}
    </section>
  );
}
