// flywheel annotate export/import as JSON Lines and CSV: a text-spans job created from the CLI,
// labelled with --spans, exported as a batch, a contractor's results imported back (reported
// line by line, taken once), a malformed file refused with one clear line and exit 1; an image
// uploaded with add-image; a label withdrawn with undo.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../support/cli.js';
import { tempDir } from '../support/databases.js';
import { pngOf } from '../support/png.js';
import { startTestServer, type TestServer } from '../support/server.js';

const TEXT = 'Anna flew to Oslo.';

describe('flywheel annotate export/import as JSON Lines and CSV', () => {
  let server: TestServer;
  let local: Record<string, string>;
  const dir = tempDir('flywheel-annotate-results-');
  let taskId = '';

  beforeAll(async () => {
    server = await startTestServer();
    local = { FLYWHEEL_HOME: server.home, FLYWHEEL_DATABASE_URL: `sqlite:${join(server.home, 'flywheel.db')}`, FLYWHEEL_PROJECT: 'news' };
    expect((await cli(['project', 'create', 'news'], local)).code).toBe(0);
    const items = join(dir, 'items.jsonl');
    writeFileSync(items, `${JSON.stringify({ data: { text: TEXT } })}\n`);
    const created = await cli(['annotate', 'create', 'ner', '--kind', 'text-spans', '--labels', 'PER,LOC', '--overlap', '2', '--items', items], local);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toContain('created labelling job ner (text-spans, ');
    taskId = (await cli(['annotate', 'next', '--job', 'ner', '--json'], local)).json().task.id;
    const spans = JSON.stringify([{ start: 0, end: 4, text: 'Anna', labels: ['PER'] }]);
    const labelled = await cli(['annotate', 'label', taskId, '--spans', spans, '--job', 'ner'], local);
    expect(labelled.code, labelled.stderr).toBe(0);
    expect(labelled.stdout).toContain(`labelled task ${taskId} as PER: Anna`);
  }, 60_000);
  afterAll(() => server?.close());

  it('exports a batch as JSON Lines and CSV files', async () => {
    const jsonl = join(dir, 'batch.jsonl');
    const out = await cli(['annotate', 'export', '--job', 'ner', '--out', jsonl], local);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toContain(`wrote 1 tasks to ${jsonl}`);
    const line = JSON.parse(readFileSync(jsonl, 'utf8').trim());
    expect(line).toMatchObject({ task_id: taskId, data: { text: TEXT }, results: [{ annotator: 'admin', spans: [{ start: 0, end: 4, text: 'Anna', labels: ['PER'] }] }] });
    const csv = await cli(['annotate', 'export', '--job', 'ner', '--format', 'csv'], local);
    expect(csv.code, csv.stderr).toBe(0);
    expect(csv.stdout.split('\n')[0]).toBe('task_id,id,annotator,provider,spans,created_at,duration_ms,data.text');
  });

  it('imports a contractor’s JSON Lines and CSV results, once, reporting rejections line by line', async () => {
    const jsonl = join(dir, 'back.jsonl');
    const good = { task_id: taskId, annotator: 'w1', id: 'r1', spans: [{ start: 0, end: 4, text: 'Anna', labels: ['PER'] }, { start: 13, end: 17, text: 'Oslo', labels: ['LOC'] }] };
    writeFileSync(jsonl, [JSON.stringify(good), JSON.stringify({ task_id: 'nope', annotator: 'w1', spans: [] })].join('\n'));
    const r = await cli(['annotate', 'import', jsonl, '--job', 'ner', '--provider', 'acme'], local);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('1 of 2 results recorded, 0 already there, 1 rejected');
    expect(r.stdout).toContain("line 2: task_id: no task 'nope' in job 'ner'");
    const again = await cli(['annotate', 'import', jsonl, '--job', 'ner', '--provider', 'acme', '--json'], local);
    expect(again.json()).toMatchObject({ accepted: 0, skipped: 1, rejected: 1 });
    const show = await cli(['annotate', 'show', '--job', 'ner'], local);
    expect(show.stdout).toMatch(/1\/1 tasks resolved, 2 labels/);
    expect(show.stdout).toMatch(/pairwise F1 0\.667/);

    const csv = join(dir, 'back.csv');
    writeFileSync(csv, `task_id,annotator,spans\n${taskId},w2,"[{""start"": 0, ""end"": 4, ""text"": ""Anna"", ""labels"": [""PER""]}]"\n`);
    const c = await cli(['annotate', 'import', csv, '--job', 'ner', '--json'], local);
    expect(c.code, c.stderr).toBe(0);
    expect(c.json()).toMatchObject({ format: 'csv', received: 1, accepted: 0, rejected: 1, items: [{ row: 1, reason: 'the task already has its 2 labels' }] });
  });

  it('refuses a malformed file with one line on stderr and exit 1', async () => {
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, `${JSON.stringify({ task_id: taskId, annotator: 'w3', spans: [] })}\n{"task_id": `);
    const r = await cli(['annotate', 'import', bad, '--job', 'ner'], local);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('line 2: not valid JSON');
    const csv = join(dir, 'bad.csv');
    writeFileSync(csv, 'task_id,spans\nx,[]\n');
    const e = await cli(['annotate', 'import', csv, '--job', 'ner'], local);
    expect(e.code).toBe(1);
    expect(e.stderr).toContain("line 1: the header has no 'annotator' column");
    const fmt = await cli(['annotate', 'export', '--job', 'ner', '--format', 'xml'], local);
    expect(fmt.code).toBe(1);
    expect(fmt.stderr).toContain('--format must be one of label-studio, jsonl, csv');
  });

  it('uploads images as image-boxes tasks, and withdraws a label with undo', async () => {
    expect((await cli(['annotate', 'create', 'street', '--kind', 'image-boxes', '--labels', 'car,person', '--overlap', '1'], local)).code).toBe(0);
    const png = join(dir, 'cam.png');
    writeFileSync(png, pngOf(32, 24));
    const up = await cli(['annotate', 'add-image', png, '--job', 'street'], local);
    expect(up.code, up.stderr).toBe(0);
    expect(up.stdout).toMatch(/^added cam\.png → task [0-9a-f-]{36} \(32×24\)/);
    const next = (await cli(['annotate', 'next', '--job', 'street', '--json'], local)).json().task;
    expect(next.data).toMatchObject({ image: expect.stringMatching(/\/images\/[0-9a-f]{64}$/), name: 'cam.png' });

    expect((await cli(['annotate', 'create', 'tags', '--kind', 'multi-label', '--labels', 'a,b,c', '--overlap', '2', '--items', join(dir, 'items.jsonl')], local)).code).toBe(0);
    const task = (await cli(['annotate', 'next', '--job', 'tags', '--json'], local)).json().task.id;
    expect((await cli(['annotate', 'label', task, '--choices', 'a,c', '--job', 'tags'], local)).stdout).toContain('as a, c');
    const undo = await cli(['annotate', 'undo', task, '--job', 'tags'], local);
    expect(undo.code, undo.stderr).toBe(0);
    expect(undo.stdout).toContain(`withdrew your label a, c from task ${task}`);
    expect((await cli(['annotate', 'next', '--job', 'tags', '--json'], local)).json().task.id).toBe(task);
  });
});
