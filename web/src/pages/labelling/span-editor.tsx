// Span labelling on the workbench: the task's text, with the labelled spans marked; select text
// with the mouse and press a label's digit (or click the label) to label it. `selectionIn` turns
// the browser's selection into offsets of the text (UTF-16 code units, as the API counts them).
import type { SpanDraft } from './answer-draft.js';

/** Offsets [start, end) of the selection inside `container`, trimmed of surrounding spaces; null when there is none. */
export function selectionIn(container: HTMLElement | null, text: string): { start: number; end: number } | null {
  const sel = window.getSelection();
  if (!container || !sel || sel.rangeCount === 0 || sel.isCollapsed) return null;
  const range = sel.getRangeAt(0);
  if (!container.contains(range.startContainer) || !container.contains(range.endContainer)) return null;
  const offset = (node: Node, at: number) => {
    const r = document.createRange();
    r.setStart(container, 0);
    r.setEnd(node, at);
    return r.toString().length;
  };
  let start = offset(range.startContainer, range.startOffset);
  let end = offset(range.endContainer, range.endOffset);
  while (start < end && /\s/.test(text[start])) start++;
  while (end > start && /\s/.test(text[end - 1])) end--;
  return end > start ? { start, end } : null;
}

/** The text cut where spans begin and end; each piece with the labels covering it. */
function pieces(text: string, spans: SpanDraft[]): Array<{ from: number; to: number; labels: string[] }> {
  const cuts = new Set([0, text.length]);
  for (const s of spans) {
    cuts.add(s.start);
    cuts.add(s.end);
  }
  const sorted = [...cuts].sort((a, b) => a - b);
  const out: Array<{ from: number; to: number; labels: string[] }> = [];
  for (let i = 0; i + 1 < sorted.length; i++) {
    const [from, to] = [sorted[i], sorted[i + 1]];
    out.push({ from, to, labels: spans.filter((s) => s.start <= from && s.end >= to).flatMap((s) => s.labels) });
  }
  return out;
}

interface Props {
  text: string;
  spans: SpanDraft[];
  labels: string[];
  textRef: React.RefObject<HTMLDivElement | null>;
  onRemove: (index: number) => void;
}

export function SpanEditor({ text, spans, labels, textRef, onRemove }: Props) {
  const colour = (l: string) => `label-colour-${labels.indexOf(l) % 8}`;
  return (
    <div className="span-editor">
      <div className="span-text" ref={textRef} data-testid="span-text">
        {pieces(text, spans).map((p) =>
          p.labels.length ? (
            <mark key={p.from} className={`span-mark ${colour(p.labels[0])}`} title={p.labels.join(', ')}>
              {text.slice(p.from, p.to)}
            </mark>
          ) : (
            <span key={p.from}>{text.slice(p.from, p.to)}</span>
          ),
        )}
      </div>
      <h3 className="small-heading">Spans</h3>
      {spans.length === 0 ? (
        <p className="muted small">None yet: select text, then press a label&apos;s number.</p>
      ) : (
        <ul className="region-list" data-testid="span-list" aria-label="Spans">
          {spans.map((s, i) => (
            <li key={`${s.start}:${s.end}:${s.labels.join()}`}>
              <span className={`label-chip ${colour(s.labels[0])}`}>{s.labels.join(', ')}</span> “{s.text}” <span className="muted small">({s.start}–{s.end})</span>{' '}
              <button type="button" className="btn-small" onClick={() => onRemove(i)} aria-label={`Remove span ${s.text}`}>
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
