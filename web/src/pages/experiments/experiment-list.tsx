// The project's experiments (from built-in training and from MLflow clients), each a link to its
// runs table; nothing is shown while the project has none.
import { client } from '../../api.js';
import { Badge } from '../../badge.js';
import { ErrorBanner } from '../../error-banner.js';
import { formatTime } from '../../format.js';
import { href } from '../../router.js';
import { useAsync } from '../../use-async.js';

export function ExperimentList({ project }: { project: string }) {
  const list = useAsync(() => client.listExperiments({ params: { project }, query: { view: 'all' } }), [project]);
  if (list.error) return <ErrorBanner error={list.error} />;
  const items = list.data?.items ?? [];
  if (items.length === 0) return null;
  return (
    <div className="table-wrap experiment-list" data-testid="experiment-list">
      <table aria-label="Experiment list">
        <thead>
          <tr>
            <th>Experiment</th>
            <th>MLflow id</th>
            <th>Stage</th>
            <th>Created</th>
          </tr>
        </thead>
        <tbody>
          {items.map((e) => (
            <tr key={e.id} className={e.lifecycle_stage === 'deleted' ? 'row-muted' : undefined}>
              <td>
                <a href={href('projects', project, 'experiments', 'experiment', e.id)}>{e.name}</a>
              </td>
              <td className="mono small">{e.mlflow_id}</td>
              <td>
                <Badge value={e.lifecycle_stage} tone={e.lifecycle_stage === 'active' ? 'good' : 'muted'} />
              </td>
              <td>{formatTime(e.created_at)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
