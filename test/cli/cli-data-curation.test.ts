// `flywheel data quarantine --rule`, `data readmit` (exit 1 with each row that still fails),
// `data schema show|set` (flags and a YAML file) and `data lineage`, in local mode.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../support/cli.js';
import { tempDir } from '../support/databases.js';

const SEATTLE = join(import.meta.dirname, '../../node_modules/vega-datasets/data/seattle-weather.csv');

describe('flywheel data readmit, schema and lineage, local mode', () => {
  const env = { FLYWHEEL_HOME: tempDir('flywheel-cli-curation-'), FLYWHEEL_PROJECT: 'weather' };
  const dir = tempDir('flywheel-cli-curation-files-');
  const lines = readFileSync(SEATTLE, 'utf8').trim().split('\n');
  const file = join(dir, 'weather.csv');
  // 2012: lines 2–367; then two bad temp_max values (368, 369) and a bad weather (370).
  writeFileSync(file, [lines[0], ...lines.slice(1).filter((l) => l.startsWith('2012-')), '2013-01-01,0,warm,5,2,sun', '2013-01-02,0,hot,5,2,sun', '2013-01-03,0,8,5,2,hail'].join('\n'));
  const rules = join(dir, 'rules.json');
  writeFileSync(rules, JSON.stringify({ columns: { temp_max: { type: 'double' }, weather: { allowed: ['drizzle', 'fog', 'rain', 'snow', 'sun'] } } }));
  const edits = (rows: unknown[]) => {
    const path = join(dir, `edits-${Math.random().toString(36).slice(2)}.jsonl`);
    writeFileSync(path, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
    return path;
  };

  it('filters the quarantine by rule', async () => {
    expect((await cli(['project', 'create', 'weather'], env)).code).toBe(0);
    expect((await cli(['data', 'ingest', file, '--dataset', 'seattle', '--rules', rules], env)).code).toBe(0);
    const q = await cli(['data', 'quarantine', '--dataset', 'seattle', '--version', '1', '--rule', 'temp_max.', '--json'], env);
    expect(q.code, q.stderr).toBe(0);
    expect(q.json().items.map((x: { line: number }) => x.line)).toEqual([368, 369]);
  });

  it('re-admits rows, prints each row that still fails with its line and reason, and exits 1', async () => {
    const r = await cli(['data', 'readmit', '--dataset', 'seattle', '--version', '1', '--file', edits([{ line: 368, values: { temp_max: '11.1' } }, { line: 369, values: { temp_max: 'very hot' } }])], env);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('seattle: re-admitted 1 of 2 rows of version 1 into version 2');
    expect(r.stdout).toContain("line 369: temp_max.type: temp_max: 'very hot' is not a number");
    expect(r.stderr).toContain('1 row still breaks a rule; nothing was written for it');

    const ok = await cli(['data', 'readmit', '--dataset', 'seattle', '--version', '1', '--file', edits([{ line: 370, values: { weather: 'rain' } }]), '--json'], env);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.json()).toMatchObject({ version: { version: 3, source: { kind: 'readmit' } }, accepted: [{ line: 370 }], rejected: [] });

    const twice = await cli(['data', 'readmit', '--dataset', 'seattle', '--version', '1', '--file', edits([{ line: 368, values: {} }])], env);
    expect(twice.code).toBe(1);
    expect(twice.stderr).toMatch(/line 368 was re-admitted already \(into v2\)/);

    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, '{"line": 369, "values": {"temp_max": "1"}}\n{"line": 369, "values": {"temp_max": 12}}\n');
    const parse = await cli(['data', 'readmit', '--dataset', 'seattle', '--version', '1', '--file', bad], env);
    expect(parse.code).toBe(1);
    expect(parse.stderr).toContain(`${bad} line 2: values.temp_max must be text or null`);
    const q = await cli(['data', 'quarantine', '--dataset', 'seattle', '--version', '1'], env);
    expect(q.stdout).toMatch(/368\s+temp_max\.type.*v2/);
  });

  it('shows and sets the declared schema from flags and a YAML file', async () => {
    const show = await cli(['data', 'schema', 'show', '--dataset', 'seattle', '--json'], env);
    expect(show.code, show.stderr).toBe(0);
    expect(show.json()).toMatchObject({ declared: false, candidate_keys: [['date']] });
    const set = await cli(['data', 'schema', 'set', '--dataset', 'seattle', '--semantic', 'weather=label', '--nullable', 'wind=false', '--key', 'date'], env);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toMatch(/declared schema/);
    expect(set.stdout).toMatch(/weather\s+string\s+yes\s+label/);
    expect(set.stdout).toMatch(/date\s+date\s+yes\s+timestamp\s+key/);
    expect(set.stdout).toContain('Existing versions are immutable');
    const yaml = join(dir, 'schema.yaml');
    writeFileSync(yaml, 'columns:\n  temp_max:\n    type: integer\nkey: null\n');
    const fromFile = await cli(['data', 'schema', 'set', '--dataset', 'seattle', '--file', yaml, '--json'], env);
    expect(fromFile.code, fromFile.stderr).toBe(0);
    expect(fromFile.json()).toMatchObject({ key: null, pending_type_changes: [{ column: 'temp_max', from: 'double', to: 'integer' }] });
    const badFlag = await cli(['data', 'schema', 'set', '--dataset', 'seattle', '--semantic', 'weather=colour'], env);
    expect(badFlag.code).toBe(1);
    expect(badFlag.stderr).toMatch(/--semantic weather=colour: must be one of/);
    const unknown = await cli(['data', 'schema', 'set', '--dataset', 'seattle', '--semantic', 'humidity=numeric'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/body\.columns\.0\.name: the dataset has no column 'humidity'/);
  });

  it('prints the lineage of a version', async () => {
    const r = await cli(['data', 'lineage', '--dataset', 'seattle', '--version', '2'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('seattle v2 (readmit)');
    expect(r.stdout).toContain('came from: parent v1 (file)');
    expect(r.stdout).toContain('re-admitted from v1, lines 368');
    expect(r.stdout).toContain('children: v3 (readmit)');
    const one = await cli(['data', 'lineage', '--dataset', 'seattle', '--version', '1', '--json'], env);
    expect(one.json().readmitted_into).toEqual([expect.objectContaining({ version: 2, rows: 1 }), expect.objectContaining({ version: 3, rows: 1 })]);
  });
});
