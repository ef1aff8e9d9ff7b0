// Walk the whole chain and report the first event that was edited, inserted or deleted.
import type { AuditRepository } from '../../domain/ports/metadata-store.js';
import { GENESIS_HASH, auditHash } from './audit-hash.js';

export interface Verification {
  ok: boolean;
  checked: number;
  broken_at: number | null;
  reason: string | null;
}

export async function verifyChain(audit: AuditRepository, batch = 1000): Promise<Verification> {
  const head = await audit.head();
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  let checked = 0;
  for (;;) {
    const events = await audit.scan(expectedSeq - 1, batch);
    for (const e of events) {
      if (e.seq !== expectedSeq) {
        return { ok: false, checked, broken_at: expectedSeq, reason: `event ${expectedSeq} is missing (next found is ${e.seq})` };
      }
      if (e.prev_hash !== prevHash) {
        return { ok: false, checked, broken_at: e.seq, reason: `event ${e.seq} does not point at the hash of event ${e.seq - 1}` };
      }
      if (auditHash(e) !== e.hash) {
        return { ok: false, checked, broken_at: e.seq, reason: `event ${e.seq} was changed after it was written (hash mismatch)` };
      }
      prevHash = e.hash;
      expectedSeq++;
      checked++;
    }
    if (events.length < batch) break;
  }
  if (head.seq !== expectedSeq - 1 || head.hash !== prevHash) {
    return {
      ok: false,
      checked,
      broken_at: expectedSeq,
      reason: head.seq > expectedSeq - 1 ? `events ${expectedSeq}..${head.seq} were deleted` : 'the chain head does not match the last event',
    };
  }
  return { ok: true, checked, broken_at: null, reason: null };
}
