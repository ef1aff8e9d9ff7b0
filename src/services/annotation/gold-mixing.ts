// Gold mixing: whether the queue serves a gold task on an annotator's n-th request in a job. The
// draw is a hash of (job, annotator, n), so it is uniform over requests yet reproducible in
// tests, and needs no stored state (n is how many labels the annotator has given in the job).

/** 32-bit FNV-1a of a string, finished with MurmurHash3's fmix32 for well-spread low bits. */
export function hash32(s: string): number {
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

/** A uniform draw in [0, 1) fixed by (job, annotator, n). */
export function goldDraw(jobId: string, annotatorId: string, n: number): number {
  return hash32(`${jobId}\u0000${annotatorId}\u0000${n}`) / 2 ** 32;
}

/**
 * Whether the annotator's n-th request (n = labels given so far) should get a gold task. Example:
 *   servesGold('job-1', 'user-1', 0, 0.2) // true on about one request in five
 */
export function servesGold(jobId: string, annotatorId: string, n: number, goldRate: number): boolean {
  return goldRate > 0 && goldDraw(jobId, annotatorId, n) < goldRate;
}
