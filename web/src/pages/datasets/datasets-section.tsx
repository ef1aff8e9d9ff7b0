// The Datasets section of a project, chosen by the route: the datasets
// (#/projects/P/datasets), one dataset's versions (…/datasets/D) or one version (…/datasets/D/N).
// The diff of two versions: …/datasets/D/diff[/FROM[/TO[/KEY]]].
import { useState } from 'react';
import type { DatasetView, ProjectView } from '../../../../src/contracts/index.js';
import { client } from '../../api.js';
import { formatTime } from '../../format.js';
import { PagedList, type Column } from '../../paged-list.js';
import { href, useRoute } from '../../router.js';
import { DatasetPage } from './dataset-page.js';
import { DiffPage } from './diff-page.js';
import { NewDatasetForm } from './new-dataset-form.js';
import { VersionPage } from './version-page.js';

export function DatasetsSection({ project }: { project: ProjectView }) {
  const [, , , dataset, version, ...rest] = useRoute();
  const [reloadKey, setReloadKey] = useState(0);
  const [creating, setCreating] = useState(false);
  const name = project.name;
  if (dataset && version === 'diff')
    return <DiffPage key={`${dataset}:diff/${rest.join('/')}`} project={project.name} dataset={dataset} from={rest[0]} to={rest[1]} keyColumns={rest[2]} />;
  if (dataset && version) return <VersionPage key={`${dataset}@${version}`} project={name} dataset={dataset} version={version} />;
  if (dataset) return <DatasetPage key={dataset} project={name} dataset={dataset} />;

  const columns: Column<DatasetView>[] = [
    { header: 'Name', cell: (d) => <a href={href('projects', name, 'datasets', d.name)}>{d.name}</a>, className: 'nowrap' },
    { header: 'Latest version', cell: (d) => (d.latest ? <a href={href('projects', name, 'datasets', d.name, String(d.latest.version))}>v{d.latest.version}</a> : '—'), className: 'num' },
    { header: 'Rows', cell: (d) => (d.latest ? d.latest.report.accepted.toLocaleString() : '—'), className: 'num' },
    { header: 'Quarantined', cell: (d) => (d.latest ? d.latest.report.quarantined.toLocaleString() : '—'), className: 'num' },
    { header: 'Updated', cell: (d) => formatTime(d.updated_at), className: 'nowrap' },
  ];
  return (
    <section aria-labelledby="datasets-title">
      <div className="section-head">
        <h2 id="datasets-title">Datasets</h2>
        {!creating && (
          <button type="button" onClick={() => setCreating(true)}>
            New dataset
          </button>
        )}
      </div>
      <p className="lead">Versioned datasets: each version is a manifest of content-addressed Parquet files with its schema, profile and cleansing report.</p>
      {creating && (
        <NewDatasetForm
          project={name}
          onCreated={() => {
            setCreating(false);
            setReloadKey((k) => k + 1);
          }}
          onCancel={() => setCreating(false)}
        />
      )}
      <PagedList
        testId="datasets-list"
        label="Datasets"
        loader={(cursor) => client.listDatasets({ params: { project: name }, query: { cursor: cursor ?? undefined } })}
        columns={columns}
        rowKey={(d) => d.id}
        reloadKey={`${name}:${reloadKey}`}
        empty={
          <>
            <strong>No datasets yet.</strong> Ingest a CSV, JSONL or Parquet file with{' '}
            <code>flywheel data ingest FILE --dataset NAME --project {name}</code>. Each ingest makes a new version; rows that break a
            rule go to the quarantine with their line number and reason.
          </>
        }
      />
    </section>
  );
}
