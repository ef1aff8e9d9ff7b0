// Users of the instance (admin): list, create, reset a password (shown once), disable.
import { useState } from 'react';
import type { UserView } from '../../../src/contracts/index.js';
import { client } from '../api.js';
import { Badge } from '../badge.js';
import { ErrorBanner } from '../error-banner.js';
import { formatTime } from '../format.js';
import { PagedList, type Column } from '../paged-list.js';
import { SecretBox } from '../secret-box.js';
import { useSession } from '../session.js';
import { useAction } from '../use-action.js';
import { CreateUserForm } from './create-user-form.js';

export function UsersPage() {
  const me = useSession().user;
  const [reloadKey, setReloadKey] = useState(0);
  const [reset, setReset] = useState<{ username: string; password: string }>();
  const reload = () => setReloadKey((k) => k + 1);

  const resetPassword = useAction(async (username: string) => {
    setReset(undefined);
    const res = await client.resetPassword({ params: { user: username } });
    setReset({ username: res.user.username, password: res.password });
  });
  const setDisabled = useAction(async (username: string, disabled: boolean) => {
    await client.updateUser({ params: { user: username }, body: { disabled } });
    reload();
  });

  const columns: Column<UserView>[] = [
    { header: 'Username', cell: (u) => u.username },
    { header: 'Display name', cell: (u) => u.display_name || <span className="muted">—</span> },
    {
      header: 'Status',
      cell: (u) => (
        <span className="row-actions">
          {u.is_admin && <Badge value="admin" />}
          <Badge value={u.disabled ? 'disabled' : 'active'} />
        </span>
      ),
    },
    { header: 'Created', cell: (u) => formatTime(u.created_at), className: 'nowrap' },
    {
      header: '',
      cell: (u) => (
        <span className="row-actions">
          <button
            type="button"
            className="btn-small"
            disabled={resetPassword.busy}
            aria-label={`Reset password of ${u.username}`}
            onClick={() => void resetPassword.run(u.username)}
          >
            Reset password
          </button>
          {u.id !== me.id && (
            <button
              type="button"
              className="btn-small"
              disabled={setDisabled.busy}
              onClick={() => void setDisabled.run(u.username, !u.disabled)}
            >
              {u.disabled ? 'Enable' : 'Disable'}
            </button>
          )}
        </span>
      ),
    },
  ];

  return (
    <div className="page">
      <div className="page-head">
        <h1>Users</h1>
      </div>
      <p className="lead">People who can sign in. Add them to projects from a project&apos;s Members section.</p>
      <CreateUserForm allowAdmin onCreated={reload} />
      <ErrorBanner error={resetPassword.error ?? setDisabled.error} />
      {reset && (
        <SecretBox
          title={`New password for ${reset.username}`}
          value={reset.password}
          testId="reset-password"
          warning="Shown only now. Their other sessions have been ended."
          onDone={() => setReset(undefined)}
        />
      )}
      <PagedList
        testId="user-list"
        label="Users"
        loader={(cursor) => client.listUsers({ query: { cursor: cursor ?? undefined } })}
        columns={columns}
        rowKey={(u) => u.id}
        reloadKey={reloadKey}
        rowClass={(u) => (u.disabled ? 'row-muted' : undefined)}
        empty={<strong>No users.</strong>}
      />
    </div>
  );
}
