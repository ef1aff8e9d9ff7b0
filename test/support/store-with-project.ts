// A fresh metadata store on one database target holding a user and a project, for the
// repositories' contract tests that need an owner for what they create.
import { newId } from '../../src/domain/ids.js';
import { openMetadataStore, type KyselyMetadataStore } from '../../src/storage/kysely/kysely-metadata-store.js';
import type { DatabaseTarget } from './databases.js';

export async function storeWithProject(target: DatabaseTarget, at: number): Promise<{ store: KyselyMetadataStore; userId: string; projectId: string }> {
  const store = await openMetadataStore(await target.freshUrl());
  const userId = newId();
  await store.users.create({ id: userId, username: 'u1', display_name: 'u1', password_hash: 'x', is_admin: false, disabled: false, created_at: at });
  const projectId = newId();
  await store.projects.create({ id: projectId, name: 'p', description: '', created_by: userId, created_at: at, updated_at: at });
  return { store, userId, projectId };
}
