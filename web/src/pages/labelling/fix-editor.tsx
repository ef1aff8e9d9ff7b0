// A reviewer's fix of a disputed structured task, with the workbench's editors, starting from the
// task's consensus: multi-label — a checkbox per label; text spans — the text with its spans
// (select text, then click a label to add a span; remove spans from the list); image boxes — the
// image with its boxes (drag to draw, click a label to label the box; remove from the list).
// Saving sends the answer in the kind's field, checked by the server like a submission.
import { useRef, useState } from 'react';
import type { LabellingTaskView } from '../../../../src/contracts/index.js';
import { bodyOf, type Draft, type Kind, type Rect } from './answer-draft.js';
import { BoxEditor } from './box-editor.js';
import { dataSummary } from './data-card.js';
import { SpanEditor, selectionIn } from './span-editor.js';
import './workbench.css';

/** The task's consensus as an editable answer. */
export function draftOf(task: LabellingTaskView): Draft {
  const v = task.resolved_value;
  return {
    choices: v?.type === 'choices' ? [...v.choices] : [],
    spans: v?.type === 'labels' ? v.spans.map((s) => ({ start: s.start, end: s.end, text: s.text, labels: [...s.labels] })) : [],
    boxes: v?.type === 'rectanglelabels' ? v.boxes.map((b) => ({ x: b.x, y: b.y, width: b.width, height: b.height, labels: [...b.labels] })) : [],
  };
}

interface Props {
  task: LabellingTaskView;
  kind: Exclude<Kind, 'classification'>;
  labels: string[];
  /** The data field with the text (spans) or the image URL (boxes). */
  field: string | undefined;
  busy: boolean;
  onSave: (answer: Record<string, unknown>) => void;
  onCancel: () => void;
}

export function FixEditor({ task, kind, labels, field, busy, onSave, onCancel }: Props) {
  const [draft, setDraft] = useState<Draft>(() => draftOf(task));
  const [pending, setPending] = useState<Rect | null>(null);
  const [imageSize, setImageSize] = useState<{ width: number; height: number }>();
  const [note, setNote] = useState<string>();
  const textRef = useRef<HTMLDivElement>(null);
  const text = field ? String(task.data[field] ?? '') : '';

  /** A label clicked: the selected text becomes a span, or the drawn box gets it. */
  const label = (l: string) => {
    setNote(undefined);
    if (kind === 'text-spans') {
      const sel = selectionIn(textRef.current, text);
      if (!sel) return setNote('Select some text first, then click the label.');
      window.getSelection()?.removeAllRanges();
      if (draft.spans.some((s) => s.start === sel.start && s.end === sel.end && s.labels[0] === l)) return setNote('That span already has this label.');
      const span = { ...sel, text: text.slice(sel.start, sel.end), labels: [l] };
      return setDraft((d) => ({ ...d, spans: [...d.spans, span].sort((a, b) => a.start - b.start || a.end - b.end) }));
    }
    if (!pending) return setNote('Draw a box first (drag on the image), then click the label.');
    const box = { ...pending, labels: [l] };
    setPending(null);
    setDraft((d) => ({ ...d, boxes: [...d.boxes, box] }));
  };

  return (
    <div className="card fix-editor" data-testid="fix-editor" aria-label={`Fix task ${task.id}`} role="region">
      <h3 className="small-heading">Fix: {dataSummary(task.data)}</h3>
      <p className="muted small">
        Starts from the consensus, <strong>{task.resolved_label || 'nothing'}</strong>:{' '}
        {kind === 'multi-label' ? 'tick every label that applies.' : kind === 'text-spans' ? 'select text, then click a label; remove wrong spans below.' : 'drag on the image to draw a box, then click a label; remove wrong boxes below.'}
      </p>
      {note && (
        <div className="banner" role="status">
          {note}
        </div>
      )}
      {kind === 'multi-label' ? (
        <fieldset className="fix-choices">
          <legend className="small-heading">Labels</legend>
          {labels.map((l) => (
            <label key={l} className="checkbox">
              <input
                type="checkbox"
                checked={draft.choices.includes(l)}
                onChange={(e) => setDraft((d) => ({ ...d, choices: labels.filter((x) => (x === l ? e.target.checked : d.choices.includes(x))) }))}
              />{' '}
              {l}
            </label>
          ))}
        </fieldset>
      ) : (
        <>
          {kind === 'text-spans' ? (
            <SpanEditor text={text} spans={draft.spans} labels={labels} textRef={textRef} onRemove={(i) => setDraft((d) => ({ ...d, spans: d.spans.filter((_, k) => k !== i) }))} />
          ) : (
            <BoxEditor
              src={text}
              boxes={draft.boxes}
              pending={pending}
              labels={labels}
              onDraw={setPending}
              onImageSize={setImageSize}
              onRemove={(i) => setDraft((d) => ({ ...d, boxes: d.boxes.filter((_, k) => k !== i) }))}
            />
          )}
          <div className="label-buttons" role="group" aria-label="Label as">
            {labels.map((l) => (
              // Pressing the button must not clear the text selection it labels.
              <button key={l} type="button" className="label-button" onMouseDown={(e) => e.preventDefault()} onClick={() => label(l)}>
                {l}
              </button>
            ))}
          </div>
        </>
      )}
      <div className="workbench-actions">
        <button type="button" className="btn-primary" disabled={busy} onClick={() => onSave(bodyOf(kind, draft, imageSize))}>
          {busy ? 'Saving…' : 'Save fix'}
        </button>
        <button type="button" className="btn-secondary" disabled={busy} onClick={onCancel}>
          Cancel
        </button>
      </div>
    </div>
  );
}
