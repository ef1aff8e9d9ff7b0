// Projects and members.
import { api } from '../../contracts/index.js';
import type { Handlers, RouteDeps } from '../route.js';

export const projectEndpoints = {
  listProjects: api.listProjects,
  createProject: api.createProject,
  getProject: api.getProject,
  updateProject: api.updateProject,
  listMembers: api.listMembers,
  putMember: api.putMember,
  removeMember: api.removeMember,
  getLoop: api.getLoop,
};

export function projectHandlers({ services }: RouteDeps): Handlers<typeof projectEndpoints> {
  const projects = services.projects;
  return {
    listProjects: async ({ ctx, query }) => projects.list(ctx, query),
    createProject: async ({ ctx, body }) => projects.create(ctx, body),
    getProject: async ({ ctx, access }) => projects.get(ctx, access),
    updateProject: async ({ ctx, access, body }) => projects.update(ctx, access, body),
    listMembers: async ({ access, query }) => projects.listMembers(access, query),
    putMember: async ({ ctx, access, params, body }) => projects.putMember(ctx, access, params.user, body.role),
    getLoop: async ({ access }) => services.loop.overview(access),
    removeMember: async ({ ctx, access, params }) => {
      await projects.removeMember(ctx, access, params.user);
      return { ok: true as const };
    },
  };
}
