// A migration's test on every database target: one describe block per target, whose tests start
// from a fresh database migrated up to the migration before the one under test (closed after
// each test), so they can seed rows in the old shape and migrate on.
import { afterEach, describe } from 'vitest';
import { connect, type Connected } from '../../src/storage/kysely/connect.js';
import { migrate } from '../../src/storage/kysely/migrate.js';
import { databaseTargets } from './databases.js';

/** `before(id)`: a fresh database on the block's target, migrated up to migration `id`. */
export function describeMigration(name: string, body: (before: (id: string) => Promise<Connected>) => void): void {
  for (const target of databaseTargets) {
    describe.skipIf(!target.available)(`migration ${name} on ${target.name}${target.skipReason ? ` (skipped: ${target.skipReason})` : ''}`, () => {
      let conn: Connected | undefined;
      afterEach(async () => {
        await conn?.db.destroy();
        conn = undefined;
      });
      body(async (id) => {
        conn = await connect(await target.freshUrl());
        await migrate(conn.db, id);
        return conn;
      });
    });
  }
}
