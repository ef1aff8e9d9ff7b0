// Where a training runs, captured by the process that trains: the git commit of its working
// directory and whether that checkout has uncommitted changes (when it is a checkout), the Node
// version and the host name.
import { execFileSync } from 'node:child_process';
import { hostname } from 'node:os';
import type { HostContext } from '../domain/run-context.js';

function git(cwd: string, args: string[]): string | null {
  try {
    return execFileSync('git', args, { cwd, stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 }).toString().trim();
  } catch {
    return null;
  }
}

/** The context of this process, e.g. { git_commit: '3f2a…', git_dirty: false, node_version: 'v20.19.0', host: 'build-7' }. */
export function captureHostContext(cwd: string = process.cwd()): HostContext {
  const commit = git(cwd, ['rev-parse', 'HEAD']);
  const status = commit ? git(cwd, ['status', '--porcelain', '--untracked-files=no']) : null;
  return { git_commit: commit, git_dirty: commit ? status !== null && status !== '' : null, node_version: process.version, host: hostname() };
}

/**
 * Record this process's context on a run about to train (tags; see TrackingService.recordRunContext).
 * Never fails the training: a run that cannot be tagged trains without its context.
 */
export async function recordRunContext(tracking: { recordRunContext(runId: string, host: HostContext): Promise<void> }, runId: string): Promise<void> {
  await tracking.recordRunContext(runId, captureHostContext()).catch(() => undefined);
}
