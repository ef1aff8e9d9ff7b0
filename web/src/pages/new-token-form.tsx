// The form that creates an API token; the secret is shown once, with a warning.
import { useState, type FormEvent } from 'react';
import { TOKEN_ROLES, type TokenRole } from '../../../src/domain/roles.js';
import { client } from '../api.js';
import { ErrorBanner } from '../error-banner.js';
import { fieldErrors } from '../errors.js';
import { Field } from '../field.js';
import { SecretBox } from '../secret-box.js';
import { useSession } from '../session.js';
import { useAction } from '../use-action.js';

export function NewTokenForm({ onCreated }: { onCreated: () => void }) {
  const isAdmin = useSession().user.is_admin;
  const [name, setName] = useState('');
  const [user, setUser] = useState('');
  const [role, setRole] = useState<TokenRole>('viewer');
  const [project, setProject] = useState('');
  const [days, setDays] = useState('');
  const [secret, setSecret] = useState<{ name: string; username: string; secret: string }>();

  const create = useAction(async () => {
    const res = await client.createToken({
      body: {
        name: name.trim(),
        role,
        user: user.trim() || undefined,
        project: project.trim() || undefined,
        expires_in_days: days.trim() ? Number(days) : undefined,
      },
    });
    setSecret({ name: res.token.name, username: res.token.username, secret: res.secret });
    setName('');
    setUser('');
    setProject('');
    setDays('');
    onCreated();
  });
  const fields = fieldErrors(create.error);

  function submit(e: FormEvent) {
    e.preventDefault();
    setSecret(undefined);
    void create.run();
  }

  return (
    <form className="card form" onSubmit={submit} aria-label="New token">
      <h2>New token</h2>
      <ErrorBanner error={create.error} />
      {secret && (
        <SecretBox
          title={`Secret of token “${secret.name}” for @${secret.username}`}
          value={secret.secret}
          testId="token-secret"
          warning="Copy it now: it is shown only once and Flywheel keeps only its hash. Use it as Authorization: Bearer <secret>, FLYWHEEL_TOKEN or MLFLOW_TRACKING_TOKEN."
          onDone={() => setSecret(undefined)}
        />
      )}
      <div className="form-row">
        <Field label="Token name" error={fields.name}>
          <input name="name" required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} />
        </Field>
        <Field label="Role" error={fields.role}>
          <select name="role" value={role} onChange={(e) => setRole(e.target.value as TokenRole)}>
            {TOKEN_ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </Field>
        {isAdmin && (
          <Field label="For user" error={fields.user}>
            <input name="user" placeholder="yourself" value={user} onChange={(e) => setUser(e.target.value)} />
          </Field>
        )}
        <Field label="Project" error={fields.project}>
          <input name="project" placeholder="any project" value={project} onChange={(e) => setProject(e.target.value)} />
        </Field>
        <Field label="Expires after (days)" error={fields.expires_in_days}>
          <input
            name="expires_in_days"
            type="number"
            min={1}
            max={3650}
            placeholder="never"
            value={days}
            onChange={(e) => setDays(e.target.value)}
          />
        </Field>
        <button type="submit" className="btn-primary" disabled={create.busy}>
          {create.busy ? 'Creating…' : 'Create token'}
        </button>
      </div>
    </form>
  );
}
