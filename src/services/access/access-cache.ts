// Verified callers and their permission checks, kept for a short time so that a hot path (the
// serving URLs) does not query the metadata store on every request. An entry lives `ttlMs` (2 s
// by default: the same bound as a deployment change reaching other servers); every operation
// that may change who may do what (tokens, users, memberships, projects, deployments, passwords)
// empties the cache of this process as soon as it commits, so a revoked token is refused here at
// once and by other processes within the TTL. Refusals are never cached. Concurrent misses of one
// key share one load, and an entry in the last quarter of its life is reloaded in the background
// while it still answers, so requests do not queue behind the metadata store when entries expire.
import type { Clock } from '../../domain/clock.js';

/** Actions after which cached identities and permissions may be wrong. */
const ACCESS_CHANGES = /^(token|user|member|project|deployment|auth)\./;

export const ACCESS_CACHE_TTL_MS = 2000;

interface Entry {
  value: unknown;
  /** When its load started, and until when it may answer. */
  at: number;
  until: number;
}

export class AccessCache {
  private readonly entries = new Map<string, Entry>();
  /** Loads in progress by key (concurrent callers share one). */
  private readonly loading = new Map<string, Promise<unknown>>();
  /** Bumped by every clear, so a value loaded across a clear is not kept. */
  private epoch = 0;

  constructor(
    private readonly clock: Clock,
    readonly ttlMs = ACCESS_CACHE_TTL_MS,
    private readonly maxEntries = 10_000,
  ) {}

  /**
   * The value cached under `key`, or `load()`'s (kept for the TTL, or until `expiresAt` when
   * sooner; a rejection is passed on and not kept). Example:
   *   const principal = await cache.get(`token:${hash}`, () => auth.lookUp(hash))
   */
  async get<T>(key: string, load: () => Promise<T>, expiresAt?: (value: T) => number | null): Promise<T> {
    const now = this.clock.now();
    const hit = this.entries.get(key);
    if (hit && hit.until > now) {
      // Late in its life: reload in the background (a refusal then drops the entry).
      if (now - hit.at > (this.ttlMs * 3) / 4 && !this.loading.has(key)) this.load(key, load, expiresAt).catch(() => undefined);
      return hit.value as T;
    }
    if (hit) this.entries.delete(key);
    return this.load(key, load, expiresAt);
  }

  private load<T>(key: string, load: () => Promise<T>, expiresAt?: (value: T) => number | null): Promise<T> {
    const pending = this.loading.get(key);
    if (pending) return pending as Promise<T>;
    const epoch = this.epoch;
    const started = this.clock.now();
    const p = load().then(
      (value) => {
        if (epoch === this.epoch && this.ttlMs > 0) {
          if (this.entries.size >= this.maxEntries) this.entries.clear();
          const ends = expiresAt?.(value) ?? null;
          this.entries.set(key, { value, at: started, until: ends === null ? started + this.ttlMs : Math.min(started + this.ttlMs, ends) });
        }
        return value;
      },
      (error: unknown) => {
        this.entries.delete(key);
        throw error;
      },
    );
    this.loading.set(key, p);
    const done = () => {
      if (this.loading.get(key) === p) this.loading.delete(key);
    };
    p.then(done, done);
    return p;
  }

  /** Forget everything (after an operation that changed identities or permissions). */
  clear(): void {
    this.entries.clear();
    this.loading.clear();
    this.epoch++;
  }

  /** Clear when `action` may change who may do what; for OperationRunner.onCommit. */
  afterOperation(action: string): void {
    if (ACCESS_CHANGES.test(action)) this.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
