// `flywheel data` in local mode: ingest with rules (creating the dataset), versions, show,
// quarantine, and a file-level error as one line with a non-zero exit.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../support/cli.js';
import { tempDir } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';

const SEATTLE = join(import.meta.dirname, '../../node_modules/vega-datasets/data/seattle-weather.csv');

describe('flywheel data, local mode', () => {
  const home = tempDir('flywheel-cli-data-');
  const env = { FLYWHEEL_HOME: home, FLYWHEEL_PROJECT: 'weather' };
  const dir = tempDir('flywheel-cli-files-');
  const lines = readFileSync(SEATTLE, 'utf8').trim().split('\n');
  const history = join(dir, 'history.csv');
  writeFileSync(history, [lines[0], ...lines.slice(1).filter((l) => /^201[23]-/.test(l)), '2014-01-01,-2,1,1,1,sun', '2014-01-02,1,1,1,1,hail'].join('\n'));
  const rules = join(dir, 'rules.json');
  writeFileSync(
    rules,
    JSON.stringify({
      columns: {
        date: { type: 'date', not_null: true },
        precipitation: { type: 'double', range: { min: 0, max: 500 } },
        weather: { type: 'string', allowed: ['drizzle', 'fog', 'rain', 'snow', 'sun'], semantic: 'label' },
      },
    }),
  );

  it('ingests a file into a new dataset and prints the counts per rule', async () => {
    expect((await cli(['project', 'create', 'weather'], env)).code).toBe(0);
    const r = await cli(['data', 'ingest', history, '--dataset', 'seattle', '--rules', rules], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('seattle version 1: read 733, accepted 731, quarantined 2');
    expect(r.stdout).toMatch(/precipitation\.range: 1/);
    expect(r.stdout).toMatch(/weather\.allowed: 1/);
    const again = await cli(['data', 'ingest', history, '--dataset', 'seattle', '--rules', rules, '--format', 'csv', '--json'], env);
    expect(again.json()).toMatchObject({ version: 2, report: { rows_read: 733, accepted: 731, quarantined: 2 } });
  });

  it('lists versions, shows the profile and the quarantine', async () => {
    const versions = await cli(['data', 'versions', '--dataset', 'seattle'], env);
    expect(versions.stdout).toMatch(/VERSION\s+READ\s+ACCEPTED\s+QUARANTINED/);
    expect(versions.stdout).toMatch(/\n2\s+733\s+731\s+2\s+history\.csv/);
    const show = await cli(['data', 'show', '--dataset', 'seattle', '--version', '1', '--json'], env);
    expect(show.json().profile.find((p: { name: string }) => p.name === 'weather').semantic).toBe('label');
    const human = await cli(['data', 'show', '--dataset', 'seattle'], env);
    expect(human.stdout).toMatch(/precipitation\s+double\s+numeric/);
    const q = await cli(['data', 'quarantine', '--dataset', 'seattle', '--version', '1', '--json'], env);
    expect(q.json().items.map((x: { line: number; rule: string }) => [x.line, x.rule])).toEqual([
      [733, 'precipitation.range'],
      [734, 'weather.allowed'],
    ]);
  });

  it('converts a file declared as Latin-1, and refuses an unknown encoding before uploading', async () => {
    const latin = join(dir, 'cities.csv');
    writeFileSync(latin, Buffer.from('city,temp\nZürich,4.5\nSão Paulo,25\n', 'latin1'));
    const refused = await cli(['data', 'ingest', latin, '--dataset', 'cities'], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/not UTF-8/);
    const bad = await cli(['data', 'ingest', latin, '--dataset', 'cities', '--encoding', 'ebcdic'], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--encoding must be one of utf-8, latin-1/);
    const ok = await cli(['data', 'ingest', latin, '--dataset', 'cities', '--encoding', 'latin-1', '--json'], env);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.json().profile.find((p: { name: string }) => p.name === 'city').top.map((t: { value: string }) => t.value).sort()).toEqual(['São Paulo', 'Zürich']);
  });

  it('prints a file-level error as one line and exits 1', async () => {
    const empty = join(dir, 'empty.csv');
    writeFileSync(empty, '');
    const r = await cli(['data', 'ingest', empty, '--dataset', 'seattle'], env);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual(['flywheel: the file is empty']);
    const noFormat = await cli(['data', 'ingest', join(dir, 'x.txt'), '--dataset', 'seattle'], env);
    expect(noFormat.stderr).toMatch(/pass --format/);
    const badRules = join(dir, 'bad-rules.json');
    writeFileSync(badRules, '{"columns":{"wind":{"range":{"min":5,"max":1}}}}');
    const br = await cli(['data', 'ingest', history, '--dataset', 'seattle', '--rules', badRules], env);
    expect(br.stderr).toMatch(/rules\.columns\.wind\.range\.min: min \(5\) is greater than max \(1\)/);
  });
});

describe('flywheel data, remote mode', () => {
  let server: TestServer;
  let env: Record<string, string>;
  beforeAll(async () => {
    server = await startTestServer();
    const local = await cli(['token', 'create', '--role', 'admin', '--json'], { FLYWHEEL_HOME: server.home, FLYWHEEL_DATABASE_URL: `sqlite:${join(server.home, 'flywheel.db')}` });
    env = { FLYWHEEL_URL: server.url, FLYWHEEL_TOKEN: local.json().secret, FLYWHEEL_PROJECT: 'remote-data' };
  });
  afterAll(() => server.close());

  it('streams the file to the server over HTTP', async () => {
    expect((await cli(['project', 'create', 'remote-data'], env)).code).toBe(0);
    const file = join(tempDir('flywheel-cli-remote-'), 'seattle.csv');
    writeFileSync(file, readFileSync(SEATTLE));
    const r = await cli(['data', 'ingest', file, '--dataset', 'seattle', '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()).toMatchObject({ version: 1, report: { rows_read: 1461, accepted: 1461, quarantined: 0 } });
  });
});
