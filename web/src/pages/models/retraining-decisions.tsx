// Retraining decisions, newest first: the champion's and the challenger's metrics on the held-out
// month, the holdout rows, the challenger's gate, the decision (promoted / kept) and its reason.
// The whole project's, or one model's.
import type { Page } from '../../../../src/domain/pagination.js';
import { client } from '../../api.js';
import { Badge } from '../../badge.js';
import { formatTime } from '../../format.js';
import { PagedList, type Column } from '../../paged-list.js';
import { href } from '../../router.js';
import { GateBadge } from '../experiments/gate-report.js';
import { fmt3, monthLabel } from '../loop/metric-format.js';
import type { Decision } from '../monitoring/monitoring-types.js';
import './retraining-decisions.css';

/** One model's decisions (all when `model` is null), reading on past pages without any. */
function loader(project: string, model: string | null) {
  return async (cursor: string | null): Promise<Page<Decision>> => {
    let next = cursor;
    for (;;) {
      const page = await client.listDecisions({ params: { project }, query: { cursor: next ?? undefined } });
      const items = model === null ? page.items : page.items.filter((d) => d.model === model);
      if (items.length > 0 || page.next_cursor === null) return { items, next_cursor: page.next_cursor };
      next = page.next_cursor;
    }
  };
}

function Metrics({ metrics, winner }: { metrics: Record<string, number>; winner?: boolean }) {
  return (
    <span className={winner ? 'decision-metrics decision-winner' : 'decision-metrics'}>
      <span>macro-F1 {fmt3(metrics.macro_f1)}</span>
      <span>accuracy {fmt3(metrics.accuracy)}</span>
    </span>
  );
}

export function RetrainingDecisions({ project, model }: { project: string; model: string | null }) {
  const columns: Column<Decision>[] = [
    {
      header: 'Held out',
      cell: (d) => (
        <span className="decision-when" title={`decided ${formatTime(d.created_at)}`}>
          <strong>{monthLabel(d.holdout.from)}</strong>
          <span className="muted small">{d.holdout.rows.toLocaleString()} labelled rows</span>
        </span>
      ),
    },
    {
      header: 'Champion',
      cell: (d) => (
        <>
          {model === null && <a href={href('projects', project, 'models', d.model)}>{d.model} </a>}
          <strong>v{d.champion.version}</strong>
          <Metrics metrics={d.champion.metrics} winner={d.decision === 'kept_champion'} />
        </>
      ),
    },
    {
      header: 'Challenger',
      cell: (d) => (
        <>
          <a href={href('projects', project, 'experiments', d.challenger.run_id)} title="the challenger's training run">
            <strong>{d.challenger.version === null ? 'run' : `v${d.challenger.version}`}</strong>
          </a>{' '}
          <GateBadge passed={d.challenger.gate.passed} title={d.challenger.gate.summary} />
          <Metrics metrics={d.challenger.metrics} winner={d.decision === 'promoted'} />
        </>
      ),
    },
    { header: 'Decision', cell: (d) => <Badge value={d.decision === 'promoted' ? 'promoted' : 'kept champion'} tone={d.decision === 'promoted' ? 'good' : 'info'} /> },
    { header: 'Reason', cell: (d) => <span className="decision-reason">{d.reason}</span> },
  ];
  return (
    <div className="compact-decisions">
      <PagedList
        testId="retraining-decisions"
        label="Retraining decisions"
        loader={loader(project, model)}
        columns={columns}
        rowKey={(d) => d.id}
        reloadKey={`${project}:${model ?? '*'}`}
        empty={
          <>
            No retraining decision yet. When a monitor raises a performance alert, a challenger is trained on the history plus the newly labelled rows; it replaces the champion only if
            it beats it on the held-out month and passes the gate. Each decision and its metrics are recorded here.
          </>
        }
      />
    </div>
  );
}
