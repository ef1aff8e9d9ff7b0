// One deployment: what it serves (primary, canary, shadow), live throughput and latency, its
// traffic controls and rollback, micro-batching, its binding history, its prediction-log
// segments, and a form to try it.
import { useState } from 'react';
import type { PredictionSegmentView, ProjectView } from '../../../../src/contracts/index.js';
import { client } from '../../api.js';
import { ErrorBanner } from '../../error-banner.js';
import { formatTime } from '../../format.js';
import { PagedList, type Column } from '../../paged-list.js';
import { href } from '../../router.js';
import { useSession } from '../../session.js';
import { useAsync } from '../../use-async.js';
import { BatchingControls } from './batching-controls.js';
import { BindingHistory } from './binding-history.js';
import { LiveCharts } from './live-charts.js';
import { targetText } from './deployments-section.js';
import { TrafficControls } from './traffic-controls.js';
import { TryItForm } from './try-it-form.js';

// Display only (the server's permission matrix decides): roles with deployment.predict.
const PREDICTS = new Set(['owner', 'data-scientist', 'ops']);

export function DeploymentPage({ project, name }: { project: ProjectView; name: string }) {
  const p = project.name;
  const { user } = useSession();
  const canPredict = user.is_admin || PREDICTS.has(project.my_role ?? '');
  const canWrite = project.my_actions.includes('deployment.write');
  const [changes, setChanges] = useState(0);
  const deployment = useAsync(() => client.getDeployment({ params: { project: p, deployment: name } }), [p, name, changes]);
  const d = deployment.data;
  const versions = useAsync(async () => (d && canWrite ? (await client.listModelVersions({ params: { project: p, model: d.model }, query: { limit: 100 } })).items : []), [p, d?.model, canWrite, changes]);
  const version = useAsync(
    async () => (d?.serving_version ? client.getModelVersion({ params: { project: p, model: d.model, version: d.serving_version } }) : undefined),
    [p, d?.model, d?.serving_version],
  );
  const segments: Column<PredictionSegmentView>[] = [
    { header: 'Events from', cell: (s) => formatTime(s.min_event_time), className: 'nowrap' },
    { header: 'to', cell: (s) => formatTime(s.max_event_time), className: 'nowrap' },
    { header: 'Rows', cell: (s) => s.rows.toLocaleString(), className: 'num' },
    { header: 'Parquet (sha256)', cell: (s) => <code className="small">{s.artifact_sha256.slice(0, 12)}</code> },
    { header: 'Rolled', cell: (s) => formatTime(s.created_at), className: 'nowrap' },
  ];
  return (
    <section aria-labelledby="deployment-title">
      <div className="crumbs">
        <a href={href('projects', p, 'deployments')}>Deployments</a> / <span>{name}</span>
      </div>
      <h2 id="deployment-title">{name}</h2>
      <ErrorBanner error={deployment.error} />
      {d && (
        <>
          <dl className="facts" data-testid="deployment-facts">
            <div>
              <dt>Model</dt>
              <dd>
                <a href={href('projects', p, 'models', d.model)}>{d.model}</a> {targetText(d)}
              </dd>
            </div>
            <div>
              <dt>Serving</dt>
              <dd>{d.serving_version ? `v${d.serving_version}` : '—'}</dd>
            </div>
            <div>
              <dt>Canary</dt>
              <dd data-testid="canary-fact">{d.canary ? `v${d.canary_version ?? '?'} takes ${d.canary.percent}%` : 'none'}</dd>
            </div>
            <div>
              <dt>Shadow</dt>
              <dd data-testid="shadow-fact">{d.shadow ? `v${d.shadow_version ?? '?'} (mirrored, logged)` : 'none'}</dd>
            </div>
            <div>
              <dt>Predictions logged</dt>
              <dd>{d.predictions_logged.toLocaleString()}</dd>
            </div>
            <div>
              <dt>Endpoint</dt>
              <dd>
                <code className="small">POST {d.predict_path}</code>
              </dd>
            </div>
          </dl>
          <h3>Live traffic</h3>
          <LiveCharts project={p} deployment={d.name} />
          <h3>Traffic</h3>
          {canWrite ? (
            <>
              <ErrorBanner error={versions.error} />
              {versions.data && <TrafficControls key={`${d.updated_at}`} project={p} deployment={d} versions={versions.data} onChanged={() => setChanges((n) => n + 1)} />}
            </>
          ) : (
            <p className="muted">Your role in this project may not change deployments (owners and ops may).</p>
          )}
          <h3>Micro-batching</h3>
          {canWrite ? (
            <BatchingControls key={`${d.updated_at}`} project={p} deployment={d} onChanged={() => setChanges((n) => n + 1)} />
          ) : (
            <p className="muted" data-testid="batching-fact">
              {d.batching.max_rows <= 1 ? 'Off: every request runs alone.' : `Up to ${d.batching.max_rows} rows a run, at most ${d.batching.max_delay_ms} ms behind a running batch.`}
            </p>
          )}
          <h3>Binding history</h3>
          <BindingHistory project={p} deployment={d.name} reloadKey={changes} />
          <h3>Try it</h3>
          <ErrorBanner error={version.error} />
          {!canPredict ? (
            <p className="muted">Your role in this project may not call deployments (owners, data scientists and ops may).</p>
          ) : (
            version.data && <TryItForm deployment={d.name} version={version.data} />
          )}
          <h3>Prediction log</h3>
          <p className="lead">Segments of the log (Parquet files) once rolled; the open segment rolls every minute or 50,000 rows.</p>
          <PagedList
            testId="segment-list"
            label="Prediction log segments"
            loader={() => client.listPredictionSegments({ params: { project: p, deployment: name } })}
            columns={segments}
            rowKey={(s) => s.id}
            reloadKey={name}
            empty={<>No segments yet: predictions appear here once their segment rolls.</>}
          />
        </>
      )}
    </section>
  );
}
