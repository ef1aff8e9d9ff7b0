// Project secrets (credentials Flywheel uses later): write-only, encrypted at rest.
import { z } from 'zod';
import { endpoint } from './endpoint.js';
import { EpochMs, Name, Ok, ProjectParams } from './common.js';

export const SecretView = z.object({ name: z.string(), created_at: EpochMs, updated_at: EpochMs });

const SecretParams = ProjectParams.extend({ name: Name });

export const listSecrets = endpoint({
  id: 'secrets.list',
  method: 'GET',
  path: '/api/v1/projects/:project/secrets',
  summary: "Names of a project's secrets (values are never returned)",
  tag: 'secrets',
  auth: { action: 'secret.read' },
  params: ProjectParams,
  response: z.object({ items: z.array(SecretView), next_cursor: z.null() }),
});

export const putSecret = endpoint({
  id: 'secrets.put',
  method: 'PUT',
  path: '/api/v1/projects/:project/secrets/:name',
  summary: 'Store or replace a secret (encrypted with AES-256-GCM)',
  tag: 'secrets',
  auth: { action: 'secret.write' },
  params: SecretParams,
  body: z.object({ value: z.string().min(1).max(64 * 1024) }),
  response: SecretView,
});

export const deleteSecret = endpoint({
  id: 'secrets.delete',
  method: 'DELETE',
  path: '/api/v1/projects/:project/secrets/:name',
  summary: 'Delete a secret',
  tag: 'secrets',
  auth: { action: 'secret.write' },
  params: SecretParams,
  response: Ok,
});
