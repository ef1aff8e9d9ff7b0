// The root: asks who is signed in, then shows the sign-in page or the shell.
import { useEffect, useMemo, useState } from 'react';
import type { UserView } from '../../src/contracts/index.js';
import { client, SIGNED_OUT_EVENT } from './api.js';
import { ErrorBanner } from './error-banner.js';
import { errorCode } from './errors.js';
import { SessionContext } from './session.js';
import { Shell } from './shell.js';
import { SignIn } from './pages/sign-in.js';

type State = { status: 'loading' } | { status: 'out' } | { status: 'in'; user: UserView } | { status: 'error'; error: unknown };

export function App() {
  const [state, setState] = useState<State>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let live = true;
    client.me().then(
      (me) => live && setState({ status: 'in', user: me.user }),
      (err: unknown) => live && setState(errorCode(err) === 'unauthenticated' ? { status: 'out' } : { status: 'error', error: err }),
    );
    return () => {
      live = false;
    };
  }, [attempt]);

  useEffect(() => {
    const onSignedOut = () => setState({ status: 'out' });
    window.addEventListener(SIGNED_OUT_EVENT, onSignedOut);
    return () => window.removeEventListener(SIGNED_OUT_EVENT, onSignedOut);
  }, []);

  const session = useMemo(
    () =>
      state.status === 'in'
        ? {
            user: state.user,
            signOut: () => {
              client.logout().finally(() => setState({ status: 'out' }));
            },
          }
        : null,
    [state],
  );

  if (state.status === 'loading') return <div className="center muted">Loading…</div>;
  if (state.status === 'error')
    return (
      <div className="center">
        <div className="card narrow">
          <h1>Flywheel is not reachable</h1>
          <ErrorBanner error={state.error} />
          <button type="button" onClick={() => setAttempt((n) => n + 1)}>
            Try again
          </button>
        </div>
      </div>
    );
  if (state.status === 'out' || !session) return <SignIn onSignedIn={(user) => setState({ status: 'in', user })} />;
  return (
    <SessionContext.Provider value={session}>
      <Shell />
    </SessionContext.Provider>
  );
}
