// "Try it": post one JSON row to the deployment and show the label and class probabilities (a
// regression model's predicted value).
// The row starts with the model's features (0 for numbers, "" for categories).
import { useState, type FormEvent } from 'react';
import type { ModelVersionView } from '../../../../src/contracts/index.js';
import { client } from '../../api.js';
import { ErrorBanner } from '../../error-banner.js';
import { Field } from '../../field.js';
import { useAction } from '../../use-action.js';

type Result = Awaited<ReturnType<typeof client.predict>>;

function templateRow(version: ModelVersionView): string {
  const row = Object.fromEntries(version.features.map((f) => [f.name, f.kind === 'numeric' ? 0 : '']));
  return JSON.stringify(row, null, 2);
}

export function TryItForm({ deployment, version }: { deployment: string; version: ModelVersionView }) {
  const [text, setText] = useState(() => templateRow(version));
  const [parseError, setParseError] = useState<string>();
  const [result, setResult] = useState<Result>();
  const send = useAction(async (row: unknown) => setResult(await client.predict({ params: { deployment }, body: { rows: [row] } })));

  function submit(e: FormEvent) {
    e.preventDefault();
    let row: unknown;
    try {
      row = JSON.parse(text);
    } catch (err) {
      return setParseError(`Not JSON: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (typeof row !== 'object' || row === null || Array.isArray(row)) return setParseError('Give one row: a JSON object of feature values.');
    setParseError(undefined);
    void send.run(row);
  }

  const prediction = result?.predictions[0];
  const classPrediction = prediction && 'label' in prediction ? prediction : undefined;
  const ranked = classPrediction ? Object.entries(classPrediction.probabilities).sort((a, b) => b[1] - a[1]) : [];
  return (
    <div className="card try-it" data-testid="try-it">
      <form className="form" onSubmit={submit}>
        <Field label="One row (JSON)" error={parseError} hint="Predictions made here are logged like any other.">
          <textarea rows={Math.min(12, version.features.length + 2)} value={text} onChange={(e) => setText(e.target.value)} spellCheck={false} className="mono" />
        </Field>
        <div className="form-actions">
          <button type="submit" className="btn-primary" disabled={send.busy}>
            {send.busy ? 'Predicting…' : 'Predict'}
          </button>
        </div>
      </form>
      <ErrorBanner error={send.error} onDismiss={send.clear} />
      {result && prediction && 'value' in prediction && (
        <div className="prediction" data-testid="prediction-result" aria-live="polite">
          <p>
            <span className="muted small">predicted value</span> <strong>{prediction.value ?? '—'}</strong> <span className="muted small">from {result.model} v{result.model_version}</span>
          </p>
        </div>
      )}
      {result && classPrediction && (
        <div className="prediction" data-testid="prediction-result" aria-live="polite">
          <p>
            <strong>{classPrediction.label}</strong> <span className="muted small">from {result.model} v{result.model_version}</span>
          </p>
          <table aria-label="Class probabilities">
            <tbody>
              {ranked.map(([label, p]) => (
                <tr key={label}>
                  <td>{label}</td>
                  <td className="num">{(p * 100).toFixed(1)}%</td>
                  <td className="prob-cell">
                    <span className="prob-bar" style={{ width: `${Math.round(p * 100)}%` }} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
