// The lifecycle loop on the project page: eight stage cards, each with its counts and latest
// state from GET …/loop, linked to the section where that stage lives.
import type { ProjectView } from '../../../../src/contracts/index.js';
import { client } from '../../api.js';
import { ErrorBanner } from '../../error-banner.js';
import { href } from '../../router.js';
import { useAsync } from '../../use-async.js';
import { loopStages } from './loop-stages.js';
import './loop.css';

export function LoopCards({ project }: { project: ProjectView }) {
  const loop = useAsync(() => client.getLoop({ params: { project: project.name } }), [project.name]);
  const stages = loopStages(loop.data);
  return (
    <>
      <ErrorBanner error={loop.error} />
      <ol className="loop loop-live" data-testid="lifecycle-loop" aria-busy={loop.loading}>
        {stages.map((s, i) => (
          <li key={s.id} className="loop-stage">
            <a href={href('projects', project.name, s.section)} className="stage-card" data-stage={s.id} data-total={loop.data ? s.total : undefined}>
              <span className="stage-top">
                <span className="stage-step">{i + 1}</span>
                <span className="stage-name">{s.stage}</span>
              </span>
              <span className="stage-text">{s.text}</span>
              {loop.data && (
                <span className="stage-facts">
                  {s.status && <span className={`badge badge-${s.status.tone} stage-status`}>{s.status.text}</span>}
                  <span className={s.total ? 'stage-counts' : 'stage-counts stage-zero'}>{s.counts}</span>
                  <span className="stage-latest">{s.latest ?? <span className="muted">nothing yet</span>}</span>
                </span>
              )}
            </a>
          </li>
        ))}
        <li className="loop-back" aria-hidden="true">
          ↺ back to collect
        </li>
      </ol>
    </>
  );
}
