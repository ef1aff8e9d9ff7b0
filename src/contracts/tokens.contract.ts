// API tokens: shown once at creation, stored hashed, optionally expiring, revocable.
import { z } from 'zod';
import { TOKEN_ROLES } from '../domain/roles.js';
import { endpoint } from './endpoint.js';
import { EpochMs, Ok, PageQuery, pageOf } from './common.js';

export const TokenView = z.object({
  id: z.string(),
  name: z.string(),
  username: z.string(),
  role: z.enum(TOKEN_ROLES),
  project: z.string().nullable(),
  prefix: z.string(),
  created_at: EpochMs,
  expires_at: EpochMs.nullable(),
  revoked_at: EpochMs.nullable(),
  last_used_at: EpochMs.nullable(),
});
export type TokenView = z.infer<typeof TokenView>;

export const listTokens = endpoint({
  id: 'tokens.list',
  method: 'GET',
  path: '/api/v1/tokens',
  summary: "The caller's API tokens",
  tag: 'tokens',
  auth: 'user',
  query: PageQuery,
  response: pageOf(TokenView),
});

export const createToken = endpoint({
  id: 'tokens.create',
  method: 'POST',
  path: '/api/v1/tokens',
  summary: 'Create an API token for the caller; the secret is shown once',
  tag: 'tokens',
  auth: 'user',
  status: 201,
  body: z.object({
    name: z.string().min(1).max(100),
    role: z.enum(TOKEN_ROLES),
    /** An admin may create a token for another user. */
    user: z.string().min(1).max(100).optional(),
    project: z.string().min(1).max(100).optional(),
    expires_in_days: z.number().int().min(1).max(3650).optional(),
  }),
  response: z.object({ token: TokenView, secret: z.string() }),
});

export const revokeToken = endpoint({
  id: 'tokens.revoke',
  method: 'DELETE',
  path: '/api/v1/tokens/:token',
  summary: 'Revoke one of the caller\'s tokens (an admin may revoke any)',
  tag: 'tokens',
  auth: 'user',
  params: z.object({ token: z.string().min(1).max(100) }),
  response: Ok,
});
