// The sign-in page: username and password; the server's message on failure.
import { useState, type FormEvent } from 'react';
import type { UserView } from '../../../src/contracts/index.js';
import { client } from '../api.js';
import { ErrorBanner } from '../error-banner.js';
import { Field } from '../field.js';
import { useAction } from '../use-action.js';

export function SignIn({ onSignedIn }: { onSignedIn: (user: UserView) => void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const signIn = useAction(async () => {
    const res = await client.login({ body: { username, password } });
    onSignedIn(res.user);
  });

  function submit(e: FormEvent) {
    e.preventDefault();
    void signIn.run();
  }

  return (
    <div className="center">
      <form className="card narrow signin" onSubmit={submit} aria-label="Sign in">
        <div className="brand signin-brand">
          <span className="brand-mark" aria-hidden="true">
            ⟳
          </span>
          Flywheel
        </div>
        <h1>Sign in</h1>
        <ErrorBanner error={signIn.error} />
        <Field label="Username">
          <input
            name="username"
            autoComplete="username"
            autoFocus
            required
            value={username}
            onChange={(e) => setUsername(e.target.value)}
          />
        </Field>
        <Field label="Password">
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </Field>
        <button type="submit" className="btn-primary" disabled={signIn.busy}>
          {signIn.busy ? 'Signing in…' : 'Sign in'}
        </button>
        <p className="muted small">
          Lost the admin password? Run <code>flywheel user reset-password USER</code> on the server.
        </p>
      </form>
    </div>
  );
}
