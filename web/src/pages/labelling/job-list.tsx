// A project's labelling jobs: progress (resolved of total tasks), labels given, and a way in
// to each job's page and its labelling workbench; managers can create a job here.
import { useState } from 'react';
import type { LabellingJobView, ProjectView } from '../../../../src/contracts/index.js';
import { client } from '../../api.js';
import { formatTime } from '../../format.js';
import { PagedList, type Column } from '../../paged-list.js';
import { href } from '../../router.js';
import { useSession } from '../../session.js';
import { canAnnotate, canManage } from './labelling-roles.js';
import { NewJobForm } from './new-job-form.js';
import { ProgressBar } from './progress-bar.js';

export function JobList({ project }: { project: ProjectView }) {
  const { user } = useSession();
  const name = project.name;
  const manager = canManage(project, user.is_admin);
  const annotator = canAnnotate(project, user.is_admin);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<string>();
  const [reloadKey, setReloadKey] = useState(0);

  const columns: Column<LabellingJobView>[] = [
    { header: 'Job', cell: (j) => <a href={href('projects', name, 'labelling', j.name)}>{j.name}</a>, className: 'nowrap' },
    { header: 'Labels', cell: (j) => <span className="muted">{j.labels.join(', ')}</span> },
    { header: 'Progress', cell: (j) => <ProgressBar done={j.counts.resolved} total={j.counts.tasks} label={`${j.name} tasks resolved`} /> },
    { header: 'Overlap', cell: (j) => j.overlap, className: 'num' },
    { header: 'Labels given', cell: (j) => j.counts.labels, className: 'num' },
    { header: 'Created', cell: (j) => formatTime(j.created_at), className: 'nowrap' },
  ];
  if (annotator)
    columns.push({
      header: '',
      cell: (j) =>
        j.counts.open > 0 ? (
          <a className="btn-link-button" href={href('projects', name, 'labelling', j.name, 'work')} aria-label={`Start labelling ${j.name}`}>
            Start labelling
          </a>
        ) : (
          <span className="muted">done</span>
        ),
    });

  return (
    <section aria-labelledby="labelling-title">
      <div className="section-head">
        <h2 id="labelling-title">Labelling</h2>
        {manager && !creating && (
          <button type="button" className="btn-primary" onClick={() => (setCreating(true), setCreated(undefined))}>
            New labelling job
          </button>
        )}
      </div>
      <p className="lead">
        Labelling jobs: queues of rows for annotators. Each task is labelled by several people without seeing each other&apos;s
        labels, then resolved by majority vote; tasks made from logged predictions become their ground truth.
      </p>
      {creating && (
        <NewJobForm
          project={name}
          onCancel={() => setCreating(false)}
          onCreated={(job, accepted, rejected, note) => {
            setCreating(false);
            setCreated(`Job ${job} created with ${accepted} tasks${rejected ? ` (${rejected} items rejected)` : ''}.${note ? ` ${note}` : ''}`);
            setReloadKey((k) => k + 1);
          }}
        />
      )}
      {created && (
        <div className="banner banner-ok" role="status">
          {created}
        </div>
      )}
      <PagedList
        testId="labelling-list"
        label="Labelling jobs"
        loader={(cursor) => client.listLabellingJobs({ params: { project: name }, query: { cursor: cursor ?? undefined } })}
        columns={columns}
        rowKey={(j) => j.id}
        reloadKey={`${name}:${reloadKey}`}
        empty={
          <>
            <strong>No labelling jobs yet.</strong> Create one with <em>New labelling job</em>, with{' '}
            <code>flywheel annotate create NAME --labels a,b --items FILE --project {name}</code>, or through the API (
            <code>POST /api/v1/projects/{name}/labelling-jobs</code>). Annotators and reviewers will find their queues here.
          </>
        }
      />
    </section>
  );
}
