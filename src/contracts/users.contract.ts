// Users, sign-in and sessions.
import { z } from 'zod';
import { endpoint } from './endpoint.js';
import { EpochMs, Name, Ok, PageQuery, pageOf } from './common.js';

export const UserView = z.object({
  id: z.string(),
  username: z.string(),
  display_name: z.string(),
  is_admin: z.boolean(),
  disabled: z.boolean(),
  created_at: EpochMs,
});
export type UserView = z.infer<typeof UserView>;

const Password = z.string().min(12, 'must be at least 12 characters').max(200);
const UserParams = z.object({ user: z.string().min(1).max(100) });

export const login = endpoint({
  id: 'auth.login',
  method: 'POST',
  path: '/api/v1/auth/login',
  summary: 'Sign in: sets the session cookie and the CSRF cookie',
  tag: 'auth',
  auth: 'public',
  body: z.object({ username: z.string().min(1).max(100), password: z.string().min(1).max(200) }),
  response: z.object({ user: UserView, csrf_token: z.string() }),
});

export const logout = endpoint({
  id: 'auth.logout',
  method: 'POST',
  path: '/api/v1/auth/logout',
  summary: 'Sign out: ends the session',
  tag: 'auth',
  auth: 'user',
  response: Ok,
});

export const me = endpoint({
  id: 'auth.me',
  method: 'GET',
  path: '/api/v1/auth/me',
  summary: 'The signed-in caller',
  tag: 'auth',
  auth: 'user',
  response: z.object({ user: UserView, via: z.enum(['session', 'token']), token_role: z.string().nullable() }),
});

export const changePassword = endpoint({
  id: 'auth.password',
  method: 'POST',
  path: '/api/v1/auth/password',
  summary: "Change the caller's own password (ends the caller's other sessions)",
  tag: 'auth',
  auth: 'user',
  body: z.object({ current_password: z.string().min(1).max(200), new_password: Password }),
  response: Ok,
});

export const listUsers = endpoint({
  id: 'users.list',
  method: 'GET',
  path: '/api/v1/users',
  summary: 'List users (admin)',
  tag: 'users',
  auth: { action: 'instance.admin' },
  query: PageQuery,
  response: pageOf(UserView),
});

export const createUser = endpoint({
  id: 'users.create',
  method: 'POST',
  path: '/api/v1/users',
  summary: 'Create a user (admin); without a password one is generated and shown once',
  tag: 'users',
  auth: { action: 'instance.admin' },
  status: 201,
  body: z.object({
    username: Name,
    display_name: z.string().max(200).optional(),
    is_admin: z.boolean().optional(),
    password: Password.optional(),
  }),
  response: z.object({ user: UserView, password: z.string().nullable() }),
});

export const updateUser = endpoint({
  id: 'users.update',
  method: 'PATCH',
  path: '/api/v1/users/:user',
  summary: 'Change a user (admin): display name, admin flag, disabled',
  tag: 'users',
  auth: { action: 'instance.admin' },
  params: UserParams,
  body: z.object({
    display_name: z.string().max(200).optional(),
    is_admin: z.boolean().optional(),
    disabled: z.boolean().optional(),
  }),
  response: UserView,
});

export const resetPassword = endpoint({
  id: 'users.reset-password',
  method: 'POST',
  path: '/api/v1/users/:user/reset-password',
  summary: "Generate a new password for a user (admin), shown once; ends the user's sessions",
  tag: 'users',
  auth: { action: 'instance.admin' },
  params: UserParams,
  response: z.object({ user: UserView, password: z.string() }),
});
