// The prediction log writer and reader on a real folder and artifact store, with an in-memory
// segment registry: rolling by rows, by age and on flush; Parquet read back by window;
// recovery of a dead process's files (a torn last line included); idempotent registration.
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { newId } from '../../domain/ids.js';
import type { PredictionSegmentRepository } from '../../domain/ports/serving-store.js';
import type { PredictionRecord, PredictionSegment } from '../../domain/serving.js';
import { FsArtifactStore } from '../artifacts/fs-artifact-store.js';
import { ParquetPredictionLogReader } from './parquet-log-reader.js';
import { hostPart } from './segment-files.js';
import { SegmentPredictionLog } from './segment-log.js';

class MemorySegments implements PredictionSegmentRepository {
  readonly rows: PredictionSegment[] = [];
  async register(s: PredictionSegment) {
    if (this.rows.some((r) => r.source === s.source)) return false;
    this.rows.push(s);
    return true;
  }
  async list(projectId: string, f: { deploymentId?: string; from?: number; to?: number }) {
    return this.rows.filter(
      (s) => s.project_id === projectId && (!f.deploymentId || s.deployment_id === f.deploymentId) && (f.from === undefined || s.max_event_time >= f.from) && (f.to === undefined || s.min_event_time < f.to),
    );
  }
  async rowsByDeployment() {
    return new Map<string, number>();
  }
}

function record(i: number, deployment = 'd1'): PredictionRecord {
  return {
    id: newId(),
    project_id: 'p1',
    deployment_id: deployment,
    deployment: `name-${deployment}`,
    model_version_id: 'mv1',
    model_version: 1,
    inputs: { x: i, city: 'Zürich "quoted"' },
    label: i % 2 ? 'rain' : 'sun',
    probabilities: { rain: 0.25, sun: 0.75 },
    latency_ms: 1.5,
    event_time: 1_000 + i,
    received_at: 5_000,
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const opened: Array<{ close(): Promise<void> }> = [];

function setup(opts: { maxRows?: number; maxAgeMs?: number } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'flywheel-plog-'));
  const artifacts = new FsArtifactStore(join(dir, 'artifacts'));
  const segments = new MemorySegments();
  const log = new SegmentPredictionLog({ dir: join(dir, 'log'), artifacts, segments, writeDelayMs: 5, ...opts });
  const reader = new ParquetPredictionLogReader(artifacts);
  opened.push(log, reader);
  return { dir, artifacts, segments, log, reader };
}

afterEach(async () => {
  for (const o of opened.splice(0)) await o.close().catch(() => undefined);
});

describe('SegmentPredictionLog', () => {
  it('rolls on flush into one Parquet segment per deployment, readable back by window', async () => {
    const { log, segments, reader } = setup();
    const recs = [record(0), record(1, 'd2'), record(2), record(3)];
    log.append(recs);
    expect(log.pendingRows()).toBe(4);
    const rolled = await log.flush();
    expect(log.pendingRows()).toBe(0);
    expect(rolled.map((s) => [s.deployment_id, s.rows, s.min_event_time, s.max_event_time]).sort()).toEqual([
      ['d1', 3, 1000, 1003],
      ['d2', 1, 1001, 1001],
    ]);
    expect(segments.rows).toHaveLength(2);
    const d1 = await reader.read(segments.rows, { deploymentId: 'd1', from: 1002, to: 1004 });
    expect(d1.map((r) => r.id)).toEqual([recs[2].id, recs[3].id]);
    expect(d1[0]).toEqual(recs[2]);
  });

  it('rolls when the open segment reaches maxRows, and when it is maxAgeMs old', async () => {
    const { log, segments } = setup({ maxRows: 3, maxAgeMs: 150 });
    log.append([record(0), record(1), record(2)]);
    await expect.poll(() => segments.rows.length, { timeout: 5000 }).toBe(1);
    expect(segments.rows[0].rows).toBe(3);
    log.append([record(3)]);
    await sleep(50);
    expect(segments.rows).toHaveLength(1);
    await expect.poll(() => segments.rows.length, { timeout: 5000 }).toBe(2);
    expect(log.pendingRows()).toBe(0);
  });

  it("recovers a dead process's open file, cutting a torn last line, and registers it once", async () => {
    const { dir, log, segments, reader } = setup();
    const open = join(dir, 'log', 'open');
    mkdirSync(open, { recursive: true });
    const recs = [record(0), record(1)];
    // pid 2^22+1 is above Linux's pid_max: no live process has it.
    const name = `${hostPart()}_4194305_deadbeef-1.ndjson`;
    writeFileSync(join(open, name), recs.map((r) => JSON.stringify(r)).join('\n') + '\n{"id":"torn", "proj');
    // A file of a live process (our parent) is left alone.
    const live = `${hostPart()}_${process.ppid}_aaaaaa-1.ndjson`;
    writeFileSync(join(open, live), JSON.stringify(record(9)) + '\n');
    const recovered = await log.recover();
    expect(recovered).toHaveLength(1);
    expect(recovered[0]).toMatchObject({ rows: 2, source: `${name}#d1` });
    expect((await reader.read(segments.rows)).map((r) => r.id)).toEqual(recs.map((r) => r.id));
    expect(readdirSync(open)).toEqual([live]);
    // Rolling the same source again (a crash between register and delete) registers nothing new.
    writeFileSync(join(open, name), recs.map((r) => JSON.stringify(r)).join('\n') + '\n');
    expect(await log.recover()).toEqual([]);
    expect(segments.rows).toHaveLength(1);
  });

  it('flushes on close and refuses appends afterwards', async () => {
    const { log, segments } = setup();
    log.append([record(0)]);
    await log.close();
    expect(segments.rows).toHaveLength(1);
    expect(() => log.append([record(1)])).toThrow(/closed/);
  });
});
