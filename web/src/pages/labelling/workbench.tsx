// The labelling workbench, built for the keyboard. It pulls the caller's next task (and preloads
// the one after), shows it by the job's kind and takes the answer:
// - classification: keys 1–9 press the label buttons (and submit);
// - multi-label: keys 1–9 toggle labels, Enter submits;
// - text spans: select text with the mouse, press a label's number; spans listed, removable;
// - image boxes: drag on the image to draw a box, press a label's number; boxes listed, removable.
// Everywhere: Enter submits, S skips the task, Z undoes the last change (or, with nothing to undo,
// withdraws the label just submitted and brings its task back) — until "All done". When the job
// shows a model's suggestions, the suggested label is named and its button marked.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { LabellingJobDetailView, ProjectView, QueuedTaskView } from '../../../../src/contracts/index.js';
import { client } from '../../api.js';
import { ErrorBanner } from '../../error-banner.js';
import { errorCode } from '../../errors.js';
import { href } from '../../router.js';
import { bodyOf, dataFieldOf, EMPTY_DRAFT, toggled, type Draft, type Rect } from './answer-draft.js';
import { BoxEditor } from './box-editor.js';
import { DataCard } from './data-card.js';
import { SpanEditor, selectionIn } from './span-editor.js';
import { useTaskQueue } from './task-queue.js';
import './workbench.css';

const HINTS: Record<LabellingJobDetailView['kind'], string> = {
  classification: 'Press a label (keys 1–9 do it and submit).',
  'multi-label': 'Toggle every label that applies (keys 1–9), then submit with Enter.',
  'text-spans': 'Select text with the mouse, press a label’s number to label it; Enter submits.',
  'image-boxes': 'Drag on the image to draw a box, press a label’s number to label it; Enter submits.',
};

