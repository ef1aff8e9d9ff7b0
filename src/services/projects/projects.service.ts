// Projects and their members. Every project has at least one owner.
import type { Clock } from '../../domain/clock.js';
import type { Member, Project } from '../../domain/entities.js';
import { ConflictError, NotFoundError } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import type { Page, PageRequest } from '../../domain/pagination.js';
import type { MetadataStore } from '../../domain/ports/metadata-store.js';
import type { ProjectRole } from '../../domain/roles.js';
import { allowedActions, type ProjectAccess } from '../access/authorize.js';
import type { ProjectAction } from '../../domain/actions.js';
import type { CallContext } from '../access/principal.js';
import type { OperationRunner } from '../operation.js';

export interface ProjectInfo extends Project {
  my_role: ProjectRole | null;
  /** The project actions the caller may perform here. */
  my_actions: ProjectAction[];
}

export class ProjectsService {
  constructor(
    private readonly store: MetadataStore,
    private readonly ops: OperationRunner,
    private readonly clock: Clock,
  ) {}

  /** Create a project; the caller becomes its owner. */
  async create(ctx: CallContext, input: { name: string; description?: string }): Promise<ProjectInfo> {
    const now = this.clock.now();
    const project: Project = {
      id: newId(),
      name: input.name,
      description: input.description?.trim() ?? '',
      created_by: ctx.principal.user.id,
      created_at: now,
      updated_at: now,
    };
    await this.ops.run(ctx, { action: 'project.create', project_id: project.id, target_ids: { project: project.id }, details: { name: project.name } }, async (tx) => {
      await tx.projects.create(project);
      await tx.members.upsert({ project_id: project.id, user_id: ctx.principal.user.id, role: 'owner', added_by: ctx.principal.user.id, added_at: now });
    });
    return { ...project, my_role: 'owner', my_actions: allowedActions(ctx.principal, 'owner') };
  }

  /** Projects the caller may see: every one for an admin, else those they are a member of. */
  async list(ctx: CallContext, page: PageRequest): Promise<Page<ProjectInfo>> {
    const p = ctx.principal;
    const admin = p.user.is_admin && (p.via !== 'token' || p.token?.role === 'admin');
    const result = await this.store.projects.list(page, admin ? undefined : p.user.id);
    let items = result.items;
    if (p.via === 'token' && p.token?.project_id) items = items.filter((x) => x.id === p.token!.project_id);
    const withRoles = await Promise.all(
      items.map(async (x) => {
        const role = (await this.store.members.get(x.id, p.user.id))?.role ?? null;
        return { ...x, my_role: role, my_actions: allowedActions(p, role) };
      }),
    );
    return { items: withRoles, next_cursor: result.next_cursor };
  }

  get(ctx: CallContext, access: ProjectAccess): ProjectInfo {
    return { ...access.project, my_role: access.role, my_actions: allowedActions(ctx.principal, access.role) };
  }

  async update(ctx: CallContext, access: ProjectAccess, patch: { description: string }): Promise<ProjectInfo> {
    const at = this.clock.now();
    const description = patch.description.trim();
    await this.ops.run(ctx, { action: 'project.update', project_id: access.project.id, target_ids: { project: access.project.id } }, (tx) =>
      tx.projects.update(access.project.id, { description }, at),
    );
    return { ...access.project, description, updated_at: at, my_role: access.role, my_actions: allowedActions(ctx.principal, access.role) };
  }

  listMembers(access: ProjectAccess, page: PageRequest): Promise<Page<Member>> {
    return this.store.members.list(access.project.id, page);
  }

  /** Add a member or change their role; the last owner cannot be demoted. */
  async putMember(ctx: CallContext, access: ProjectAccess, username: string, role: ProjectRole): Promise<Member> {
    const user = await this.store.users.getByUsername(username);
    if (!user) throw new NotFoundError('user', username);
    const projectId = access.project.id;
    const draft = { action: 'member.put', project_id: projectId, target_ids: { project: projectId, user: user.id }, details: { username, role } };
    return this.ops.run(ctx, draft, async (tx) => {
      const before = await tx.members.get(projectId, user.id);
      if (before?.role === 'owner' && role !== 'owner' && (await tx.members.countWithRole(projectId, 'owner')) <= 1) {
        throw new ConflictError(`'${username}' is the last owner of '${access.project.name}': make someone else owner first`, { field: 'body.role' });
      }
      await tx.members.upsert({ project_id: projectId, user_id: user.id, role, added_by: ctx.principal.user.id, added_at: before?.added_at ?? this.clock.now() });
      return (await tx.members.get(projectId, user.id))!;
    });
  }

  async removeMember(ctx: CallContext, access: ProjectAccess, username: string): Promise<void> {
    const user = await this.store.users.getByUsername(username);
    const projectId = access.project.id;
    const member = user ? await this.store.members.get(projectId, user.id) : undefined;
    if (!user || !member) throw new NotFoundError('member', username, { project: access.project.name });
    await this.ops.run(ctx, { action: 'member.remove', project_id: projectId, target_ids: { project: projectId, user: user.id }, details: { username } }, async (tx) => {
      if (member.role === 'owner' && (await tx.members.countWithRole(projectId, 'owner')) <= 1) {
        throw new ConflictError(`'${username}' is the last owner of '${access.project.name}' and cannot be removed`);
      }
      await tx.members.delete(projectId, user.id);
    });
  }
}
