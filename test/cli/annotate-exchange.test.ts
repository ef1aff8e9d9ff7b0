// flywheel annotate export / import / consensus: a labelled job exported to a Label Studio JSON
// file, imported into a fresh job, exported again to the same JSON; consensus as a table or JSON.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../support/cli.js';
import { tempDir } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';

describe('flywheel annotate export/import/consensus', () => {
  let server: TestServer;
  let local: Record<string, string>;
  const dir = tempDir('flywheel-annotate-exchange-');

  beforeAll(async () => {
    server = await startTestServer();
    local = { FLYWHEEL_HOME: server.home, FLYWHEEL_DATABASE_URL: `sqlite:${join(server.home, 'flywheel.db')}`, FLYWHEEL_PROJECT: 'weather' };
    expect((await cli(['project', 'create', 'weather'], local)).code).toBe(0);
    const items = join(dir, 'items.jsonl');
    writeFileSync(items, ['{"data": {"date": "2014-01-01"}}', '{"data": {"date": "2014-01-02"}}'].join('\n'));
    expect((await cli(['annotate', 'create', 'src', '--labels', 'rain,sun', '--overlap', '1', '--items', items], local)).code).toBe(0);
    for (;;) {
      const task = (await cli(['annotate', 'next', '--job', 'src', '--json'], local)).json().task;
      if (!task) break;
      expect((await cli(['annotate', 'label', task.id, task.data.date.endsWith('1') ? 'rain' : 'sun', '--job', 'src'], local)).code).toBe(0);
    }
  }, 60_000);
  afterAll(() => server?.close());

  it('exports to a file, imports it into a fresh job and exports the same JSON again', async () => {
    const file = join(dir, 'src.json');
    const out = await cli(['annotate', 'export', '--job', 'src', '--out', file], local);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toContain(`wrote 2 tasks to ${file}`);
    const tasks = JSON.parse(readFileSync(file, 'utf8'));
    expect(tasks.map((t: { annotations: Array<{ result: Array<{ value: { choices: string[] } }> }> }) => t.annotations[0].result[0].value.choices[0])).toEqual(['rain', 'sun']);

    expect((await cli(['annotate', 'create', 'dst', '--labels', 'rain,sun', '--overlap', '1'], local)).code).toBe(0);
    const imp = await cli(['annotate', 'import', '--job', 'dst', file, '--provider', 'acme'], local);
    expect(imp.code, imp.stderr).toBe(0);
    expect(imp.stdout).toContain('2 of 2 tasks imported (2 new), 0 rejected; annotations: 2 recorded, 0 already there, 0 rejected');
    const again = await cli(['annotate', 'export', '--job', 'dst'], local);
    expect(JSON.parse(again.stdout)).toEqual(tasks);
  });

  it('reports rejected annotations one per line, and a file that is not JSON in one line', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify([{ id: 9, data: { date: 'x' }, annotations: [{ id: 1, completed_by: 1, result: [{ from_name: 'label', to_name: 'data', type: 'choices', value: { choices: ['hail'] } }] }] }]));
    const r = await cli(['annotate', 'import', '--job', 'dst', bad], local);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("task 0 annotation 0: body[0].annotations[0].result.value.choices: 'hail' is not one of this job's labels: rain, sun");
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '[{"id": 1,');
    const e = await cli(['annotate', 'import', '--job', 'dst', broken], local);
    expect(e.code).toBe(1);
    expect(e.stderr.trim().split('\n')).toHaveLength(1);
    expect(e.stderr).toContain('is not valid JSON');
  });

  it('shows consensus by Dawid-Skene or majority vote', async () => {
    const table = await cli(['annotate', 'consensus', '--job', 'src'], local);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/TASK_ID\s+LABEL\s+CONFIDENCE/);
    const json = await cli(['annotate', 'consensus', '--job', 'src', '--method', 'majority', '--json'], local);
    expect(json.json()).toMatchObject({ method: 'majority', classes: ['rain', 'sun'] });
    expect(json.json().tasks.map((t: { label: string; confidence: number }) => [t.label, t.confidence])).toEqual([['rain', 1], ['sun', 1]]);
    const bad = await cli(['annotate', 'consensus', '--job', 'src', '--method', 'em'], local);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--method must be majority or dawid-skene');
  });
});
