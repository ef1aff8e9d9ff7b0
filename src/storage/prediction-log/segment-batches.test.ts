// Column-wise batches in the prediction log: one NDJSON line per request (rows or {columns, data},
// each row's JSON text as received or serialised, event times or the receive time, shadow flags),
// rolled beside single records into the same Parquet segment and read back one row each with
// the inputs as objects, exactly as the records would have been.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { PredictionSegmentRepository } from '../../domain/ports/serving-store.js';
import type { PredictionBatch, PredictionSegment, ReceivedRows } from '../../domain/serving.js';
import { FsArtifactStore } from '../artifacts/fs-artifact-store.js';
import { ParquetPredictionLogReader } from './parquet-log-reader.js';
import { LineBuffer } from './line-buffer.js';
import { writeBatchLine } from './record-lines.js';
import { SegmentPredictionLog } from './segment-log.js';
import { jsonObjectLimit } from './segment-roller.js';

class MemorySegments implements PredictionSegmentRepository {
  readonly rows: PredictionSegment[] = [];
  async register(s: PredictionSegment) {
    this.rows.push(s);
    return true;
  }
  async list() {
    return this.rows;
  }
  async rowsByDeployment() {
    return new Map<string, number>();
  }
}

const opened: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const o of opened.splice(0)) await o.close().catch(() => undefined);
});

const id = (n: number) => `0190a0b0-0000-7000-8000-${String(n).padStart(12, '0')}`;
const base = { project_id: 'p1', deployment_id: 'd1', deployment: 'weather-prod', model_version_id: 'mv1', model_version: 3, latency_ms: 2.5, received_at: 9_000, classes: ['rain', 'sun'] };

function batch(extra: Partial<PredictionBatch> & Pick<PredictionBatch, 'ids' | 'inputs'>): PredictionBatch {
  const n = extra.ids.length;
  return { ...base, labels: extra.ids.map((_, i) => (i % 2 ? 'sun' : 'rain')), probabilities: Float32Array.from({ length: n * 2 }, (_, k) => (k % 2 ? 0.75 : 0.25)), event_times: null, ...extra };
}

/** The batch's line as text. */
function batchLine(b: PredictionBatch): string {
  const out = new LineBuffer(16);
  writeBatchLine(out, b);
  return out.view().toString('utf8');
}

/** A data array's text as received: its bytes and each row's bounds (the rows are its innermost brackets). */
function received(text: string): ReceivedRows {
  const bounds = [...text.matchAll(/\[[^[\]]*\]/g)].flatMap((m) => [m.index, m.index + m[0].length]);
  return { bytes: Buffer.from(text), bounds: Uint32Array.from(bounds) };
}

/** A log (writing every 5 ms) and its reader over a fresh folder, closed after the test; `prepare` runs on the folder first. */
function openLog(prefix: string, options: { onError?: (err: unknown) => void; prepare?: (dir: string) => void } = {}) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const artifacts = new FsArtifactStore(join(dir, 'artifacts'));
  const segments = new MemorySegments();
  options.prepare?.(dir);
  const log = new SegmentPredictionLog({ dir: join(dir, 'log'), artifacts, segments, writeDelayMs: 5, onError: options.onError });
  const reader = new ParquetPredictionLogReader(artifacts);
  opened.push(log, reader);
  return { dir, segments, log, reader };
}

