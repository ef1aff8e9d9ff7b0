// Health of the process and what it depends on.
import { z } from 'zod';
import { endpoint } from './endpoint.js';

const Check = z.object({ ok: z.boolean(), detail: z.string(), latency_ms: z.number() });

export const Health = z.object({
  status: z.enum(['ok', 'degraded']),
  version: z.string(),
  checks: z.object({ metadata: Check, artifacts: Check, jobs: Check }),
});

export const health = endpoint({
  id: 'health',
  method: 'GET',
  path: '/api/v1/health',
  summary: 'Liveness of the server, the metadata store, the artifact store and the job queue',
  tag: 'system',
  auth: 'public',
  response: Health,
});
