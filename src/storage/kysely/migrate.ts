// Apply the forward-only migrations, each in its own transaction, at start.
import { Migrator, type Kysely, type MigrationProvider } from 'kysely';
import { UnexpectedError } from '../../domain/errors.js';
import { migrations } from './migrations/index.js';

const provider: MigrationProvider = { getMigrations: async () => migrations };

/** Migrate to the latest version, or to `target` (a migration name) when given (tests). */
export async function migrate(db: Kysely<any>, target?: string): Promise<string[]> {
  const migrator = new Migrator({ db, provider, migrationTableName: 'flywheel_migrations', migrationLockTableName: 'flywheel_migrations_lock' });
  const { error, results } = target ? await migrator.migrateTo(target) : await migrator.migrateToLatest();
  if (error) throw new UnexpectedError(`database migration failed: ${error instanceof Error ? error.message : String(error)}`, error);
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
