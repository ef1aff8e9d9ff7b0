// A visible error banner with the server's message (and its code, for reports).
import { errorCode, errorMessage } from './errors.js';

export function ErrorBanner({ error, onDismiss }: { error: unknown; onDismiss?: () => void }) {
  if (error === undefined || error === null) return null;
  const code = errorCode(error);
  return (
    <div className="banner banner-error" role="alert" data-testid="error-banner">
      <span className="banner-text">{errorMessage(error)}</span>
      {code && <code className="banner-code">{code}</code>}
      {onDismiss && (
        <button type="button" className="btn-link" onClick={onDismiss} aria-label="Dismiss error">
          ×
        </button>
      )}
    </div>
  );
}
