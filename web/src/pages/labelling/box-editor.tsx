// Box drawing on the workbench: the task's image with the boxes drawn so far; drag on the image
// to draw a box, then press a label's digit (or click the label) to label it. Coordinates are
// percent of the image (0–100), top-left corner and size, as the API takes them.
import { useRef, useState } from 'react';
import type { BoxDraft, Rect } from './answer-draft.js';

interface Props {
  src: string;
  boxes: BoxDraft[];
  pending: Rect | null;
  labels: string[];
  onDraw: (box: Rect | null) => void;
  onRemove: (index: number) => void;
  onImageSize: (size: { width: number; height: number }) => void;
}

const clamp = (v: number) => Math.min(100, Math.max(0, v));
const style = (r: Rect) => ({ left: `${r.x}%`, top: `${r.y}%`, width: `${r.width}%`, height: `${r.height}%` });

/** The rectangle between two points, in percent. */
function rectOf(a: { x: number; y: number }, b: { x: number; y: number }): Rect {
  return { x: Math.min(a.x, b.x), y: Math.min(a.y, b.y), width: Math.abs(a.x - b.x), height: Math.abs(a.y - b.y) };
}

export function BoxEditor({ src, boxes, pending, labels, onDraw, onRemove, onImageSize }: Props) {
  const stage = useRef<HTMLDivElement>(null);
  const [from, setFrom] = useState<{ x: number; y: number } | null>(null);
  const [drag, setDrag] = useState<Rect | null>(null);
  const colour = (l: string) => `label-colour-${labels.indexOf(l) % 8}`;

  const at = (e: React.MouseEvent) => {
    const r = stage.current!.getBoundingClientRect();
    return { x: clamp(((e.clientX - r.left) / r.width) * 100), y: clamp(((e.clientY - r.top) / r.height) * 100) };
  };
  const finish = (e: React.MouseEvent) => {
    if (!from) return;
    const r = rectOf(from, at(e));
    setFrom(null);
    setDrag(null);
    // A click (or a sliver) draws nothing.
    onDraw(r.width >= 0.5 && r.height >= 0.5 ? r : null);
  };
  const shown = drag ?? pending;

  return (
    <div className="box-editor">
      <div
        className="box-stage"
        ref={stage}
        data-testid="box-stage"
        onMouseDown={(e) => {
          e.preventDefault();
          setFrom(at(e));
        }}
        onMouseMove={(e) => from && setDrag(rectOf(from, at(e)))}
        onMouseUp={finish}
        onMouseLeave={(e) => from && finish(e)}
      >
        <img src={src} alt="The image to label" draggable={false} onLoad={(e) => onImageSize({ width: e.currentTarget.naturalWidth, height: e.currentTarget.naturalHeight })} />
        {boxes.map((b, i) => (
          <div key={i} className={`box ${colour(b.labels[0])}`} style={style(b)}>
            <span className="box-label">{b.labels.join(', ')}</span>
          </div>
        ))}
        {shown && <div className="box box-pending" style={style(shown)} data-testid="pending-box" />}
      </div>
      <h3 className="small-heading">Boxes</h3>
      {boxes.length === 0 ? (
        <p className="muted small">None yet: drag on the image to draw a box, then press a label&apos;s number.</p>
      ) : (
        <ul className="region-list" data-testid="box-list" aria-label="Boxes">
          {boxes.map((b, i) => (
            <li key={i}>
              <span className={`label-chip ${colour(b.labels[0])}`}>{b.labels.join(', ')}</span>{' '}
              <span className="mono small">
                x {b.x.toFixed(1)}% y {b.y.toFixed(1)}% · {b.width.toFixed(1)}% × {b.height.toFixed(1)}%
              </span>{' '}
              <button type="button" className="btn-small" onClick={() => onRemove(i)} aria-label={`Remove box ${i + 1}`}>
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
