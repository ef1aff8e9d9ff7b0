// Names and ownership of the prediction log's local files. Each writer (one per platform in a
// process) has a process name `<host>_<pid>_<token>`; its files are `<process>-<seq>.ndjson`,
// first under open/ (being appended), then under rolling/ (closed, waiting to become Parquet).
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

const FILE_RE = /^(.+)_(\d+)_([a-z0-9]+)-(\d+)\.ndjson$/;

/** Tokens of the writers alive in this process (a closed or abandoned one is not here). */
const liveTokens = new Set<string>();

export interface SegmentFileOwner {
  host: string;
  pid: number;
  token: string;
}

export function hostPart(): string {
  return hostname().replace(/[^A-Za-z0-9.-]/g, '-').slice(0, 60) || 'host';
}

/** A new writer identity in this process, registered as live until `release`. */
export function newOwner(): SegmentFileOwner {
  const owner = { host: hostPart(), pid: process.pid, token: randomBytes(6).toString('hex') };
  liveTokens.add(owner.token);
  return owner;
}

export function releaseOwner(owner: SegmentFileOwner): void {
  liveTokens.delete(owner.token);
}

export function segmentFileName(owner: SegmentFileOwner, seq: number): string {
  return `${owner.host}_${owner.pid}_${owner.token}-${seq}.ndjson`;
}

export function parseSegmentFileName(name: string): (SegmentFileOwner & { seq: number }) | undefined {
  const m = FILE_RE.exec(name);
  return m ? { host: m[1], pid: Number(m[2]), token: m[3], seq: Number(m[4]) } : undefined;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Whether the writer that owns a file may still be using it. On this host: its process is alive
 * (and, in this very process, its writer is open). Elsewhere (a shared folder): the file was
 * touched less than `staleMs` ago.
 */
export function ownerMayBeAlive(owner: SegmentFileOwner, mtimeMs: number, now: number, staleMs: number): boolean {
  if (owner.host !== hostPart()) return now - mtimeMs < staleMs;
  if (owner.pid === process.pid) return liveTokens.has(owner.token);
  return pidAlive(owner.pid);
}
