// Labelling jobs as the queue's hot calls see them (next, label, skip): kept for a couple of
// seconds per project and job reference, so those calls do not read the job on every request.
// A committed change of a job (its settings) drops them all at once in this process, and reaches
// other processes within the TTL: the same bound as the access cache's. A missing job is never
// kept, and concurrent misses share one read.
import type { Clock } from '../../domain/clock.js';
import type { LabellingJob } from '../../domain/annotation.js';
import { AccessCache, ACCESS_CACHE_TTL_MS } from '../access/access-cache.js';

/** Actions after which a kept job may be out of date. */
const JOB_CHANGES = /^labelling\.(settings|job\.)/;

export class JobCache {
  private readonly kept: AccessCache;

  constructor(clock: Clock, ttlMs = ACCESS_CACHE_TTL_MS) {
    this.kept = new AccessCache(clock, ttlMs, 1000);
  }

  /** Job `ref` (id or name) of the project, kept or `load()`ed. */
  get(projectId: string, ref: string, load: () => Promise<LabellingJob>): Promise<LabellingJob> {
    return this.kept.get(`${projectId}:${ref}`, load);
  }

  /** Forget every kept job when `action` may have changed one; for OperationRunner.onCommit. */
  afterOperation(action: string): void {
    if (JOB_CHANGES.test(action)) this.kept.clear();
  }

  clear(): void {
    this.kept.clear();
  }
}
