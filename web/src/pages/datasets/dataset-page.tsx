// One dataset: its versions, newest first, a form to ingest a file as the next version, and the
// declared schema's editor.
import { useState } from 'react';
import type { DatasetVersionSummaryView } from '../../../../src/contracts/index.js';
import { client } from '../../api.js';
import { ErrorBanner } from '../../error-banner.js';
import { formatTime } from '../../format.js';
import { PagedList, type Column } from '../../paged-list.js';
import { href } from '../../router.js';
import { useAsync } from '../../use-async.js';
import { IngestForm } from './ingest-form.js';
import { SourcesPanel } from './sources-panel.js';
import { formatBytes } from './numbers.js';
import { VersionsTimeline } from './versions-timeline.js';
import { SchemaEditor } from './schema-editor.js';

export function DatasetPage({ project, dataset }: { project: string; dataset: string }) {
  const [reloadKey, setReloadKey] = useState(0);
  const info = useAsync(() => client.getDataset({ params: { project, dataset } }), [project, dataset, reloadKey]);
  const columns: Column<DatasetVersionSummaryView>[] = [
    { header: 'Version', cell: (v) => <a href={href('projects', project, 'datasets', dataset, String(v.version))}>v{v.version}</a>, className: 'num' },
    { header: 'Rows read', cell: (v) => v.report.rows_read.toLocaleString(), className: 'num' },
    { header: 'Accepted', cell: (v) => v.report.accepted.toLocaleString(), className: 'num' },
    { header: 'Quarantined', cell: (v) => v.report.quarantined.toLocaleString(), className: 'num' },
    { header: 'Source', cell: (v) => `${v.source.name} (${v.source.format}, ${formatBytes(v.source.bytes)})` },
    { header: 'Created', cell: (v) => formatTime(v.created_at), className: 'nowrap' },
  ];
  return (
    <section aria-labelledby="dataset-title">
      <div className="crumbs">
        <a href={href('projects', project, 'datasets')}>Datasets</a> / <span>{dataset}</span>
      </div>
      <h2 id="dataset-title">{dataset}</h2>
      <ErrorBanner error={info.error} />
      {info.data && <p className="lead">{info.data.description || 'Each version is immutable; a new ingest makes the next one.'}</p>}
      <IngestForm project={project} dataset={dataset} onIngested={() => setReloadKey((k) => k + 1)} />
      <h3>Versions</h3>
      <VersionsTimeline project={project} dataset={dataset} reloadKey={reloadKey} />
      <PagedList
        testId="dataset-versions"
        label="Versions"
        loader={(cursor) => client.listDatasetVersions({ params: { project, dataset }, query: { cursor: cursor ?? undefined } })}
        columns={columns}
        rowKey={(v) => v.id}
        reloadKey={`${project}/${dataset}:${reloadKey}`}
        empty={
          <>
            <strong>No versions yet.</strong> Ingest a file above, or with <code>flywheel data ingest FILE --dataset {dataset} --project {project}</code>.
          </>
        }
      />
      <h3>Schema</h3>
      <SchemaEditor project={project} dataset={dataset} reloadKey={reloadKey} />
      <SourcesPanel project={project} dataset={dataset} />
    </section>
  );
}
