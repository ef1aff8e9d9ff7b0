// The canary split: which version serves a request. The decision is a deterministic hash of the
// request's first prediction id (a UUIDv7 made by the server, so its random bits make the hash
// uniform): bucket = fmix32(FNV-1a(id)) mod 100, and the request goes to the canary when
// bucket < percent. Anyone holding a logged prediction id and the split in force can recompute
// where it went; the whole request (every row of a batch) goes to one version.

/** FNV-1a (32 bit) over the UTF-16 code units of `s`, then murmur3's fmix32 finaliser to spread the bits. */
export function routeHash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The request's bucket, 0–99. @example routeBucket('0190f3a2-…') // 37 */
export function routeBucket(id: string): number {
  return routeHash(id) % 100;
}

/**
 * Whether the request whose first prediction id is `id` goes to a canary that takes `percent` %.
 * @example goesToCanary(id, 20) // true for about one request in five
 */
export function goesToCanary(id: string, percent: number): boolean {
  return routeBucket(id) < percent;
}
