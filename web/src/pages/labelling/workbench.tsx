// The labelling workbench: pulls the caller's next task, shows its row, one button per label
// (keys 1–9 press them), submits and pulls the next, until the queue is empty ("All done").
import { useCallback, useEffect, useRef, useState } from 'react';
import type { LabellingJobDetailView, ProjectView, QueuedTaskView } from '../../../../src/contracts/index.js';
import { client } from '../../api.js';
import { ErrorBanner } from '../../error-banner.js';
import { errorCode } from '../../errors.js';
import { href } from '../../router.js';
import { DataCard } from './data-card.js';

type Slot = { state: 'loading' } | { state: 'task'; task: QueuedTaskView; shownAt: number } | { state: 'done' };

export function Workbench({ project, job }: { project: ProjectView; job: string }) {
  const name = project.name;
  const [info, setInfo] = useState<LabellingJobDetailView>();
  const [slot, setSlot] = useState<Slot>({ state: 'loading' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [note, setNote] = useState<string>();
  const [labelled, setLabelled] = useState(0);
  const busyRef = useRef(false);

  const pull = useCallback(async () => {
    setSlot({ state: 'loading' });
    const r = await client.nextLabellingTask({ params: { project: name, job } });
    setSlot(r.task ? { state: 'task', task: r.task, shownAt: Date.now() } : { state: 'done' });
  }, [name, job]);

  useEffect(() => {
    let live = true;
    client.getLabellingJob({ params: { project: name, job } }).then(
      (j) => live && setInfo(j),
      (err: unknown) => live && setError(err),
    );
    pull().catch((err: unknown) => live && setError(err));
    return () => {
      live = false;
    };
  }, [name, job, pull]);

  const submit = useCallback(
    async (label: string) => {
      if (slot.state !== 'task' || busyRef.current) return;
      busyRef.current = true;
      setBusy(true);
      setError(undefined);
      setNote(undefined);
      try {
        const task = slot.task;
        await client.submitLabel({
          params: { project: name, job, task: task.id },
          body: { label, duration_ms: Math.max(0, Date.now() - slot.shownAt) },
        });
        setLabelled((n) => n + 1);
        setNote(`Labelled “${label}”.`);
        await pull();
      } catch (err) {
        // Someone else filled the task first (409): move on to the next one.
        if (errorCode(err) === 'conflict') {
          setNote('That task already had all its labels; here is the next one.');
          await pull().catch(setError);
        } else setError(err);
      } finally {
        busyRef.current = false;
        setBusy(false);
      }
    },
    [slot, name, job, pull],
  );

  const labels = info?.labels ?? [];
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      const target = e.target as HTMLElement | null;
      if (target && ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)) return;
      const n = Number(e.key);
      if (Number.isInteger(n) && n >= 1 && n <= Math.min(9, labels.length)) {
        e.preventDefault();
        void submit(labels[n - 1]);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [labels, submit]);

  const jobName = info?.name ?? job;
  return (
    <section aria-labelledby="workbench-title" className="workbench">
      <div className="crumbs">
        <a href={href('projects', name, 'labelling')}>Labelling</a> / <a href={href('projects', name, 'labelling', jobName)}>{jobName}</a> /{' '}
        <span>workbench</span>
      </div>
      <h2 id="workbench-title">Labelling {jobName}</h2>
      <p className="lead">
        Pick the label that fits the row; keys <kbd>1</kbd>–<kbd>{Math.max(1, Math.min(9, labels.length))}</kbd> press the buttons. You
        label blind: nobody&apos;s labels are shown. Labelled this session: <strong data-testid="session-count">{labelled}</strong>.
      </p>
      <ErrorBanner error={error} onDismiss={() => setError(undefined)} />
      {note && (
        <div className="banner banner-ok" role="status">
          {note}
        </div>
      )}
      {slot.state === 'loading' && <div className="muted loading">Loading the next task…</div>}
      {slot.state === 'done' && (
        <div className="card" data-testid="all-done">
          <h3>All done</h3>
          <p>There is nothing left for you to label in this job. Thank you!</p>
          <a href={href('projects', name, 'labelling', jobName)}>Back to {jobName}</a>
        </div>
      )}
      {slot.state === 'task' && (
        <div className="card" data-testid="workbench-task" data-task-id={slot.task.id}>
          <DataCard data={slot.task.data} />
          <div className="label-buttons" role="group" aria-label="Labels">
            {labels.map((l, i) => (
              <button key={l} type="button" className="label-button" disabled={busy} onClick={() => void submit(l)} aria-keyshortcuts={i < 9 ? String(i + 1) : undefined}>
                {i < 9 && <kbd>{i + 1}</kbd>} {l}
              </button>
            ))}
          </div>
        </div>
      )}
    </section>
  );
}
