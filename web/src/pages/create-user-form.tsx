// Admin form to create a user; the generated password is shown once.
import { useState, type FormEvent } from 'react';
import type { UserView } from '../../../src/contracts/index.js';
import { client } from '../api.js';
import { ErrorBanner } from '../error-banner.js';
import { fieldErrors } from '../errors.js';
import { Field } from '../field.js';
import { SecretBox } from '../secret-box.js';
import { useAction } from '../use-action.js';

interface CreateUserFormProps {
  onCreated: (user: UserView) => void;
  /** Offer the instance-admin checkbox (the Users page does; a project's Members section does not). */
  allowAdmin?: boolean;
}

export function CreateUserForm({ onCreated, allowAdmin }: CreateUserFormProps) {
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [isAdmin, setIsAdmin] = useState(false);
  const [shown, setShown] = useState<{ username: string; password: string | null }>();
  const create = useAction(async () => {
    const res = await client.createUser({
      body: { username, display_name: displayName || undefined, ...(allowAdmin ? { is_admin: isAdmin } : {}) },
    });
    setShown({ username: res.user.username, password: res.password });
    setUsername('');
    setDisplayName('');
    setIsAdmin(false);
    onCreated(res.user);
  });
  const fields = fieldErrors(create.error);

  function submit(e: FormEvent) {
    e.preventDefault();
    setShown(undefined);
    void create.run();
  }

  return (
    <form className="card form" onSubmit={submit} aria-label="Create user">
      <h3>Create user</h3>
      <ErrorBanner error={create.error} />
      {shown && shown.password && (
        <SecretBox
          title={`Password for ${shown.username}`}
          value={shown.password}
          testId="user-password"
          warning="Give it to them over a safe channel. It is shown only now; an admin can reset it later."
          onDone={() => setShown(undefined)}
        />
      )}
      <div className="form-row">
        <Field label="New username" error={fields.username}>
          <input name="username" required value={username} onChange={(e) => setUsername(e.target.value)} />
        </Field>
        <Field label="Display name" error={fields.display_name}>
          <input name="display_name" value={displayName} onChange={(e) => setDisplayName(e.target.value)} />
        </Field>
        {allowAdmin && (
          <label className="check">
            <input type="checkbox" checked={isAdmin} onChange={(e) => setIsAdmin(e.target.checked)} /> Instance admin
          </label>
        )}
        <button type="submit" disabled={create.busy}>
          {create.busy ? 'Creating…' : 'Create user'}
        </button>
      </div>
    </form>
  );
}
