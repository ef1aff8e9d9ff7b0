// The submit (and optional cancel) row at the foot of a form.

export function FormActions({ busy, label, busyLabel, onCancel, disabled }: { busy: boolean; label: string; busyLabel: string; onCancel?: () => void; disabled?: boolean }) {
  return (
    <div className="form-actions">
      <button type="submit" className="btn-primary" disabled={busy || disabled}>
        {busy ? busyLabel : label}
      </button>
      {onCancel && (
        <button type="button" className="btn-secondary" onClick={onCancel}>
          Cancel
        </button>
      )}
    </div>
  );
}
