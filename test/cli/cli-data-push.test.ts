// `flywheel data push|commit|diff` in local mode: pushing a file twice stores it once (the key
// defaults to the file's hash), quarantined rows are counted, commit makes a version, and diff
// reports rows added, removed and changed by key.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../support/cli.js';
import { tempDir } from '../support/databases.js';

describe('flywheel data push, commit and diff, local mode', () => {
  const home = tempDir('flywheel-cli-push-');
  const env = { FLYWHEEL_HOME: home, FLYWHEEL_PROJECT: 'pushed' };
  const dir = tempDir('flywheel-cli-push-files-');
  const first = join(dir, 'first.json');
  writeFileSync(first, JSON.stringify([{ id: 1, v: 1.5, c: 'a' }, { id: 2, v: 2.5, c: 'b' }, { id: 3, v: 3.5, c: 'a' }]));
  const second = join(dir, 'second.json');
  writeFileSync(second, JSON.stringify({ rows: [{ id: 3, v: 30, c: 'a' }, { id: 4, v: 4, c: 'b' }, { id: 5, v: 'x', c: 'b' }] }));

  it('pushes a file once however often it is sent, and commits it as version 1', async () => {
    expect((await cli(['project', 'create', 'pushed'], env)).code).toBe(0);
    const r = await cli(['data', 'push', '--dataset', 'events', '--file', first], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('events: pushed 3 rows; accepted 3, quarantined 0; 3 rows staged');
    const again = await cli(['data', 'push', '--dataset', 'events', '--file', first, '--json'], env);
    expect(again.json()).toMatchObject({ accepted: 3, staged_rows: 3, replayed: true });
    const c = await cli(['data', 'commit', '--dataset', 'events'], env);
    expect(c.code, c.stderr).toBe(0);
    expect(c.stdout).toContain('events version 1: 3 rows (3 committed, 0 quarantined)');
    const none = await cli(['data', 'commit', '--dataset', 'events'], env);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/nothing staged/);
  });

  it('quarantines bad rows, commits version 2 and diffs it against version 1', async () => {
    const r = await cli(['data', 'push', '--dataset', 'events', '--file', second, '--key', 'second', '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()).toMatchObject({ accepted: 2, quarantined: 1 });
    const v2 = await cli(['data', 'commit', '--dataset', 'events', '--json'], env);
    expect(v2.json()).toMatchObject({ version: 2, report: { rows_read: 3, accepted: 2, quarantined: 1 } });
    // v2 = v1's rows + the pushed ones: id 3 appears twice, so key by whole rows.
    const d = await cli(['data', 'diff', '--dataset', 'events', '--from', '1', '--to', '2', '--key', 'id,v,c', '--json'], env);
    expect(d.code, d.stderr).toBe(0);
    expect(d.json().rows).toMatchObject({ from: 3, to: 5, added: 2, removed: 0, unchanged: 3 });
    const human = await cli(['data', 'diff', '--dataset', 'events', '--key', 'id,v,c'], env);
    expect(human.stdout).toContain('version 1 → 2 (by id, v, c): 3 → 5 rows; added 2, removed 0, changed 0, unchanged 3');
    const bad = await cli(['data', 'push', '--dataset', 'events', '--file', join(dir, 'missing.json')], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/cannot read/);
  });
});
