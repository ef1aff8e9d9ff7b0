// A project's overview: what it is, and the lifecycle loop as stage cards linking to sections.
import type { ProjectView } from '../../../src/contracts/index.js';
import { formatTime } from '../format.js';
import { href } from '../router.js';

const STAGES = [
  { stage: 'Collect', section: 'datasets', text: 'Ingest files and sources into versioned datasets.' },
  { stage: 'Cleanse', section: 'datasets', text: 'Rules, profiles and a quarantine for bad rows.' },
  { stage: 'Annotate', section: 'labelling', text: 'Labelling jobs with review and agreement.' },
  { stage: 'Train', section: 'experiments', text: 'Runs with parameters, metrics and artifacts.' },
  { stage: 'Validate', section: 'models', text: 'Evaluate, gate on KPIs, approve and register.' },
  { stage: 'Deploy', section: 'deployments', text: 'Serve ONNX models over MLflow and V2 protocols.' },
  { stage: 'Monitor', section: 'monitoring', text: 'Drift and performance on the prediction log.' },
  { stage: 'Retrain', section: 'pipelines', text: 'Pipelines that close the loop on schedule or alert.' },
] as const;

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
      <ol className="loop" data-testid="lifecycle-loop">
        {STAGES.map((s, i) => (
          <li key={s.stage} className="loop-stage">
            <a href={href('projects', project.name, s.section)} className="stage-card">
              <span className="stage-step">{i + 1}</span>
              <span className="stage-name">{s.stage}</span>
              <span className="stage-text">{s.text}</span>
            </a>
          </li>
        ))}
        <li className="loop-back" aria-hidden="true">
          ↺ back to collect
        </li>
      </ol>
    </section>
  );
}
