// Migrations upgrade a database made by an earlier schema without losing data, on every target.
import { afterEach, describe, expect, it } from 'vitest';
import { databaseTargets } from '../../../test/support/databases.js';
import { newId } from '../../domain/ids.js';
import { connect, type Connected } from './connect.js';
import { migrate } from './migrate.js';
import { migrations } from './migrations/index.js';

const T0 = 1_700_000_000_123;

for (const target of databaseTargets) {
  const title = target.available ? `migrations on ${target.name}` : `migrations on ${target.name} (skipped: ${target.skipReason})`;

  describe.skipIf(!target.available)(title, () => {
    let conn: Connected | undefined;
    afterEach(async () => {
      await conn?.db.destroy();
      conn = undefined;
    });

    it('upgrades a 0001 database to the latest with its data intact, then does nothing', async () => {
      conn = await connect(await target.freshUrl());
      const { db } = conn;
      expect(await migrate(db, '0001-foundations')).toEqual(['0001-foundations']);

      const user = { id: newId(), username: 'ann', display_name: 'Ann', password_hash: 'scrypt$x', is_admin: 1, disabled: 0, created_at: T0 };
      const project = { id: newId(), name: 'churn', description: 'd', created_by: user.id, created_at: T0, updated_at: T0 };
      await db.insertInto('users').values(user).execute();
      await db.insertInto('projects').values(project).execute();

      const applied = await migrate(db);
      expect(applied).toEqual(Object.keys(migrations).slice(1));
      expect(await db.selectFrom('users').selectAll().execute()).toEqual([user]);
      expect(await db.selectFrom('projects').selectAll().execute()).toEqual([project]);
      expect(await migrate(db)).toEqual([]);

      const recorded = await db
        .withTables<{ flywheel_migrations: { name: string; timestamp: string } }>()
        .selectFrom('flywheel_migrations')
        .select('name')
        .orderBy('name')
        .execute();
      expect(recorded.map((r) => r.name)).toEqual(Object.keys(migrations).sort());
    });

    it('migrates an empty database to the latest and records every migration', async () => {
      conn = await connect(await target.freshUrl());
      expect(await migrate(conn.db)).toEqual(Object.keys(migrations));
      expect(await migrate(conn.db)).toEqual([]);
      const head = await conn.db.selectFrom('audit_head').selectAll().execute();
      expect(head).toEqual([{ id: 1, seq: 0, hash: '0'.repeat(64) }]);
    });
  });
}
