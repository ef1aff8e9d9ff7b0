// The disputes queue of a job: resolved tasks with low agreement or a tie, each with every label
// and, for reviewers, buttons to accept the resolved label, fix it to another, or reject the
// labels (the task goes back to the queue). Structured kinds are fixed in an editor that starts
// from the consensus (checkboxes for multi-label, the workbench's span and box editors).
import { useState } from 'react';
import type { LabellingTaskView, ProjectView } from '../../../../src/contracts/index.js';
import { client } from '../../api.js';
import { ErrorBanner } from '../../error-banner.js';
import { PagedList, type Column } from '../../paged-list.js';
import { useAction } from '../../use-action.js';
import { dataSummary } from './data-card.js';
import { percent } from './format-share.js';
import type { Kind } from './answer-draft.js';
import { FixEditor } from './fix-editor.js';

type Decision = 'accept' | 'fix' | 'reject';

function FixPicker({ task, labels, busy, onFix }: { task: LabellingTaskView; labels: string[]; busy: boolean; onFix: (label: string) => void }) {
  const others = labels.filter((l) => l !== task.resolved_label);
  const [label, setLabel] = useState(others[0] ?? '');
  return (
    <span className="inline-select">
      <select value={label} onChange={(e) => setLabel(e.target.value)} aria-label={`Fixed label for task ${task.id}`}>
        {others.map((l) => (
          <option key={l} value={l}>
            {l}
          </option>
        ))}
      </select>
      <button type="button" className="btn-small" disabled={busy || label === ''} onClick={() => onFix(label)}>
        Fix
      </button>
    </span>
  );
}

interface Props {
  project: ProjectView;
  job: string;
  labels: string[];
  /** The job's kind: classification is fixed by picking a label, the others in the fix editor. */
  kind: Kind;
  /** The data field with the text (spans) or the image URL (boxes). */
  field?: string;
  onReviewed: () => void;
}

export function DisputesPanel({ project, job, labels, kind, field, onReviewed }: Props) {
  const name = project.name;
  const canReview = project.my_actions.includes('labelling.review');
  const [reloadKey, setReloadKey] = useState(0);
  const [fixing, setFixing] = useState<LabellingTaskView>();
  /** `answer`: the fixed `label`, or `choices` / `spans` / `boxes` of a structured kind. */
  const review = useAction(async (task: string, decision: Decision, answer: Record<string, unknown> = {}) => {
    await client.reviewLabellingTask({ params: { project: name, job, task }, body: { decision, ...answer } });
    setFixing(undefined);
    setReloadKey((k) => k + 1);
    onReviewed();
  });

  const columns: Column<LabellingTaskView>[] = [
    { header: 'Data', cell: (t) => <span className="mono small">{dataSummary(t.data)}</span> },
    { header: 'Resolved', cell: (t) => <strong>{t.resolved_label ?? '—'}</strong> },
    { header: 'Agreement', cell: (t) => `${percent(t.agreement)}${t.tie ? ' (tie)' : ''}`, className: 'num' },
    {
      header: 'Given',
      cell: (t) =>
        t.labels.map((l) => (
          <span key={l.id} className="label-chip">
            {l.annotator}: {l.label}
          </span>
        )),
    },
  ];
  if (canReview) {
    columns.push({
      header: 'Review',
      cell: (t) => (
        <span className="row-actions">
          <button type="button" className="btn-small" disabled={review.busy} onClick={() => void review.run(t.id, 'accept')} aria-label={`Accept task ${t.id}`}>
            Accept
          </button>{' '}
          {kind === 'classification' ? (
            <FixPicker task={t} labels={labels} busy={review.busy} onFix={(label) => void review.run(t.id, 'fix', { label })} />
          ) : (
            <button type="button" className="btn-small" disabled={review.busy} onClick={() => (review.clear(), setFixing(t))} aria-label={`Fix task ${t.id}`}>
              Fix…
            </button>
          )}{' '}
          <button type="button" className="btn-small btn-danger" disabled={review.busy} onClick={() => void review.run(t.id, 'reject')} aria-label={`Reject task ${t.id}`}>
            Reject
          </button>
        </span>
      ),
    });
  }

  return (
    <>
      <ErrorBanner error={review.error} onDismiss={review.clear} />
      <p className="muted small">Tasks resolved with low agreement or a tie. Accept keeps the label, Fix replaces it, Reject sends the task back to the queue.</p>
      {fixing && kind !== 'classification' && (
        <FixEditor
          key={fixing.id}
          task={fixing}
          kind={kind}
          labels={labels}
          field={field}
          busy={review.busy}
          onSave={(answer) => void review.run(fixing.id, 'fix', answer)}
          onCancel={() => setFixing(undefined)}
        />
      )}
      <PagedList
        testId="labelling-disputes"
        label="Disputed tasks"
        loader={(cursor) => client.listLabellingDisputes({ params: { project: name, job }, query: { cursor: cursor ?? undefined } })}
        columns={columns}
        rowKey={(t) => t.id}
        reloadKey={`${job}:${reloadKey}`}
        empty={<>No disputed tasks.</>}
      />
    </>
  );
}
