// A value shown once (a token secret, a generated password), with a copy button and a warning.
import { useState } from 'react';

interface SecretBoxProps {
  title: string;
  value: string;
  warning: string;
  testId: string;
  onDone?: () => void;
}

export function SecretBox({ title, value, warning, testId, onDone }: SecretBoxProps) {
  const [copied, setCopied] = useState(false);
  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  }
  return (
    <div className="secret" role="status">
      <div className="secret-title">{title}</div>
      <div className="secret-row">
        <code className="secret-value" data-testid={testId}>
          {value}
        </code>
        <button type="button" onClick={copy}>
          {copied ? 'Copied' : 'Copy'}
        </button>
      </div>
      <p className="secret-warning">{warning}</p>
      {onDone && (
        <button type="button" className="btn-link" onClick={onDone}>
          I have stored it — hide
        </button>
      )}
    </div>
  );
}
