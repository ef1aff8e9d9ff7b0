// The caller a background job acts for: the user who started it, in the job's project.
import { NotFoundError } from '../../domain/errors.js';
import type { MetadataStore } from '../../domain/ports/metadata-store.js';
import { resolveProject, type ProjectAccess } from './authorize.js';
import type { CallContext } from './principal.js';
import { publicUser } from './views.js';

export async function jobContext(store: MetadataStore, userId: string | null, projectId: string): Promise<{ ctx: CallContext; access: ProjectAccess }> {
  const project = await resolveProject(store, projectId);
  const user = userId ? await store.users.getById(userId) : undefined;
  if (!user) throw new NotFoundError('user', userId ?? '(none)');
  const ctx: CallContext = { principal: { user: publicUser(user), via: 'job' } };
  return { ctx, access: { project, role: (await store.members.get(project.id, user.id))?.role ?? null } };
}
