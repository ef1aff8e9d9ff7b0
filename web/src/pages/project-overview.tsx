// A project's overview: what it is, and the lifecycle loop as stage cards (counts and latest state)
// linking to sections.
import type { ProjectView } from '../../../src/contracts/index.js';
import { formatTime } from '../format.js';
import { LoopCards } from './loop/loop-cards.js';

export function ProjectOverview({ project }: { project: ProjectView }) {
  return (
    <section aria-labelledby="overview-title">
      <h2 id="overview-title">Overview</h2>
      <dl className="facts">
        <div>
          <dt>Description</dt>
          <dd>{project.description || <span className="muted">No description.</span>}</dd>
        </div>
        <div>
          <dt>Your role</dt>
          <dd>{project.my_role ?? 'admin (not a member)'}</dd>
        </div>
        <div>
          <dt>Created</dt>
          <dd>{formatTime(project.created_at)}</dd>
        </div>
      </dl>
      <h3>The lifecycle loop</h3>
      <LoopCards project={project} />
    </section>
  );
}
