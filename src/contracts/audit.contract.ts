// The hash-chained audit log.
import { z } from 'zod';
import { endpoint } from './endpoint.js';
import { EpochMs, PageQuery, ProjectParams, pageOf } from './common.js';

export const AuditEventView = z.object({
  id: z.string(),
  seq: z.number().int(),
  project_id: z.string().nullable(),
  actor_id: z.string().nullable(),
  actor_name: z.string(),
  action: z.string(),
  target_ids: z.record(z.string(), z.string()),
  outcome: z.enum(['success', 'denied', 'failed']),
  details: z.record(z.string(), z.unknown()),
  request_id: z.string().nullable(),
  at: EpochMs,
  prev_hash: z.string(),
  hash: z.string(),
});
export type AuditEventView = z.infer<typeof AuditEventView>;

export const AuditVerification = z.object({
  ok: z.boolean(),
  checked: z.number().int(),
  /** The first sequence number where the chain breaks, with the reason. */
  broken_at: z.number().int().nullable(),
  reason: z.string().nullable(),
});
export type AuditVerification = z.infer<typeof AuditVerification>;

export const listProjectAudit = endpoint({
  id: 'audit.project',
  method: 'GET',
  path: '/api/v1/projects/:project/audit',
  summary: "A project's audit events, newest first",
  tag: 'audit',
  auth: { action: 'audit.read' },
  params: ProjectParams,
  query: PageQuery,
  response: pageOf(AuditEventView),
});

export const listAudit = endpoint({
  id: 'audit.list',
  method: 'GET',
  path: '/api/v1/audit',
  summary: 'Every audit event of the instance, newest first (admin)',
  tag: 'audit',
  auth: { action: 'instance.admin' },
  query: PageQuery,
  response: pageOf(AuditEventView),
});

export const verifyAudit = endpoint({
  id: 'audit.verify',
  method: 'POST',
  path: '/api/v1/audit/verify',
  summary: 'Recompute the hash chain and report the first edited, inserted or deleted event (admin)',
  tag: 'audit',
  auth: { action: 'instance.admin' },
  response: AuditVerification,
});
