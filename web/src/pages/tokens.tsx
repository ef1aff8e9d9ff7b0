// The caller's API tokens: list, create (secret shown once), revoke.
import { useState } from 'react';
import type { TokenView } from '../../../src/contracts/index.js';
import { client } from '../api.js';
import { Badge } from '../badge.js';
import { ConfirmButton } from '../confirm-button.js';
import { ErrorBanner } from '../error-banner.js';
import { dash, formatTime } from '../format.js';
import { PagedList, type Column } from '../paged-list.js';
import { useAction } from '../use-action.js';
import { NewTokenForm } from './new-token-form.js';

function state(t: TokenView): string {
  if (t.revoked_at !== null) return 'revoked';
  if (t.expires_at !== null && t.expires_at <= Date.now()) return 'expired';
  return 'active';
}

export function TokensPage() {
  const [reloadKey, setReloadKey] = useState(0);
  const revoke = useAction(async (id: string) => {
    await client.revokeToken({ params: { token: id } });
    setReloadKey((k) => k + 1);
  });

  const columns: Column<TokenView>[] = [
    { header: 'Name', cell: (t) => t.name },
    { header: 'Role', cell: (t) => <Badge value={t.role} tone="plain" /> },
    { header: 'Project', cell: (t) => dash(t.project) },
    { header: 'Prefix', cell: (t) => <code>{t.prefix}…</code> },
    { header: 'Created', cell: (t) => formatTime(t.created_at), className: 'nowrap' },
    { header: 'Expires', cell: (t) => (t.expires_at === null ? 'never' : formatTime(t.expires_at)), className: 'nowrap' },
    { header: 'Last used', cell: (t) => (t.last_used_at === null ? 'never' : formatTime(t.last_used_at)), className: 'nowrap' },
    {
      header: 'Status',
      cell: (t) => (
        <span className="row-actions">
          <Badge value={state(t)} />
          {t.revoked_at !== null && <span className="muted">{formatTime(t.revoked_at)}</span>}
        </span>
      ),
      className: 'nowrap',
    },
    {
      header: '',
      cell: (t) =>
        t.revoked_at === null ? (
          <ConfirmButton
            label="Revoke"
            ariaLabel={`Revoke ${t.name}`}
            disabled={revoke.busy}
            onConfirm={() => void revoke.run(t.id)}
          />
        ) : null,
    },
  ];

  return (
    <div className="page">
      <div className="page-head">
        <h1>API tokens</h1>
      </div>
      <p className="lead">
        Tokens let the CLI, scripts, CI and MLflow clients act as you, limited to a role and optionally to one project.
      </p>
      <NewTokenForm onCreated={() => setReloadKey((k) => k + 1)} />
      <ErrorBanner error={revoke.error} onDismiss={revoke.clear} />
      <PagedList
        testId="token-list"
        label="API tokens"
        loader={(cursor) => client.listTokens({ query: { cursor: cursor ?? undefined } })}
        columns={columns}
        rowKey={(t) => t.id}
        reloadKey={reloadKey}
        rowClass={(t) => (t.revoked_at !== null ? 'row-muted' : undefined)}
        empty={
          <>
            <strong>No tokens yet.</strong> Create one above, then use it as <code>FLYWHEEL_TOKEN</code> with the CLI.
          </>
        }
      />
    </div>
  );
}
