// The Deployments section of a project: every deployment, or one deployment's page with its
// "try it" form, chosen by the route (#/projects/P/deployments[/NAME]).
import type { DeploymentView, ProjectView } from '../../../../src/contracts/index.js';
import { client } from '../../api.js';
import { formatTime } from '../../format.js';
import { PagedList, type Column } from '../../paged-list.js';
import { href, useRoute } from '../../router.js';
import { DeploymentPage } from './deployment-page.js';

/** "@champion" for a deployment that follows an alias, "pinned v3" otherwise. */
export const targetText = (d: DeploymentView) => (d.alias ? `@${d.alias}` : `pinned v${d.version}`);

export function DeploymentsSection({ project }: { project: ProjectView }) {
  const [, , , deployment] = useRoute();
  const name = project.name;
  if (deployment) return <DeploymentPage key={deployment} project={project} name={deployment} />;
  const columns: Column<DeploymentView>[] = [
    { header: 'Deployment', cell: (d) => <a href={href('projects', name, 'deployments', d.name)}>{d.name}</a>, className: 'nowrap' },
    { header: 'Model', cell: (d) => <a href={href('projects', name, 'models', d.model)}>{d.model}</a> },
    { header: 'Follows', cell: (d) => targetText(d), className: 'nowrap' },
    { header: 'Serving', cell: (d) => (d.serving_version ? `v${d.serving_version}` : '—'), className: 'num' },
    { header: 'Canary', cell: (d) => (d.canary ? `v${d.canary_version ?? '?'} ${d.canary.percent}%` : '—'), className: 'nowrap' },
    { header: 'Predictions logged', cell: (d) => d.predictions_logged.toLocaleString(), className: 'num' },
    { header: 'Endpoint', cell: (d) => <code className="small">POST {d.predict_path}</code> },
    { header: 'Updated', cell: (d) => formatTime(d.updated_at), className: 'nowrap' },
    {
      header: '',
      cell: (d) => (
        <a className="btn-link-button" href={href('projects', name, 'deployments', d.name)} aria-label={`Try ${d.name}`}>
          Try it
        </a>
      ),
    },
  ];
  return (
    <section aria-labelledby="deployments-title">
      <h2 id="deployments-title">Deployments</h2>
      <p className="lead">Models being served. Each follows an alias of a model (such as champion) or is pinned to a version; every prediction goes to the prediction log.</p>
      <PagedList
        testId="deployments-list"
        label="Deployments"
        loader={(cursor) => client.listDeployments({ params: { project: name }, query: { cursor: cursor ?? undefined } })}
        columns={columns}
        rowKey={(d) => d.id}
        reloadKey={name}
        empty={
          <>
            <strong>No deployments yet.</strong> Deploy a registered model with{' '}
            <code>flywheel deploy create NAME --model MODEL --project {name}</code> (it follows the model&apos;s champion alias,
            or <code>--version N</code>). It is then served at <code>POST /api/v1/deployments/NAME/predict</code>.
          </>
        }
      />
    </section>
  );
}