export function Workbench({ project, job }: { project: ProjectView; job: string }) {
  const name = project.name;
  const [info, setInfo] = useState<LabellingJobDetailView>();
  const kind = info?.kind ?? 'classification';
  const field = info ? dataFieldOf(info) : undefined;
  const queue = useTaskQueue(name, job, kind === 'image-boxes' ? field : undefined);
  const { slot } = queue;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [note, setNote] = useState<string>();
  const [labelled, setLabelled] = useState(0);
  const [draft, setDraft] = useState<Draft>(EMPTY_DRAFT);
  const [history, setHistory] = useState<Draft[]>([]);
  const [pending, setPending] = useState<Rect | null>(null);
  const [imageSize, setImageSize] = useState<{ task: string; width: number; height: number }>();
  const [last, setLast] = useState<QueuedTaskView>();
  const busyRef = useRef(false);
  const textRef = useRef<HTMLDivElement>(null);
  const taskId = slot.state === 'task' ? slot.task.id : undefined;

  useEffect(() => {
    let live = true;
    client.getLabellingJob({ params: { project: name, job } }).then(
      (j) => {
        if (!live) return;
        setInfo(j);
      },
      (err: unknown) => live && setError(err),
    );
    return () => {
      live = false;
    };
  }, [name, job]);

  // Start pulling once the job (its kind and data field) is known.
  const { pull } = queue;
  const jobId = info?.id;
  useEffect(() => {
    if (jobId) pull().catch(setError);
  }, [jobId, pull]);

  // A new task starts with an empty answer.
  useEffect(() => {
    setDraft(EMPTY_DRAFT);
    setHistory([]);
    setPending(null);
  }, [taskId]);

  /** Change the answer, keeping the previous one for Z. */
  const edit = useCallback(
    (next: (d: Draft) => Draft) => {
      setHistory((h) => [...h, draft]);
      setDraft(next(draft));
    },
    [draft],
  );

  /** Run one action on the task at a time. */
  const act = useCallback(async (fn: () => Promise<void>) => {
    if (busyRef.current) return;
    busyRef.current = true;
    setBusy(true);
    setError(undefined);
    setNote(undefined);
    try {
      await fn();
    } catch (err) {
      setError(err);
    } finally {
      busyRef.current = false;
      setBusy(false);
    }
  }, []);

  const submit = useCallback(
    (label?: string) =>
      act(async () => {
        if (slot.state !== 'task') return;
        const task = slot.task;
        const answer = kind === 'classification' ? { label: label! } : bodyOf(kind, draft, imageSize?.task === task.id ? imageSize : undefined);
        try {
          const r = await client.submitLabel({ params: { project: name, job, task: task.id }, body: { ...answer, duration_ms: Math.max(0, Date.now() - slot.shownAt) } });
          setLabelled((n) => n + 1);
          setLast(task);
          setNote(`Labelled “${r.label.label}”.`);
          await queue.advance(task.id);
        } catch (err) {
          // Someone else filled the task first (409): move on to the next one.
          if (errorCode(err) !== 'conflict') throw err;
          setNote('That task already had all its labels; here is the next one.');
          await queue.pull();
        }
      }),
    [act, slot, kind, draft, imageSize, name, job, queue],
  );

  const skip = useCallback(
    () =>
      act(async () => {
        if (slot.state !== 'task') return;
        await client.skipLabellingTask({ params: { project: name, job, task: slot.task.id } });
        setNote('Skipped; it will not come back to you.');
        await queue.advance(slot.task.id);
      }),
    [act, slot, name, job, queue],
  );

  const undo = useCallback(() => {
    if (pending) return setPending(null);
    if (history.length > 0) {
      setDraft(history[history.length - 1]);
      setHistory((h) => h.slice(0, -1));
      return;
    }
    if (!last) return void setNote('Nothing to undo.');
    void act(async () => {
      try {
        const r = await client.withdrawLabel({ params: { project: name, job, task: last.id } });
        setLabelled((n) => Math.max(0, n - 1));
        setLast(undefined);
        setNote(`Withdrew your label “${r.withdrawn.label}”; the task is back.`);
        queue.show(last);
      } catch (err) {
        if (errorCode(err) !== 'conflict') throw err;
        setLast(undefined);
        setNote('That task has been resolved since: its labels are final.');
      }
    });
  }, [pending, history, last, act, name, job, queue]);

  /** A label's number pressed (or its button clicked). */
  const choose = useCallback(
    (label: string) => {
      if (slot.state !== 'task' || !info) return;
      if (kind === 'classification') return void submit(label);
      if (kind === 'multi-label') return edit((d) => ({ ...d, choices: toggled(d.choices, label, info.labels) }));
      if (kind === 'text-spans') {
        const text = String(slot.task.data[field!] ?? '');
        const sel = selectionIn(textRef.current, text);
        if (!sel) return setNote('Select some text first, then press the label’s number.');
        window.getSelection()?.removeAllRanges();
        const span = { ...sel, text: text.slice(sel.start, sel.end), labels: [label] };
        if (draft.spans.some((s) => s.start === span.start && s.end === span.end && s.labels[0] === label)) return setNote('That span already has this label.');
        return edit((d) => ({ ...d, spans: [...d.spans, span].sort((a, b) => a.start - b.start || a.end - b.end) }));
      }
      if (!pending) return setNote('Draw a box first (drag on the image), then press the label’s number.');
      const box = { ...pending, labels: [label] };
      setPending(null);
      edit((d) => ({ ...d, boxes: [...d.boxes, box] }));
    },
    [slot, info, kind, field, draft, pending, submit, edit],
  );

  const labels = info?.labels ?? [];
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      const target = e.target as HTMLElement | null;
      if (target && ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)) return;
      if (slot.state !== 'task') return;
      const n = Number(e.key);
      if (Number.isInteger(n) && n >= 1 && n <= Math.min(9, labels.length)) {
        e.preventDefault();
        choose(labels[n - 1]);
      } else if (e.key === 'Enter' && kind !== 'classification') {
        e.preventDefault();
        void submit();
      } else if (e.key === 's' || e.key === 'S') {
        e.preventDefault();
        void skip();
      } else if (e.key === 'z' || e.key === 'Z') {
        e.preventDefault();
        undo();
      } else if (e.key === 'Escape') setPending(null);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [labels, kind, slot.state, choose, submit, skip, undo]);

  const jobName = info?.name ?? job;
  const keys = `1–${Math.max(1, Math.min(9, labels.length))}`;
  return (
    <section aria-labelledby="workbench-title" className="workbench">
      <div className="crumbs">
        <a href={href('projects', name, 'labelling')}>Labelling</a> / <a href={href('projects', name, 'labelling', jobName)}>{jobName}</a> /{' '}
        <span>workbench</span>
      </div>
      <h2 id="workbench-title">Labelling {jobName}</h2>
      <p className="lead">
        {HINTS[kind]} Keys <kbd>{keys}</kbd> pick labels, <kbd>S</kbd> skips, <kbd>Z</kbd> undoes. You label blind: nobody&apos;s labels are shown.
        Labelled this session: <strong data-testid="session-count">{labelled}</strong>.
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
      {slot.state === 'task' && info && (
        <div className="card" data-testid="workbench-task" data-task-id={slot.task.id} data-next-task={queue.preloaded ?? undefined}>
          {kind === 'text-spans' ? (
            <SpanEditor
              text={String(slot.task.data[field!] ?? '')}
              spans={draft.spans}
              labels={labels}
              textRef={textRef}
              onRemove={(i) => edit((d) => ({ ...d, spans: d.spans.filter((_, k) => k !== i) }))}
            />
          ) : kind === 'image-boxes' ? (
            <BoxEditor
              src={String(slot.task.data[field!] ?? '')}
              boxes={draft.boxes}
              pending={pending}
              labels={labels}
              onDraw={setPending}
              onImageSize={(size) => setImageSize({ task: slot.task.id, ...size })}
              onRemove={(i) => edit((d) => ({ ...d, boxes: d.boxes.filter((_, k) => k !== i) }))}
            />
          ) : (
            <DataCard data={slot.task.data} />
          )}
          {slot.task.suggestion && (
            <p className="suggestion" data-testid="suggestion">
              Model suggests <strong>{slot.task.suggestion.label}</strong> <span className="muted">({Math.round(slot.task.suggestion.confidence * 100)}% confident)</span> — check it before you
              accept it.
            </p>
          )}
          <div className="label-buttons" role="group" aria-label="Labels">
            {labels.map((l, i) => (
              <button
                key={l}
                type="button"
                className={slot.task.suggestion?.label === l ? 'label-button label-suggested' : 'label-button'}
                data-suggested={slot.task.suggestion?.label === l ? 'true' : undefined}
                disabled={busy}
                onClick={() => choose(l)}
                aria-keyshortcuts={i < 9 ? String(i + 1) : undefined}
                aria-pressed={kind === 'multi-label' ? draft.choices.includes(l) : undefined}
              >
                {i < 9 && <kbd>{i + 1}</kbd>} {l}
              </button>
            ))}
          </div>
          <div className="workbench-actions">
            {kind !== 'classification' && (
              <button type="button" className="btn-primary" disabled={busy} onClick={() => void submit()}>
                Submit <kbd>Enter</kbd>
              </button>
            )}
            <button type="button" disabled={busy} onClick={() => void skip()}>
              Skip <kbd>S</kbd>
            </button>
            <button type="button" disabled={busy} onClick={undo}>
              Undo <kbd>Z</kbd>
            </button>
          </div>
        </div>
      )}
    </section>
  );
}
