// One project: its header, a sub-navigation of sections, and the chosen section.
import type { ProjectView } from '../../../src/contracts/index.js';
import { client } from '../api.js';
import { ErrorBanner } from '../error-banner.js';
import { href } from '../router.js';
import { useAsync } from '../use-async.js';
import { AuditList } from './audit-list.js';
import { JobsSection } from './jobs-section.js';
import { DatasetsSection } from './datasets/datasets-section.js';
import { LabellingSection } from './labelling/labelling-section.js';
import { MembersSection } from './members-section.js';
import { ModelsSection } from './models/models-section.js';
import { DeploymentsSection } from './deployments/deployments-section.js';
import { ExperimentsSection } from './experiments/experiments-section.js';
import { MonitoringSection } from './monitoring/monitoring-section.js';
import { PlannedSection } from './planned-section.js';
import { PLANNED } from './planned-sections.js';
import { ProjectOverview } from './project-overview.js';
import { SECTIONS } from './sections.js';

function Section({ project, section }: { project: ProjectView; section: string }) {
  const name = project.name;
  if (section === 'overview') return <ProjectOverview project={project} />;
  if (section === 'jobs') return <JobsSection project={name} />;
  if (section === 'datasets') return <DatasetsSection project={project} />;
  if (section === 'labelling') return <LabellingSection project={project} />;
  if (section === 'members') return <MembersSection project={project} />;
  if (section === 'models') return <ModelsSection project={project} />;
  if (section === 'deployments') return <DeploymentsSection project={project} />;
  if (section === 'experiments') return <ExperimentsSection project={project} />;
  if (section === 'monitoring') return <MonitoringSection project={project} />;
  if (section === 'audit')
    return (
      <section aria-labelledby="audit-title">
        <h2 id="audit-title">Audit</h2>
        <p className="lead">Every operation in this project, newest first; each event is chained to the one before it.</p>
        <AuditList
          testId="audit-list"
          reloadKey={name}
          loader={(cursor) => client.listProjectAudit({ params: { project: name }, query: { cursor: cursor ?? undefined } })}
        />
      </section>
    );
  const planned = PLANNED[section];
  if (planned) return <PlannedSection key={section} id={section} project={name} section={planned} />;
  return <ErrorBanner error={new Error(`There is no section '${section}' in a project.`)} />;
}

export function ProjectPage({ name, section }: { name: string; section: string }) {
  const project = useAsync(() => client.getProject({ params: { project: name } }), [name]);
  return (
    <div className="page">
      <div className="crumbs">
        <a href={href('projects')}>Projects</a> / <span>{name}</span>
      </div>
      <div className="page-head">
        <h1>{name}</h1>
        {project.data?.my_role && <span className="badge badge-plain">{project.data.my_role}</span>}
      </div>
      <ErrorBanner error={project.error} />
      {project.data && (
        <div className="project">
          <nav className="subnav" aria-label="Project sections" data-testid="project-sections">
            {SECTIONS.map((s) => (
              <a
                key={s.id}
                href={href('projects', name, s.id)}
                className={s.id === section ? 'subnav-link active' : 'subnav-link'}
                aria-current={s.id === section ? 'page' : undefined}
              >
                {s.label}
              </a>
            ))}
          </nav>
          <div className="section">
            <Section project={project.data} section={section} />
          </div>
        </div>
      )}
    </div>
  );
}
