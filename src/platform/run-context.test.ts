// The context a training process records: the git commit of a checkout and whether it has
// uncommitted changes (none outside a checkout), the Node version and the host.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { codeVersionOf, contextTags, runContextOf } from '../domain/run-context.js';
import { captureHostContext } from './run-context.js';

describe('run context', () => {
  it('reads the commit and the dirty flag of a checkout, and nothing of a plain folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flywheel-git-'));
    expect(captureHostContext(dir)).toEqual({ git_commit: null, git_dirty: null, node_version: process.version, host: hostname() });
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: dir, stdio: 'pipe' }).toString().trim();
    git('init', '-q');
    writeFileSync(join(dir, 'train.py'), 'print(1)\n');
    git('add', '.');
    git('commit', '-q', '-m', 'first');
    const clean = captureHostContext(dir);
    expect(clean.git_commit).toBe(git('rev-parse', 'HEAD'));
    expect(clean.git_dirty).toBe(false);
    writeFileSync(join(dir, 'train.py'), 'print(2)\n');
    expect(captureHostContext(dir).git_dirty).toBe(true);
  });

  it('keeps the context as tags and reads it back, the seed from a param when the run has none', () => {
    const tags = contextTags({ git_commit: 'abc', git_dirty: true, node_version: 'v20.1.0', host: 'h' }, 'd1');
    expect(tags).toEqual({ 'mlflow.source.git.commit': 'abc', 'flywheel.git.dirty': 'true', 'flywheel.node_version': 'v20.1.0', 'flywheel.host': 'h', 'flywheel.data_version_hash': 'd1' });
    expect(runContextOf({ code_version: codeVersionOf('abc', true), seed: null, dataset_version_id: 'v', params: { random_state: '42' }, tags })).toEqual({
      code_version: 'abc-dirty',
      git_commit: 'abc',
      git_dirty: true,
      node_version: 'v20.1.0',
      host: 'h',
      data_version_id: 'v',
      data_version_hash: 'd1',
      seed: 42,
    });
  });
});
