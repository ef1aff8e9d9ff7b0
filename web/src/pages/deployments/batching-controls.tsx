// Micro-batching of one deployment: rows per model run at most (1 turns it off) and the longest a
// request waits behind a running batch, applied at once (the binding history is not touched).
import { useState, type FormEvent } from 'react';
import type { DeploymentView } from '../../../../src/contracts/index.js';
import { client } from '../../api.js';
import { ErrorBanner } from '../../error-banner.js';
import { Field } from '../../field.js';
import { useAction } from '../../use-action.js';

export function BatchingControls({ project, deployment: d, onChanged }: { project: string; deployment: DeploymentView; onChanged: () => void }) {
  const [maxRows, setMaxRows] = useState(String(d.batching.max_rows));
  const [maxDelay, setMaxDelay] = useState(String(d.batching.max_delay_ms));
  const apply = useAction(async (batching: { max_rows: number; max_delay_ms: number }) => {
    await client.updateDeployment({ params: { project, deployment: d.name }, body: { batching, reason: 'changed in the web UI' } });
    onChanged();
  });
  const rows = Number(maxRows);
  const delay = Number(maxDelay);
  const rowsError = maxRows === '' || !Number.isInteger(rows) || rows < 1 || rows > 10_000 ? 'a whole number from 1 (off) to 10,000' : undefined;
  const delayError = maxDelay === '' || !Number.isInteger(delay) || delay < 0 || delay > 1000 ? 'a whole number of ms from 0 to 1,000' : undefined;

  function submit(e: FormEvent) {
    e.preventDefault();
    if (rowsError || delayError) return;
    void apply.run({ max_rows: rows, max_delay_ms: delay });
  }

  return (
    <form className="form card" onSubmit={submit} aria-label="Micro-batching" data-testid="batching-controls">
      <ErrorBanner error={apply.error} onDismiss={apply.clear} />
      <p className="muted">
        Concurrent requests are coalesced into one model run and split back; a lone request never waits. Now:{' '}
        <strong data-testid="batching-fact">{d.batching.max_rows <= 1 ? 'off' : `up to ${d.batching.max_rows} rows a run, at most ${d.batching.max_delay_ms} ms behind a running batch`}</strong>.
      </p>
      <div className="form-row">
        <Field label="Max rows per run" hint="1 turns batching off" error={rowsError}>
          <input type="number" min={1} max={10_000} value={maxRows} onChange={(e) => setMaxRows(e.target.value)} />
        </Field>
        <Field label="Max delay (ms)" hint="longest wait behind a running batch" error={delayError}>
          <input type="number" min={0} max={1000} value={maxDelay} onChange={(e) => setMaxDelay(e.target.value)} />
        </Field>
        <button type="submit" className="btn-primary" disabled={apply.busy || !!rowsError || !!delayError}>
          Apply batching
        </button>
      </div>
    </form>
  );
}
