// Projects and their members.
import { z } from 'zod';
import { PROJECT_ROLES } from '../domain/roles.js';
import { PROJECT_ACTIONS } from '../domain/actions.js';
import { endpoint } from './endpoint.js';
import { EpochMs, Name, Ok, PageQuery, ProjectParams, pageOf } from './common.js';

export const ProjectView = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  created_by: z.string(),
  created_at: EpochMs,
  updated_at: EpochMs,
  /** The caller's role here (null for an admin who is not a member). */
  my_role: z.enum(PROJECT_ROLES).nullable(),
  /** The project actions the caller may perform here (after any token limit). */
  my_actions: z.array(z.enum(PROJECT_ACTIONS)),
});
export type ProjectView = z.infer<typeof ProjectView>;

export const MemberView = z.object({
  user_id: z.string(),
  username: z.string(),
  display_name: z.string(),
  role: z.enum(PROJECT_ROLES),
  added_by: z.string(),
  added_at: EpochMs,
});
export type MemberView = z.infer<typeof MemberView>;

export const listProjects = endpoint({
  id: 'projects.list',
  method: 'GET',
  path: '/api/v1/projects',
  summary: 'Projects the caller can see',
  tag: 'projects',
  auth: 'user',
  query: PageQuery,
  response: pageOf(ProjectView),
});

export const createProject = endpoint({
  id: 'projects.create',
  method: 'POST',
  path: '/api/v1/projects',
  summary: 'Create a project; the caller becomes its owner',
  tag: 'projects',
  auth: { action: 'project.create' },
  status: 201,
  body: z.object({ name: Name, description: z.string().max(2000).optional() }),
  response: ProjectView,
});

export const getProject = endpoint({
  id: 'projects.get',
  method: 'GET',
  path: '/api/v1/projects/:project',
  summary: 'One project, by name or id',
  tag: 'projects',
  auth: { action: 'project.read' },
  params: ProjectParams,
  response: ProjectView,
});

export const updateProject = endpoint({
  id: 'projects.update',
  method: 'PATCH',
  path: '/api/v1/projects/:project',
  summary: "Change a project's description",
  tag: 'projects',
  auth: { action: 'project.update' },
  params: ProjectParams,
  body: z.object({ description: z.string().max(2000) }),
  response: ProjectView,
});

export const listMembers = endpoint({
  id: 'members.list',
  method: 'GET',
  path: '/api/v1/projects/:project/members',
  summary: "A project's members and their roles",
  tag: 'projects',
  auth: { action: 'member.read' },
  params: ProjectParams,
  query: PageQuery,
  response: pageOf(MemberView),
});

export const putMember = endpoint({
  id: 'members.put',
  method: 'PUT',
  path: '/api/v1/projects/:project/members/:user',
  summary: 'Add a member or change their role',
  tag: 'projects',
  auth: { action: 'member.manage' },
  params: ProjectParams.extend({ user: z.string().min(1).max(100) }),
  body: z.object({ role: z.enum(PROJECT_ROLES) }),
  response: MemberView,
});

export const removeMember = endpoint({
  id: 'members.remove',
  method: 'DELETE',
  path: '/api/v1/projects/:project/members/:user',
  summary: 'Remove a member (the last owner cannot be removed)',
  tag: 'projects',
  auth: { action: 'member.manage' },
  params: ProjectParams.extend({ user: z.string().min(1).max(100) }),
  response: Ok,
});
