// One registered model: its versions (metrics, gate result, lineage, aliases) newest first,
// a button to make a version the champion, the retraining decisions about it, and the history of
// every alias move.
import { useState } from 'react';
import type { AliasChangeView, ModelVersionView, ProjectView } from '../../../../src/contracts/index.js';
import { client } from '../../api.js';
import { ErrorBanner } from '../../error-banner.js';
import { formatTime } from '../../format.js';
import { PagedList, type Column } from '../../paged-list.js';
import { href } from '../../router.js';
import { useAction } from '../../use-action.js';
import { Field } from '../../field.js';
import { AppError } from '../../../../src/domain/errors.js';
import { AliasChips } from './alias-chips.js';
import { MetricLines } from './metric-lines.js';
import { RetrainingDecisions } from './retraining-decisions.js';
import { VersionGate } from './version-gate.js';

export function ModelPage({ project, model }: { project: ProjectView; model: string }) {
  const name = project.name;
  const canPromote = project.my_actions.includes('model.promote');
  const canOverride = project.my_actions.includes('model.gate-override');
  const [reloadKey, setReloadKey] = useState(0);
  // A promotion refused by the KPI gate (409): admins and owners may override it with a reason.
  const [blocked, setBlocked] = useState<number | null>(null);
  const [overrideReason, setOverrideReason] = useState('');
  const promote = useAction(async (version: number, override?: boolean) => {
    try {
      await client.setModelAlias({
        params: { project: name, model, alias: 'champion' },
        body: { version, reason: override ? overrideReason : 'promoted in the web UI', override_gate: override || undefined },
      });
    } catch (err) {
      setBlocked(err instanceof AppError && err.code === 'conflict' ? version : null);
      throw err;
    }
    setBlocked(null);
    setReloadKey((k) => k + 1);
  });

  const versions: Column<ModelVersionView>[] = [
    {
      header: 'Version',
      cell: (v) => (
        <>
          <strong>v{v.version}</strong>
          {v.task === 'regression' && (
            <span className="muted small" title="A regression model: it predicts a number, judged by RMSE, MAE, R² and MAPE">
              {' '}
              regression
            </span>
          )}
        </>
      ),
      className: 'num',
    },
    { header: 'Aliases', cell: (v) => <AliasChips aliases={v.aliases} /> },
    { header: 'Metrics', cell: (v) => <MetricLines metrics={v.metrics} /> },
    { header: 'Gate', cell: (v) => (v.gate ? <VersionGate gate={v.gate} /> : '—') },
    { header: 'Features', cell: (v) => <span className="small">{v.features.map((f) => f.name).join(', ')}</span> },
    {
      header: 'Run',
      cell: (v) =>
        v.run_id ? (
          <a href={href('projects', name, 'experiments', v.run_id)}>
            <code className="small">{v.run_id.slice(0, 8)}</code>
          </a>
        ) : (
          '—'
        ),
    },
    { header: 'Registered', cell: (v) => formatTime(v.created_at) },
    {
      header: 'Card',
      cell: (v) => (
        <a href={href('projects', name, 'models', model, 'versions', String(v.version), 'card')} aria-label={`Model card of v${v.version}`}>
          Model card
        </a>
      ),
    },
    {
      header: '',
      cell: (v) =>
        v.aliases.includes('champion') || !canPromote ? null : (
          <button type="button" className="btn-small" disabled={promote.busy} onClick={() => void promote.run(v.version)} aria-label={`Make v${v.version} champion`}>
            Make champion
          </button>
        ),
    },
  ];

  const history: Column<AliasChangeView>[] = [
    { header: 'When', cell: (h) => formatTime(h.at), className: 'nowrap' },
    { header: 'Alias', cell: (h) => <span className="label-chip">{h.alias}</span> },
    { header: 'Change', cell: (h) => (h.previous_version === null ? `set to v${h.version}` : `v${h.previous_version} → v${h.version}`), className: 'nowrap' },
    { header: 'Who', cell: (h) => h.who_name },
    { header: 'Reason', cell: (h) => h.reason || <span className="muted">—</span> },
  ];

  return (
    <section aria-labelledby="model-title">
      <div className="crumbs">
        <a href={href('projects', name, 'models')}>Models</a> / <span>{model}</span>
      </div>
      <h2 id="model-title">{model}</h2>
      <p className="lead">Versions newest first. Deployments that follow an alias switch as soon as the alias moves.</p>
      <ErrorBanner error={promote.error} onDismiss={promote.clear} />
      {blocked !== null && canOverride && (
        <form
          className="form card"
          aria-label="Override the KPI gate"
          onSubmit={(e) => {
            e.preventDefault();
            void promote.run(blocked, true);
          }}
        >
          <div className="form-row">
            <Field label="Reason to override the gate" hint="Kept in the alias history and the audit log.">
              <input value={overrideReason} onChange={(e) => setOverrideReason(e.target.value)} />
            </Field>
            <button type="submit" className="btn-danger" disabled={promote.busy || !overrideReason.trim()}>
              Override gate: make v{blocked} champion
            </button>
          </div>
        </form>
      )}
      <div className="compact-versions">
        <PagedList
          testId="model-versions"
          label="Versions"
          loader={(cursor) => client.listModelVersions({ params: { project: name, model }, query: { cursor: cursor ?? undefined } })}
          columns={versions}
          rowKey={(v) => v.id}
          reloadKey={reloadKey}
          empty={<strong>This model has no versions.</strong>}
        />
      </div>
      <h3>Retraining decisions</h3>
      <RetrainingDecisions project={name} model={model} />
      <h3>Alias history</h3>
      <PagedList
        testId="alias-history"
        label="Alias history"
        loader={(cursor) => client.listAliasHistory({ params: { project: name, model }, query: { cursor: cursor ?? undefined } })}
        columns={history}
        rowKey={(h) => h.id}
        reloadKey={reloadKey}
        empty={
          <>
            No alias has been set yet. Point <code>champion</code> at a version with <code>flywheel models alias {model} champion N</code>.
          </>
        }
      />
    </section>
  );
}
