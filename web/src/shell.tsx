// The signed-in layout: left navigation, top bar with the user and sign-out, and the page.
import type { ReactNode } from 'react';
import { href, useRoute } from './router.js';
import { useSession } from './session.js';
import { ProjectsPage } from './pages/projects.js';
import { ProjectPage } from './pages/project.js';
import { TokensPage } from './pages/tokens.js';
import { UsersPage } from './pages/users.js';
import { InstanceAuditPage } from './pages/instance-audit.js';

function NavLink({ to, active, children }: { to: string; active: boolean; children: ReactNode }) {
  return (
    <a href={to} className={active ? 'nav-link active' : 'nav-link'} aria-current={active ? 'page' : undefined}>
      {children}
    </a>
  );
}

function NotFound() {
  return (
    <div className="page">
      <h1>Page not found</h1>
      <p>
        There is nothing at this address. <a href={href('projects')}>Go to projects</a>.
      </p>
    </div>
  );
}

function route(segments: string[], isAdmin: boolean): ReactNode {
  const [first, name, section] = segments;
  if (first === undefined || (first === 'projects' && name === undefined)) return <ProjectsPage />;
  if (first === 'projects' && name !== undefined) return <ProjectPage key={name} name={name} section={section ?? 'overview'} />;
  if (first === 'tokens') return <TokensPage />;
  if (first === 'users' && isAdmin) return <UsersPage />;
  if (first === 'audit' && isAdmin) return <InstanceAuditPage />;
  return <NotFound />;
}

export function Shell() {
  const { user, signOut } = useSession();
  const segments = useRoute();
  const top = segments[0] ?? 'projects';
  return (
    <div className="shell">
      <nav className="sidebar" aria-label="Main">
        <a className="brand" href={href('projects')}>
          <span className="brand-mark" aria-hidden="true">
            ⟳
          </span>
          Flywheel
        </a>
        <NavLink to={href('projects')} active={top === 'projects'}>
          Projects
        </NavLink>
        <NavLink to={href('tokens')} active={top === 'tokens'}>
          API tokens
        </NavLink>
        {user.is_admin && (
          <>
            <div className="nav-heading">Administration</div>
            <NavLink to={href('users')} active={top === 'users'}>
              Users
            </NavLink>
            <NavLink to={href('audit')} active={top === 'audit'}>
              Audit log
            </NavLink>
          </>
        )}
      </nav>
      <div className="main">
        <header className="topbar">
          <div className="topbar-spacer" />
          <div className="whoami" data-testid="whoami">
            <span className="whoami-name">{user.display_name || user.username}</span>
            <span className="muted">@{user.username}</span>
            {user.is_admin && <span className="badge badge-info">admin</span>}
          </div>
          <button type="button" className="btn-secondary" onClick={signOut}>
            Sign out
          </button>
        </header>
        <main className="content">{route(segments, user.is_admin)}</main>
      </div>
    </div>
  );
}
