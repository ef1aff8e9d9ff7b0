// The audit chain's hash: sha256 over a canonical JSON of the event and the previous hash.
import { createHash } from 'node:crypto';
import type { AuditEvent } from '../../domain/entities.js';

/** JSON with object keys sorted at every level, so the same event always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export const GENESIS_HASH = '0'.repeat(64);

export function auditHash(e: Omit<AuditEvent, 'hash'>): string {
  const content = canonicalJson({
    id: e.id,
    seq: e.seq,
    project_id: e.project_id,
    actor_id: e.actor_id,
    actor_name: e.actor_name,
    action: e.action,
    target_ids: e.target_ids,
    outcome: e.outcome,
    details: e.details,
    request_id: e.request_id,
    at: e.at,
  });
  return createHash('sha256').update(e.prev_hash).update('\n').update(content).digest('hex');
}
