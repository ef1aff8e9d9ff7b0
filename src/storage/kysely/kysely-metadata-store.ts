// The metadata store on Kysely (SQLite or PostgreSQL): repositories bound to the database or to
// one transaction, and openMetadataStore(url) which connects and migrates.
import { sql, type Kysely } from 'kysely';
import type { MetadataStore, Repositories } from '../../domain/ports/metadata-store.js';
import { connect, type Connected, type Dialect } from './connect.js';
import { KyselyAuditRepository } from './kysely-audit.repository.js';
import { KyselyMemberRepository } from './kysely-member.repository.js';
import { KyselyProjectRepository } from './kysely-project.repository.js';
import { KyselySecretRepository } from './kysely-secret.repository.js';
import { KyselySessionRepository } from './kysely-session.repository.js';
import { KyselyTokenRepository } from './kysely-token.repository.js';
import { KyselyUserRepository } from './kysely-user.repository.js';
import { migrate } from './migrate.js';
import type { Database } from './schema.js';

/** Every repository, bound to `db` (the database itself or a transaction). */
export function repositoriesOf(db: Kysely<Database>, dialect: Dialect): Repositories {
  return {
    users: new KyselyUserRepository(db),
    sessions: new KyselySessionRepository(db),
    tokens: new KyselyTokenRepository(db),
    projects: new KyselyProjectRepository(db),
    members: new KyselyMemberRepository(db),
    audit: new KyselyAuditRepository(db, dialect),
    secrets: new KyselySecretRepository(db),
  };
}

export class KyselyMetadataStore implements MetadataStore {
  /** The shared Kysely instance (the job queue adapter uses it too). */
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
  readonly users: Repositories['users'];
  readonly sessions: Repositories['sessions'];
  readonly tokens: Repositories['tokens'];
  readonly projects: Repositories['projects'];
  readonly members: Repositories['members'];
  readonly audit: Repositories['audit'];
  readonly secrets: Repositories['secrets'];

  constructor(connected: Connected) {
    this.db = connected.db;
    this.dialect = connected.dialect;
    const repos = repositoriesOf(this.db, this.dialect);
    this.users = repos.users;
    this.sessions = repos.sessions;
    this.tokens = repos.tokens;
    this.projects = repos.projects;
    this.members = repos.members;
    this.audit = repos.audit;
    this.secrets = repos.secrets;
  }

  transaction<T>(fn: (tx: Repositories) => Promise<T>): Promise<T> {
    return this.db.transaction().execute((trx) => fn(repositoriesOf(trx, this.dialect)));
  }

  async ping(): Promise<void> {
    await sql`select 1`.execute(this.db);
  }

  close(): Promise<void> {
    return this.db.destroy();
  }
}

/**
 * Connect to `url` (sqlite:… or postgres://…) and, unless `migrate: false`, apply the migrations.
 * Example: `const store = await openMetadataStore('sqlite:/data/flywheel.db')`.
 */
export async function openMetadataStore(url: string, opts: { migrate?: boolean } = {}): Promise<KyselyMetadataStore> {
  const connected = await connect(url);
  try {
    if (opts.migrate ?? true) await migrate(connected.db);
  } catch (err) {
    await connected.db.destroy();
    throw err;
  }
  return new KyselyMetadataStore(connected);
}
