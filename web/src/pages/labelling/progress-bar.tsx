// A horizontal progress bar: `done` of `total`, with the numbers beside it.

export function ProgressBar({ done, total, label }: { done: number; total: number; label: string }) {
  const share = total > 0 ? done / total : 0;
  return (
    <span className="progress" data-testid="progress">
      <span
        className="progress-track"
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={total}
        aria-valuenow={done}
      >
        <span className="progress-fill" style={{ width: `${Math.round(share * 100)}%` }} />
      </span>
      <span className="progress-text">
        {done} / {total}
      </span>
    </span>
  );
}
