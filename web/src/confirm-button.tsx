// A button for destructive actions: the first click arms it, the second one acts.
import { useState } from 'react';

interface ConfirmButtonProps {
  label: string;
  /** Accessible name, e.g. "Revoke notebook"; the armed button reads "Confirm: <ariaLabel>". */
  ariaLabel?: string;
  disabled?: boolean;
  onConfirm: () => void;
}

export function ConfirmButton({ label, ariaLabel, disabled, onConfirm }: ConfirmButtonProps) {
  const [armed, setArmed] = useState(false);
  const name = ariaLabel ?? label;
  return (
    <button
      type="button"
      className={armed ? 'btn-small btn-danger btn-armed' : 'btn-small btn-danger'}
      disabled={disabled}
      aria-label={armed ? `Confirm: ${name}` : name}
      onBlur={() => setArmed(false)}
      onClick={() => {
        if (!armed) return setArmed(true);
        setArmed(false);
        onConfirm();
      }}
    >
      {armed ? `Confirm ${label.toLowerCase()}?` : label}
    </button>
  );
}
