// A migration's test on every database target: one describe block per target, whose tests start
// from a fresh database migrated up to the migration before the one under test (closed after
// each test), so they can seed rows in the old shape and migrate on.
import { afterEach, describe } from 'vitest';
import type { Kysely } from 'kysely';
import { newId } from '../../src/domain/ids.js';
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

/** Seed rows in the old shape, table by table in the order given (parents before children). */
export async function insertRows(db: Kysely<any>, tables: Record<string, object | object[]>): Promise<void> {
  for (const [table, rows] of Object.entries(tables)) await db.insertInto(table).values(rows).execute();
}

/** A user and a project they created, as rows of the old schema (the parents of every seed). */
export function ownerRows(at: number, options: { username?: string; admin?: boolean; project?: string } = {}) {
  const username = options.username ?? 'ann';
  const user = { id: newId(), username, display_name: username[0].toUpperCase() + username.slice(1), password_hash: 'scrypt$x', is_admin: options.admin ? 1 : 0, disabled: 0, created_at: at };
  const project = { id: newId(), name: options.project ?? 'p', description: '', created_by: user.id, created_at: at, updated_at: at };
  return { user, project };
}
