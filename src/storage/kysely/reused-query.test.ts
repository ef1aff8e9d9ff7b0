// A query built once and run with each call's values answers what the builder's query with those
// values answers, on every database target (a value used twice bound twice, constants kept), and
// a marker that lands in no parameter is refused when the query is first built.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets } from '../../../test/support/databases.js';
import { newId } from '../../domain/ids.js';
import { openMetadataStore, type KyselyMetadataStore } from './kysely-metadata-store.js';
import { reusedQuery } from './reused-query.js';

const T0 = 1_700_000_000_000;

for (const target of databaseTargets) {
  describe.skipIf(!target.available)(`reusedQuery on ${target.name}${target.skipReason ? ` (skipped: ${target.skipReason})` : ''}`, () => {
    let store: KyselyMetadataStore;
    beforeAll(async () => {
      store = await openMetadataStore(await target.freshUrl());
      const userId = newId();
      await store.users.create({ id: userId, username: 'u', display_name: 'u', password_hash: 'x', is_admin: false, disabled: false, created_at: T0 });
      for (const name of ['a', 'b', 'c']) await store.projects.create({ id: newId(), name, description: name === 'b' ? 'b' : '', created_by: userId, created_at: T0, updated_at: T0 + name.charCodeAt(0) });
    });
    afterAll(() => store?.close());

    it('answers what the built query answers, for each call’s values', async () => {
      const build = (db: typeof store.db, v: { name: string; after: number }) =>
        db
          .selectFrom('projects')
          .select(['name', 'description'])
          .where((eb) => eb.or([eb('name', '=', v.name), eb('description', '=', v.name)]))
          .where('updated_at', '>', v.after)
          .where('created_at', '=', T0)
          .orderBy('name');
      const query = reusedQuery(build, { name: '\u0000name', after: -1.5e-300 });
      for (const values of [
        { name: 'a', after: 0 },
        { name: 'b', after: T0 },
        { name: 'b', after: T0 + 1000 },
        { name: 'zz', after: 0 },
      ]) {
        expect(await query(store.db, values)).toEqual(await build(store.db, values).execute());
      }
      // In a transaction too.
      expect(await store.db.transaction().execute((trx) => query(trx, { name: 'c', after: 0 }))).toEqual([{ name: 'c', description: '' }]);
    });

    it('refuses a marker that no parameter holds', async () => {
      const query = reusedQuery((db, v: { name: string }) => db.selectFrom('projects').select('name').where('name', '=', 'fixed' + v.name.length), { name: '\u0000name' });
      await expect(query(store.db, { name: 'a' })).rejects.toThrow(/no parameter holds the marker of name/);
    });
  });
}
