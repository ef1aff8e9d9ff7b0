// One labelling job: progress, agreement (mean, pairwise, Fleiss' κ, Krippendorff's α; span or box
// F1 for those kinds), agreement per label, what each annotator did (with their accuracy on gold
// tasks and α or F1 against the consensus), and its tasks with their labels (every label for
// managers; only your own when you label blind); reviewers also get a Disputes tab; managers also
// get the automation panel (model suggestions, auto-labelling, active learning, labelled output)
// and, on classification jobs, tasks from a deployment's logged predictions.
import { useState } from 'react';
import type { LabellingJobDetailView, LabellingTaskView, ProjectView } from '../../../../src/contracts/index.js';
import { client } from '../../api.js';
import { Badge } from '../../badge.js';
import { ErrorBanner } from '../../error-banner.js';
import { PagedList, type Column } from '../../paged-list.js';
import { href } from '../../router.js';
import { useSession } from '../../session.js';
import { useAsync } from '../../use-async.js';
import { dataSummary } from './data-card.js';
import { DisputesPanel } from './disputes-panel.js';
import { coefficient, percent } from './format-share.js';
import { canAnnotate, seesAllLabels } from './labelling-roles.js';
import { ProgressBar } from './progress-bar.js';
import { AutomationPanel } from './automation-panel.js';
import { PredictionTasksPanel } from './prediction-tasks-panel.js';
import { dataFieldOf } from './answer-draft.js';

type Status = '' | 'open' | 'resolved';

const KIND_NAMES: Record<LabellingJobDetailView['kind'], string> = {
  classification: 'Classification',
  'multi-label': 'Multi-label classification',
  'text-spans': 'Text spans',
  'image-boxes': 'Image boxes',
};

const CONSENSUS: Record<LabellingJobDetailView['kind'], string> = {
  classification: 'majority vote (a tie goes to the label listed first)',
  'multi-label': 'majority per label (a label is in when most picked it)',
  'text-spans': 'majority over identical spans',
  'image-boxes': 'majority over boxes that overlap (IoU ≥ 0.5), their coordinates averaged',
};

