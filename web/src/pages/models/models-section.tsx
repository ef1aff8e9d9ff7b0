// The Models section of a project: the registered models, or one model's page, chosen by the
// route (#/projects/P/models[/MODEL[/versions/N/card]]).
import type { ModelView, ProjectView } from '../../../../src/contracts/index.js';
import { client } from '../../api.js';
import { formatTime } from '../../format.js';
import { PagedList, type Column } from '../../paged-list.js';
import { href, useRoute } from '../../router.js';
import { AliasChips } from './alias-chips.js';
import { ModelPage } from './model-page.js';
import { ModelCardPage } from './model-card-page.js';
import { RetrainingDecisions } from './retraining-decisions.js';

export function ModelsSection({ project }: { project: ProjectView }) {
  const [, , , model, sub, version, leaf] = useRoute();
  const name = project.name;
  if (model && sub === 'versions' && leaf === 'card' && Number(version) >= 1) {
    return <ModelCardPage key={`${model}/${version}`} project={project} model={model} version={Number(version)} />;
  }
  if (model) return <ModelPage key={model} project={project} model={model} />;
  const columns: Column<ModelView>[] = [
    { header: 'Model', cell: (m) => <a href={href('projects', name, 'models', m.name)}>{m.name}</a>, className: 'nowrap' },
    { header: 'Latest version', cell: (m) => (m.latest_version ? `v${m.latest_version}` : '—'), className: 'num' },
    { header: 'Aliases', cell: (m) => <AliasChips aliases={Object.entries(m.aliases).map(([a, v]) => `${a} → v${v}`)} /> },
    { header: 'Registered', cell: (m) => formatTime(m.created_at), className: 'nowrap' },
  ];
  return (
    <section aria-labelledby="models-title">
      <h2 id="models-title">Models</h2>
      <p className="lead">The model registry: ONNX model versions with their metrics, gate report and lineage, and aliases such as champion that deployments follow.</p>
      <PagedList
        testId="models-list"
        label="Models"
        loader={(cursor) => client.listModels({ params: { project: name }, query: { cursor: cursor ?? undefined } })}
        columns={columns}
        rowKey={(m) => m.id}
        reloadKey={name}
        empty={
          <>
            <strong>No registered models yet.</strong> Train one with <code>flywheel train</code> (<code>--project {name}</code>): a
            run whose model passes the validation gate is registered here as a new version. Then list them with{' '}
            <code>flywheel models list</code>.
          </>
        }
      />
      <h3>Retraining decisions</h3>
      <RetrainingDecisions project={name} model={null} />
    </section>
  );
}
