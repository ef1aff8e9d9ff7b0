// A project's members: the list, add or change a role, remove; admins can also create users.
import { useState, type FormEvent } from 'react';
import type { MemberView, ProjectView } from '../../../src/contracts/index.js';
import { PROJECT_ROLES, type ProjectRole } from '../../../src/domain/roles.js';
import { client } from '../api.js';
import { Badge } from '../badge.js';
import { ConfirmButton } from '../confirm-button.js';
import { ErrorBanner } from '../error-banner.js';
import { fieldErrors } from '../errors.js';
import { Field } from '../field.js';
import { formatTime } from '../format.js';
import { PagedList, type Column } from '../paged-list.js';
import { useSession } from '../session.js';
import { useAction } from '../use-action.js';
import { CreateUserForm } from './create-user-form.js';

export function MembersSection({ project }: { project: ProjectView }) {
  const { user } = useSession();
  const name = project.name;
  const canManage = project.my_actions.includes('member.manage');
  const [username, setUsername] = useState('');
  const [role, setRole] = useState<ProjectRole>('viewer');
  const [reloadKey, setReloadKey] = useState(0);
  const [saved, setSaved] = useState<string>();

  const put = useAction(async () => {
    const m = await client.putMember({ params: { project: name, user: username.trim() }, body: { role } });
    setSaved(`${m.username} is now ${m.role}.`);
    setUsername('');
    setReloadKey((k) => k + 1);
  });
  const remove = useAction(async (member: string) => {
    await client.removeMember({ params: { project: name, user: member } });
    setSaved(`${member} was removed.`);
    setReloadKey((k) => k + 1);
  });
  const fields = fieldErrors(put.error);

  function submit(e: FormEvent) {
    e.preventDefault();
    setSaved(undefined);
    void put.run();
  }

  const columns: Column<MemberView>[] = [
    { header: 'Username', cell: (m) => m.username },
    { header: 'Display name', cell: (m) => m.display_name || <span className="muted">—</span> },
    { header: 'Role', cell: (m) => <Badge value={m.role} tone="plain" /> },
    { header: 'Added', cell: (m) => formatTime(m.added_at), className: 'nowrap' },
  ];
  if (canManage)
    columns.push({
      header: '',
      cell: (m) => (
        <span className="row-actions">
          <button type="button" className="btn-small" onClick={() => (setUsername(m.username), setRole(m.role))}>
            Change role
          </button>
          <ConfirmButton
            label="Remove"
            ariaLabel={`Remove ${m.username}`}
            disabled={remove.busy}
            onConfirm={() => (setSaved(undefined), void remove.run(m.username))}
          />
        </span>
      ),
    });

  return (
    <section aria-labelledby="members-title">
      <h2 id="members-title">Members</h2>
      <p className="lead">Who may work in this project, and in which role.</p>
      {canManage && (
        <form className="card form" onSubmit={submit} aria-label="Add member">
          <h3>Add a member or change a role</h3>
          <ErrorBanner error={put.error} />
          <div className="form-row">
            <Field label="Username" error={fields.user}>
              <input name="member" required value={username} onChange={(e) => setUsername(e.target.value)} />
            </Field>
            <Field label="Role" error={fields.role}>
              <select name="role" value={role} onChange={(e) => setRole(e.target.value as ProjectRole)}>
                {PROJECT_ROLES.map((r) => (
                  <option key={r} value={r}>
                    {r}
                  </option>
                ))}
              </select>
            </Field>
            <button type="submit" className="btn-primary" disabled={put.busy}>
              {put.busy ? 'Saving…' : 'Save member'}
            </button>
          </div>
        </form>
      )}
      {user.is_admin && <CreateUserForm onCreated={(u) => setUsername(u.username)} />}
      {saved && (
        <div className="banner banner-ok" role="status">
          {saved}
        </div>
      )}
      <ErrorBanner error={remove.error} onDismiss={remove.clear} />
      <PagedList
        testId="member-list"
        label="Members"
        loader={(cursor) => client.listMembers({ params: { project: name }, query: { cursor: cursor ?? undefined } })}
        columns={columns}
        rowKey={(m) => m.user_id}
        reloadKey={reloadKey}
        empty={<strong>No members.</strong>}
      />
    </section>
  );
}