describe('prediction log batches', () => {
  it('writes one line per batch holding each row, as received when the rows are numbers', () => {
    const rows = [{ temp: 1.5 }, { temp: null, city: 'Zürich "q"\n' }];
    const line = batchLine(batch({ ids: [id(1), id(2)], inputs: { rows } }));
    expect(line.endsWith('}\n')).toBe(true);
    expect(line.slice(0, -1)).not.toContain('\n');
    const parsed = JSON.parse(line);
    expect(parsed).toMatchObject({ ids: [id(1), id(2)], labels: ['rain', 'sun'], classes: ['rain', 'sun'], deployment: 'weather-prod', model_version: 3 });
    expect(parsed.prob_texts.map((t: string) => JSON.parse(t))).toEqual([{ rain: 0.25, sun: 0.75 }, { rain: 0.25, sun: 0.75 }]);
    expect(parsed.input_rows).toEqual(rows.map((r) => JSON.stringify(r)));
    expect(parsed).not.toHaveProperty('input_columns');
    expect(parsed).not.toHaveProperty('shadow');

    const text = ' [ [1.50, 2] , [3,-4e-1],[0,1E+2] ] ';
    const numeric = JSON.parse(batchLine(batch({ ids: [id(1), id(2), id(3)], inputs: { columns: ['a', 'b'], data: JSON.parse(text), received: received(text) } })));
    expect(numeric.input_rows).toEqual(['[1.50, 2]', '[3,-4e-1]', '[0,1E+2]']);
    const one = JSON.parse(batchLine(batch({ ids: [id(1)], inputs: { columns: ['a'], data: [[7]], received: received('[[7]]') } })));
    expect(one.input_rows).toEqual(['[7]']);
    // Rows not received as text are serialised.
    const parsed2 = JSON.parse(batchLine(batch({ ids: [id(1), id(2)], inputs: { columns: ['a', 'b'], data: [[1, 2], [3, 4]] } })));
    expect(parsed2.input_rows).toEqual(['[1,2]', '[3,4]']);
  });

  it('writes a batch larger than one text piece whole, growing its buffer', () => {
    const n = 3_000;
    const ids = Array.from({ length: n }, (_, i) => id(i));
    const text = `[${Array.from({ length: n }, (_, i) => `[${i},${i / 4}]`).join(',')}]`;
    const out = new LineBuffer(64);
    writeBatchLine(out, batch({ ids, inputs: { columns: ['a', 'b'], data: JSON.parse(text), received: received(text) }, event_times: ids.map((_, i) => 1_000 + i) }));
    expect(out.capacity).toBeGreaterThanOrEqual(out.length);
    const line = out.view().toString('utf8');
    expect(line.indexOf('\n')).toBe(line.length - 1);
    const parsed = JSON.parse(line);
    expect(parsed.ids).toEqual(ids);
    expect(parsed.event_times).toEqual(ids.map((_, i) => 1_000 + i));
    expect(parsed.input_rows.map((r: string) => JSON.parse(r))).toEqual(JSON.parse(text));
    expect(parsed.prob_texts).toHaveLength(n);
  });

  it('rolls batches and single records into one segment, read back one prediction a row', async () => {
    const { dir, segments, log, reader } = openLog('flywheel-plog-batch-');

    log.appendBatch(batch({ ids: [id(1), id(2)], event_times: [1_000, 1_001], inputs: { columns: ['temp', 'station', 'wind'], data: [[1.5, 'north', null], [2, 'a"]b', 3]] } }));
    log.appendBatch(batch({ ids: [id(3)], inputs: { rows: [{ temp: 7, note: 'no text kept' }] } }));
    log.appendBatch(batch({ ids: [id(4)], inputs: { columns: ['__proto__', 'x'], data: [[1, 2]] } }));
    log.appendBatch(batch({ ids: [id(1)], shadow: true, model_version: 4, event_times: [1_000], inputs: { rows: [{ temp: 1.5 }] } }));
    log.append([{ ...base, id: id(5), inputs: { temp: 9 }, label: 'sun', probabilities: { rain: 0.1, sun: 0.9 }, event_time: 2_000 }]);
    expect(log.pendingRows()).toBe(6);
    await new Promise((r) => setTimeout(r, 50));
    const open = readdirSync(join(dir, 'log', 'open'));
    expect(readFileSync(join(dir, 'log', 'open', open[0]), 'utf8').trim().split('\n')).toHaveLength(5);

    const rolled = await log.flush();
    expect(rolled.map((s) => s.rows)).toEqual([6]);
    // The event-time range counts each row's own time, or its batch's receive time.
    expect(rolled[0]).toMatchObject({ min_event_time: 1_000, max_event_time: 9_000 });
    const all = await reader.read(segments.rows, { shadow: 'include' });
    const byId = (n: number, shadow = false) => all.find((p) => p.id === id(n) && (p.shadow === true) === shadow)!;
    expect(all).toHaveLength(6);
    expect(byId(1)).toMatchObject({ inputs: { temp: 1.5, station: 'north', wind: null }, label: 'rain', probabilities: { rain: 0.25, sun: 0.75 }, event_time: 1_000, received_at: 9_000, model_version: 3, latency_ms: 2.5 });
    expect(byId(2)).toMatchObject({ inputs: { temp: 2, station: 'a"]b', wind: 3 }, label: 'sun', event_time: 1_001 });
    expect(byId(3)).toMatchObject({ inputs: { temp: 7, note: 'no text kept' }, event_time: 9_000 });
    expect(Object.keys(byId(4).inputs)).toEqual(['__proto__', 'x']);
    expect(Object.getPrototypeOf(byId(4).inputs)).toBe(Object.prototype);
    expect(byId(1, true)).toMatchObject({ shadow: true, model_version: 4, inputs: { temp: 1.5 } });
    expect(byId(5)).toMatchObject({ inputs: { temp: 9 }, probabilities: { rain: 0.1, sun: 0.9 }, event_time: 2_000 });
    expect((await reader.read(segments.rows)).map((p) => p.id).sort()).toEqual([1, 2, 3, 4, 5].map(id));
  });

  it('keeps lines whose write failed and writes them, in order, once the file can be written', async () => {
    const errors: unknown[] = [];
    // A file where the open segments' folder should be: every write fails until it goes.
    const { dir, segments, log, reader } = openLog('flywheel-plog-retry-', {
      onError: (e) => errors.push(e),
      prepare: (d) => {
        mkdirSync(join(d, 'log'), { recursive: true });
        writeFileSync(join(d, 'log', 'open'), 'in the way');
      },
    });

    log.appendBatch(batch({ ids: [id(1), id(2)], inputs: { rows: [{ t: 1 }, { t: 2 }] } }));
    await new Promise((r) => setTimeout(r, 50));
    expect(errors.length).toBeGreaterThan(0);
    log.appendBatch(batch({ ids: [id(3)], inputs: { rows: [{ t: 3 }] } }));
    await new Promise((r) => setTimeout(r, 50));
    rmSync(join(dir, 'log', 'open'));
    const rolled = await log.flush();
    expect(rolled.map((s) => s.rows)).toEqual([3]);
    expect((await reader.read(segments.rows)).map((p) => [p.id, p.inputs])).toEqual([
      [id(1), { t: 1 }],
      [id(2), { t: 2 }],
      [id(3), { t: 3 }],
    ]);
  });

  it('rolls a line longer than the JSON reader\'s smallest object limit, and sizes that limit by the longest line', async () => {
    expect(jsonObjectLimit(undefined)).toBe(1 << 30);
    expect(jsonObjectLimit(300_000)).toBe(16 << 20);
    expect(jsonObjectLimit(16 << 20)).toBe(32 << 20);
    expect(jsonObjectLimit(40 << 20)).toBe(64 << 20);
    const { segments, log, reader } = openLog('flywheel-plog-long-');
    // One line of ~18 MB (two rows of 9 MB texts, each quoted twice over).
    const rows = [{ note: 'a"'.repeat(3_000_000) }, { note: 'b'.repeat(9_000_000) }];
    log.appendBatch(batch({ ids: [id(1), id(2)], inputs: { rows } }));
    log.appendBatch(batch({ ids: [id(3)], inputs: { rows: [{ note: 'short' }] } }));
    expect((await log.flush()).map((s) => s.rows)).toEqual([3]);
    const read = await reader.read(segments.rows);
    expect(read.map((p) => (p.inputs as { note: string }).note.length)).toEqual([6_000_000, 9_000_000, 5]);
  });

  it("keeps a regression model's predicted values beside classifiers' predictions, read back as numbers", async () => {
    const { segments, log, reader } = openLog('flywheel-plog-values-');

    const regression = { labels: ['10.9', '-2.5', 'NaN'], classes: [], probabilities: new Float32Array(0), values: [10.9, -2.5, Number.NaN] };
    const line = JSON.parse(batchLine(batch({ ids: [id(1), id(2), id(3)], inputs: { rows: [{ t: 1 }, { t: 2 }, { t: 3 }] }, ...regression })));
    expect(line).toMatchObject({ values: [10.9, -2.5, null], labels: ['10.9', '-2.5', 'NaN'], classes: [], prob_texts: ['{}', '{}', '{}'] });
    log.appendBatch(batch({ ids: [id(1), id(2), id(3)], inputs: { rows: [{ t: 1 }, { t: 2 }, { t: 3 }] }, ...regression }));
    log.appendBatch(batch({ ids: [id(4)], inputs: { rows: [{ t: 4 }] } }));
    log.append([{ ...base, id: id(5), inputs: { t: 5 }, label: '7.25', probabilities: {}, value: 7.25, event_time: 2_000 }]);
    await log.flush();
    const all = await reader.read(segments.rows);
    const byId = (n: number) => all.find((p) => p.id === id(n))!;
    expect(byId(1)).toMatchObject({ value: 10.9, label: '10.9', probabilities: {}, inputs: { t: 1 } });
    expect(byId(2)).toMatchObject({ value: -2.5, label: '-2.5' });
    expect(byId(3)).not.toHaveProperty('value'); // no finite value to keep
    expect(byId(4)).toMatchObject({ label: 'rain', probabilities: { rain: 0.25, sun: 0.75 } });
    expect(byId(4)).not.toHaveProperty('value');
    expect(byId(5)).toMatchObject({ value: 7.25, label: '7.25' });
  });

  it('rolls batch lines of the earlier format (inputs and probabilities as JSON values) left by a stopped server', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flywheel-plog-old-'));
    const artifacts = new FsArtifactStore(join(dir, 'artifacts'));
    const segments = new MemorySegments();
    const logDir = join(dir, 'log');
    const old = {
      ...base,
      ids: [id(1), id(2)], labels: ['rain', 'sun'], classes: ['rain', 'sun'], probs: [[0.25, 0.75], [0.5, 0.5]],
      input_columns: ['temp', 'station'], input_list: [[1.5, 'north'], [2, 'south']],
      event_times: [1_000, 1_001],
    };
    mkdirSync(join(logDir, 'rolling'), { recursive: true });
    // A file of a server on another host, untouched for long: its owner is gone.
    const file = join(logDir, 'rolling', 'gone-host_4242_deadbeef-1.ndjson');
    writeFileSync(file, `${JSON.stringify(old)}\n`);
    utimesSync(file, new Date(0), new Date(0));
    const log = new SegmentPredictionLog({ dir: logDir, artifacts, segments, writeDelayMs: 5 });
    const reader = new ParquetPredictionLogReader(artifacts);
    opened.push(log, reader);
    const recovered = await log.recover();
    expect(recovered.map((s) => s.rows)).toEqual([2]);
    const all = await reader.read(segments.rows);
    expect(all.map((p) => [p.inputs, p.probabilities, p.event_time])).toEqual([
      [{ temp: 1.5, station: 'north' }, { rain: 0.25, sun: 0.75 }, 1_000],
      [{ temp: 2, station: 'south' }, { rain: 0.5, sun: 0.5 }, 1_001],
    ]);
  });
});