function Stats({ job }: { job: LabellingJobDetailView }) {
  const s = job.stats;
  return (
    <>
      <dl className="facts" data-testid="job-stats">
        <div>
          <dt>Resolved</dt>
          <dd>
            <ProgressBar done={job.counts.resolved} total={job.counts.tasks} label="tasks resolved" />
          </dd>
        </div>
        <div>
          <dt>Labels given</dt>
          <dd>
            {job.counts.labels} <span className="muted">({job.overlap} per task; yours: {job.my_labels})</span>
          </dd>
        </div>
        <div>
          <dt>Agreement with majority</dt>
          <dd>{percent(s.mean_task_agreement)}</dd>
        </div>
        {(job.kind === 'classification' || job.kind === 'multi-label') && (
          <div>
            <dt>Pairwise agreement</dt>
            <dd>{percent(s.percent_agreement)}</dd>
          </div>
        )}
        {job.kind === 'classification' && (
          <div>
            <dt>Fleiss&apos; κ</dt>
            <dd>{coefficient(s.fleiss_kappa)}</dd>
          </div>
        )}
        {(job.kind === 'classification' || job.kind === 'multi-label') && (
          <div>
            <dt>Krippendorff&apos;s α</dt>
            <dd data-testid="job-alpha">
              {coefficient(s.krippendorff_alpha)}
              {s.krippendorff_alpha_interval !== null && <span className="muted small"> (interval {coefficient(s.krippendorff_alpha_interval)})</span>}
            </dd>
          </div>
        )}
        {s.mean_pairwise_f1 !== null && (
          <div>
            <dt>{job.kind === 'image-boxes' ? 'Box F1 (IoU ≥ 0.5)' : 'Span F1 (exact)'}</dt>
            <dd>{coefficient(s.mean_pairwise_f1)}</dd>
          </div>
        )}
        <div>
          <dt>Ties</dt>
          <dd>{s.ties}</dd>
        </div>
        {(job.model || s.automation.suggested > 0) && (
          <>
            <div>
              <dt>Suggestions</dt>
              <dd data-testid="suggested-count">
                {s.automation.suggested} <span className="muted">({job.show_suggestions ? 'shown' : 'hidden'}; match consensus {percent(s.automation.suggestion_agreement)})</span>
              </dd>
            </div>
            <div>
              <dt>Auto-labelled</dt>
              <dd data-testid="auto-labelled">
                {s.automation.auto_labelled} <span className="muted">(spot checks {s.automation.spot_checks_resolved}/{s.automation.spot_checks}, accuracy {percent(s.automation.auto_label_accuracy)})</span>
              </dd>
            </div>
          </>
        )}
      </dl>
      {s.resolved_tasks > 0 && (
        <>
          <h3>Agreement per label</h3>
          <div className="table-wrap">
            <table aria-label="Agreement per label" data-testid="label-table">
              <thead>
                <tr>
                  <th>Label</th>
                  <th className="num">Given</th>
                  {job.kind === 'text-spans' || job.kind === 'image-boxes' ? (
                    <th className="num">F1</th>
                  ) : (
                    <>
                      <th className="num">Agreement</th>
                      <th className="num">Krippendorff&apos;s α</th>
                    </>
                  )}
                </tr>
              </thead>
              <tbody>
                {s.labels.map((l) => (
                  <tr key={l.label}>
                    <td>{l.label}</td>
                    <td className="num">{l.given}</td>
                    {job.kind === 'text-spans' || job.kind === 'image-boxes' ? (
                      <td className="num">{coefficient(l.f1)}</td>
                    ) : (
                      <>
                        <td className="num">{percent(l.percent_agreement)}</td>
                        <td className="num">{coefficient(l.krippendorff_alpha)}</td>
                      </>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      <h3>Annotators</h3>
      {s.annotators.length === 0 ? (
        <p className="muted">Nobody has labelled yet.</p>
      ) : (
        <div className="table-wrap">
          <table aria-label="Annotators" data-testid="annotator-table">
            <thead>
              <tr>
                <th>Annotator</th>
                <th className="num">Labels</th>
                <th className="num">Agrees with majority</th>
                <th className="num">{job.kind === 'text-spans' || job.kind === 'image-boxes' ? 'F1 vs majority' : 'α vs majority'}</th>
                <th className="num">Mean time</th>
                <th className="num">Gold accuracy</th>
                <th className="num">Skipped</th>
              </tr>
            </thead>
            <tbody>
              {s.annotators.map((a) => (
                <tr key={a.annotator_id}>
                  <td>{a.annotator}</td>
                  <td className="num">{a.labels}</td>
                  <td className="num">
                    {percent(a.agreement_with_consensus)} <span className="muted small">({a.agreeing}/{a.on_resolved})</span>
                  </td>
                  <td className="num">{coefficient(a.f1_with_consensus ?? a.krippendorff_alpha)}</td>
                  <td className="num">{a.mean_duration_ms === null ? '—' : `${(a.mean_duration_ms / 1000).toFixed(1)} s`}</td>
                  <td className="num">
                    {percent(a.gold_accuracy)} <span className="muted small">({a.gold_correct}/{a.gold_answered})</span>
                  </td>
                  <td className="num">
                    {percent(a.skip_rate)} <span className="muted small">({a.skips})</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

export function JobPage({ project, job }: { project: ProjectView; job: string }) {
  const { user } = useSession();
  const name = project.name;
  const [status, setStatus] = useState<Status>('');
  const [tab, setTab] = useState<'tasks' | 'disputes'>('tasks');
  const [tasksAdded, setTasksAdded] = useState(0);
  const detail = useAsync(() => client.getLabellingJob({ params: { project: name, job } }), [name, job]);
  const canReview = project.my_actions.includes('labelling.review');
  const canManage = project.my_actions.includes('labelling.manage');
  const manager = seesAllLabels(project, user.is_admin);

  const columns: Column<LabellingTaskView>[] = [
    { header: 'Data', cell: (t) => <span className="mono small">{dataSummary(t.data)}</span> },
    { header: 'Status', cell: (t) => <Badge value={t.status} tone={t.status === 'resolved' ? 'good' : 'info'} /> },
    { header: 'Labels', cell: (t) => `${t.label_count} / ${detail.data?.overlap ?? '?'}`, className: 'num' },
    {
      header: 'Given',
      cell: (t) =>
        t.labels.length === 0 ? (
          <span className="muted">—</span>
        ) : (
          t.labels.map((l) => (
            <span key={l.id} className="label-chip">
              {l.annotator}: {l.label}
            </span>
          ))
        ),
    },
  ];
  if (manager) {
    columns.push(
      { header: 'Resolved', cell: (t) => (t.resolved_label ? <strong>{t.resolved_label}</strong> : '—') },
      { header: 'Agreement', cell: (t) => (t.agreement === null ? '—' : `${percent(t.agreement)}${t.tie ? ' (tie)' : ''}`), className: 'num' },
      { header: 'Prediction', cell: (t) => (t.prediction_id ? <code>{t.prediction_id}</code> : '—') },
      {
        header: 'Suggestion',
        cell: (t) => (t.suggestion ? `${t.suggestion.label} (${percent(t.suggestion.confidence)})${t.spot_check ? ' · spot check' : ''}` : '—'),
      },
      { header: 'By', cell: (t) => t.resolved_by ?? '—' },
    );
  }

  return (
    <section aria-labelledby="job-title">
      <div className="crumbs">
        <a href={href('projects', name, 'labelling')}>Labelling</a> / <span>{job}</span>
      </div>
      <div className="section-head">
        <h2 id="job-title">{detail.data?.name ?? job}</h2>
        {detail.data && canAnnotate(project, user.is_admin) && (
          <a className="btn-link-button btn-primary-link" href={href('projects', name, 'labelling', detail.data.name, 'work')}>
            Start labelling
          </a>
        )}
      </div>
      <ErrorBanner error={detail.error} />
      {detail.data && (
        <>
          <p className="lead">
            {KIND_NAMES[detail.data.kind]} — labels: {detail.data.labels.join(', ')}. Each task is labelled by {detail.data.overlap}{' '}
            {detail.data.overlap === 1 ? 'person' : 'people'} and resolved by {CONSENSUS[detail.data.kind]}.
          </p>
          <Stats job={detail.data} />
          {canManage && detail.data.kind === 'classification' && <AutomationPanel project={name} job={detail.data} onChanged={detail.reload} />}
          {canManage && detail.data.kind === 'classification' && (
            <PredictionTasksPanel project={name} job={detail.data} onChanged={() => (detail.reload(), setTasksAdded((n) => n + 1))} />
          )}
          {canReview && (
            <div className="tabs" role="tablist" aria-label="Job views">
              <button type="button" role="tab" aria-selected={tab === 'tasks'} className="btn-small" onClick={() => setTab('tasks')}>
                Tasks
              </button>{' '}
              <button type="button" role="tab" aria-selected={tab === 'disputes'} className="btn-small" onClick={() => setTab('disputes')}>
                Disputes
              </button>
            </div>
          )}
          {tab === 'disputes' && canReview ? (
            <DisputesPanel project={project} job={job} labels={detail.data.labels} kind={detail.data.kind} field={dataFieldOf(detail.data)} onReviewed={detail.reload} />
          ) : (
            <>
              <div className="section-head">
                <h3>Tasks</h3>
                <label className="inline-select">
                  Show{' '}
                  <select value={status} onChange={(e) => setStatus(e.target.value as Status)} aria-label="Task status">
                    <option value="">all</option>
                    <option value="open">open</option>
                    <option value="resolved">resolved</option>
                  </select>
                </label>
              </div>
              {!manager && <p className="muted small">You label blind: you see your own labels only.</p>}
              <PagedList
                testId="labelling-task-list"
                label="Tasks"
                loader={(cursor) =>
                  client.listLabellingTasks({ params: { project: name, job }, query: { cursor: cursor ?? undefined, status: status || undefined } })
                }
                columns={columns}
                rowKey={(t) => t.id}
                reloadKey={`${job}:${status}:${tasksAdded}`}
                empty={<>No tasks{status ? ` ${status}` : ''} in this job.</>}
              />
            </>
          )}
        </>
      )}
    </section>
  );
}
