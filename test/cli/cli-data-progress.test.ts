// `flywheel data ingest` upload progress: a bar of bytes sent on stderr while the file streams,
// forced off a terminal with FLYWHEEL_PROGRESS=1, never with --json, and quiet by default.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatBytes } from '../../src/cli/progress.js';
import { cli } from '../support/cli.js';
import { tempDir } from '../support/databases.js';

const SEATTLE = join(import.meta.dirname, '../../node_modules/vega-datasets/data/seattle-weather.csv');

describe('flywheel data ingest, upload progress', () => {
  const home = tempDir('flywheel-cli-progress-');
  const env = { FLYWHEEL_HOME: home, FLYWHEEL_PROJECT: 'weather' };
  const [header, ...rows] = readFileSync(SEATTLE, 'utf8').trim().split('\n');
  // Several read chunks (64 KiB each), so the bar moves through intermediate steps.
  const file = join(tempDir('flywheel-cli-progress-files-'), 'seattle-x8.csv');
  writeFileSync(file, [header, ...Array.from({ length: 8 }, () => rows).flat()].join('\n'));
  const size = statSync(file).size;
  const uploadLines = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('uploading seattle-x8.csv'));

  it('prints the bar up to 100 % of the bytes when FLYWHEEL_PROGRESS=1', async () => {
    expect((await cli(['project', 'create', 'weather'], env)).code).toBe(0);
    const r = await cli(['data', 'ingest', file, '--dataset', 'seattle'], { ...env, FLYWHEEL_PROGRESS: '1' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`seattle version 1: read ${rows.length * 8}, accepted ${rows.length * 8}, quarantined 0`);
    const lines = uploadLines(r.stderr);
    expect(lines[0]).toMatch(/\[\.{30}\]\s+0% 0 B \/ /);
    expect(lines.at(-1)).toBe(`uploading seattle-x8.csv [${'#'.repeat(30)}] 100% ${formatBytes(size)} / ${formatBytes(size)}`);
    expect(lines.length).toBeGreaterThan(2);
    const percents = lines.map((l) => Number(/\]\s+(\d+)%/.exec(l)![1]));
    expect(percents).toEqual([...percents].sort((a, b) => a - b));
  });

  it('stays quiet with --json even when forced, and off a terminal by default', async () => {
    const json = await cli(['data', 'ingest', file, '--dataset', 'seattle', '--json'], { ...env, FLYWHEEL_PROGRESS: '1' });
    expect(json.code, json.stderr).toBe(0);
    expect(json.json()).toMatchObject({ version: 2, report: { rows_read: rows.length * 8 } });
    expect(uploadLines(json.stderr)).toEqual([]);
    const plain = await cli(['data', 'ingest', file, '--dataset', 'seattle'], env);
    expect(plain.code, plain.stderr).toBe(0);
    expect(uploadLines(plain.stderr)).toEqual([]);
  });
});
