// The projects list, with the "New project" form.
import { useState } from 'react';
import type { ProjectView } from '../../../src/contracts/index.js';
import { client } from '../api.js';
import { Badge } from '../badge.js';
import { formatTime } from '../format.js';
import { PagedList, type Column } from '../paged-list.js';
import { href } from '../router.js';
import { NewProjectForm } from './new-project-form.js';

const columns: Column<ProjectView>[] = [
  { header: 'Name', cell: (p) => <a href={href('projects', p.name)}>{p.name}</a> },
  { header: 'Description', cell: (p) => p.description || <span className="muted">—</span> },
  { header: 'Your role', cell: (p) => (p.my_role ? <Badge value={p.my_role} tone="plain" /> : <span className="muted">admin</span>) },
  { header: 'Created', cell: (p) => formatTime(p.created_at), className: 'nowrap' },
];

export function ProjectsPage() {
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<string>();
  const [reloadKey, setReloadKey] = useState(0);

  return (
    <div className="page">
      <div className="page-head">
        <h1>Projects</h1>
        {!creating && (
          <button type="button" className="btn-primary" onClick={() => (setCreating(true), setCreated(undefined))}>
            New project
          </button>
        )}
      </div>
      <p className="lead">Everything in Flywheel — datasets, labelling, experiments, models, deployments, monitors and pipelines — lives in a project.</p>
      {creating && (
        <NewProjectForm
          onCancel={() => setCreating(false)}
          onCreated={(p) => {
            setCreating(false);
            setCreated(p.name);
            setReloadKey((k) => k + 1);
          }}
        />
      )}
      {created && (
        <div className="banner banner-ok" role="status">
          Project <a href={href('projects', created)}>{created}</a> created.
        </div>
      )}
      <PagedList
        testId="project-list"
        label="Projects"
        loader={(cursor) => client.listProjects({ query: { limit: 50, cursor: cursor ?? undefined } })}
        columns={columns}
        rowKey={(p) => p.id}
        reloadKey={reloadKey}
        empty={
          <>
            <strong>No projects yet.</strong> Create one with <em>New project</em>; you become its owner and can add
            members.
          </>
        }
      />
    </div>
  );
}
