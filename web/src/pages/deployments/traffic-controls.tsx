// Traffic of one deployment: a canary (a version and its share of the requests, slider or
// number, then Apply), a shadow version that gets a mirror of every request, and an instant
// rollback to the binding before the latest change (confirmed with a second click).
import { useState, type FormEvent } from 'react';
import type { DeploymentView, ModelVersionView } from '../../../../src/contracts/index.js';
import { client } from '../../api.js';
import { ConfirmButton } from '../../confirm-button.js';
import { ErrorBanner } from '../../error-banner.js';
import { Field } from '../../field.js';
import { useAction } from '../../use-action.js';

const versionLabel = (v: ModelVersionView) => `v${v.version}${v.aliases.length ? ` (${v.aliases.join(', ')})` : ''}`;

export function TrafficControls({ project, deployment: d, versions, onChanged }: { project: string; deployment: DeploymentView; versions: ModelVersionView[]; onChanged: () => void }) {
  const params = { project, deployment: d.name };
  const others = versions.filter((v) => v.version !== d.serving_version);
  const [canaryVersion, setCanaryVersion] = useState<string>(String(d.canary_version ?? others[0]?.version ?? ''));
  const [percent, setPercent] = useState<number>(d.canary?.percent ?? 10);
  const [shadowVersion, setShadowVersion] = useState<string>(d.shadow_version ? String(d.shadow_version) : '');
  const change = useAction(async (body: Parameters<typeof client.updateDeployment>[0]['body']) => {
    await client.updateDeployment({ params, body: { ...body, reason: 'changed in the web UI' } });
    onChanged();
  });
  const rollback = useAction(async () => {
    await client.rollbackDeployment({ params, body: { reason: 'rolled back in the web UI' } });
    onChanged();
  });

  function applyCanary(e: FormEvent) {
    e.preventDefault();
    if (!canaryVersion) return;
    void change.run({ canary: { version: Number(canaryVersion), percent } });
  }

  function applyShadow(e: FormEvent) {
    e.preventDefault();
    void change.run({ shadow: shadowVersion ? { version: Number(shadowVersion) } : null });
  }

  const setShare = (value: string) => setPercent(Math.min(99, Math.max(1, Math.round(Number(value) || 1))));
  return (
    <div className="card traffic" data-testid="traffic-controls">
      <ErrorBanner error={change.error ?? rollback.error} onDismiss={() => (change.clear(), rollback.clear())} />
      <form className="form" onSubmit={applyCanary} aria-label="Canary">
        <div className="form-row">
        <Field label="Canary version">
          <select value={canaryVersion} onChange={(e) => setCanaryVersion(e.target.value)}>
            {versions.map((v) => (
              <option key={v.id} value={v.version}>
                {versionLabel(v)}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Canary share (slider)">
          <input type="range" min={1} max={99} value={percent} onChange={(e) => setShare(e.target.value)} />
        </Field>
        <Field label="Canary percent">
          <input type="number" min={1} max={99} value={percent} onChange={(e) => setShare(e.target.value)} />
        </Field>
        <button type="submit" className="btn-primary" disabled={change.busy || !canaryVersion}>
          Apply canary
        </button>
        {d.canary && (
          <button type="button" className="btn-secondary" disabled={change.busy} onClick={() => void change.run({ canary: null })}>
            Remove canary
          </button>
        )}
        </div>
      </form>
      <form className="form" onSubmit={applyShadow} aria-label="Shadow">
        <div className="form-row">
        <Field label="Shadow version" hint="Gets a mirror of every request; its answers are logged, never returned.">
          <select value={shadowVersion} onChange={(e) => setShadowVersion(e.target.value)}>
            <option value="">none</option>
            {versions.map((v) => (
              <option key={v.id} value={v.version}>
                {versionLabel(v)}
              </option>
            ))}
          </select>
        </Field>
        <button type="submit" className="btn-primary" disabled={change.busy}>
          Apply shadow
        </button>
        </div>
      </form>
      <div className="form-row traffic-rollback">
        <p className="muted">Roll back returns the deployment to its binding before the latest change, at once.</p>
        <ConfirmButton label="Roll back" ariaLabel={`Roll back ${d.name}`} disabled={rollback.busy} onConfirm={() => void rollback.run()} />
      </div>
    </div>
  );
}
