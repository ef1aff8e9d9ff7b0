// The Experiments section of a project, chosen by the route: the experiments and the training
// runs newest first (#/projects/P/experiments), one experiment's runs table (…/experiment/ID),
// runs compared (…/compare/ID,ID) or one run's page (…/RUN).
import type { ProjectView, RunView } from '../../../../src/contracts/index.js';
import { client } from '../../api.js';
import { Badge } from '../../badge.js';
import { formatTime } from '../../format.js';
import { PagedList, type Column } from '../../paged-list.js';
import { href, useRoute } from '../../router.js';
import { DatasetVersionLink } from '../loop/dataset-version-link.js';
import { useDatasetVersionNames } from '../loop/dataset-version-names.js';
import { fmt3 } from '../loop/metric-format.js';
import { GateBadge } from './gate-report.js';
import { ComparePage } from './compare-page.js';
import { ExperimentList } from './experiment-list.js';
import { ExperimentRunsPage } from './experiment-runs-page.js';
import { RunPage } from './run-page.js';
import './experiments.css';
import { experimentOf, RUN_TONE } from './run-format.js';
import '../loop/compact-list.css';

export function ExperimentsSection({ project }: { project: ProjectView }) {
  const [, , , run, arg] = useRoute();
  const name = project.name;
  const datasets = useDatasetVersionNames(name);
  if (run === 'experiment' && arg) return <ExperimentRunsPage key={arg} project={name} experiment={arg} />;
  if (run === 'compare' && arg) return <ComparePage key={arg} project={name} runIds={arg.split(',').filter(Boolean)} />;
  if (run) return <RunPage key={run} project={name} run={run} datasets={datasets} canWrite={project.my_actions.includes('experiment.write')} />;
  const columns: Column<RunView>[] = [
    {
      header: 'Run',
      cell: (r) => (
        <span className="run-cell">
          <a href={href('projects', name, 'experiments', r.id)}>{r.name}</a>
          <span className="small muted">experiment {experimentOf(r)}</span>
        </span>
      ),
    },
    { header: 'Status', cell: (r) => <Badge value={r.status} tone={RUN_TONE[r.status]} /> },
    { header: 'Dataset version', cell: (r) => <DatasetVersionLink project={name} id={r.dataset_version_id} names={datasets} /> },
    { header: 'Holdout accuracy', cell: (r) => fmt3(r.metrics.accuracy), className: 'num' },
    { header: 'Macro-F1', cell: (r) => fmt3(r.metrics.macro_f1), className: 'num' },
    { header: 'Gate', cell: (r) => (r.gate ? <GateBadge passed={r.gate.passed} title={r.gate.summary} /> : <span className="muted">—</span>) },
    { header: 'Created', cell: (r) => formatTime(r.created_at) },
  ];
  return (
    <section aria-labelledby="experiments-title" className="compact-list">
      <h2 id="experiments-title">Experiments</h2>
      <p className="lead">
        Each experiment's runs open in a table that filters and sorts on the server (MLflow clients log here too). Below, the training runs newest first: each records its
        parameters, data version, seed and code version, its metrics on a time-based holdout, and the KPI gate that decides registration.
      </p>
      <ExperimentList project={name} />
      <h3>Training runs</h3>
      <PagedList
        testId="experiments-list"
        label="Runs"
        loader={(cursor) => client.listRuns({ params: { project: name }, query: { cursor: cursor ?? undefined } })}
        columns={columns}
        rowKey={(r) => r.id}
        reloadKey={name}
        rowClass={(r) => (r.status === 'failed' || r.gate?.passed === false ? 'row-failed' : undefined)}
        empty={
          <>
            <strong>No experiments yet.</strong> Train a model with <code>flywheel train --dataset D --target T --features a,b --time-column date --holdout FROM..TO</code>{' '}
            (<code>--project {name}</code>); it runs in the background, and its parameters, metrics and gate report will appear here.
          </>
        }
      />
    </section>
  );
}
