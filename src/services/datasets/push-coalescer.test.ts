// The push coalescer: a lone push runs at once; pushes that arrive while it runs reach the engine
// together, each answered with its own outcome; if the combined run fails, each runs alone so
// only the bad batch fails.
import { describe, expect, it } from 'vitest';
import type { ColumnSchema } from '../../domain/datasets.js';
import type { DataEngine, IngestOutcome, RecordGroupsIngestRequest, RecordsIngestRequest } from '../../domain/ports/data-engine.js';
import { PushCoalescer } from './push-coalescer.js';

const SCHEMA: ColumnSchema[] = [{ name: 'n', type: 'integer', nullable: true, semantic: 'numeric' }];
const outcomeOf = (tag: string, rows: number): IngestOutcome => ({
  source: { bytes: 0, sha256: tag },
  schema: SCHEMA,
  profile: [],
  report: { rows_read: rows, accepted: rows, quarantined: 0, by_rule: {} },
  accepted: { path: `/tmp/${tag}`, rows },
  quarantine: null,
});

/** An engine whose calls wait until `release()`; it records what it was asked. */
function gatedEngine(options: { failGroups?: boolean; badTag?: string } = {}) {
  const calls: string[] = [];
  let open!: () => void;
  const gate = new Promise<void>((r) => (open = r));
  const engine = {
    async ingestRecords(req: RecordsIngestRequest) {
      calls.push(`one:${req.source.sha256}`);
      await gate;
      if (req.source.sha256 === options.badTag) throw new Error(`bad batch ${req.source.sha256}`);
      return outcomeOf(req.source.sha256, req.records.length);
    },
    async ingestRecordGroups(req: RecordGroupsIngestRequest) {
      calls.push(`groups:${req.groups.map((g) => g.source.sha256).join(',')}`);
      await gate;
      if (options.failGroups) throw new Error('a batch does not fit');
      return req.groups.map((g) => outcomeOf(g.source.sha256, g.records.length));
    },
  } as unknown as DataEngine;
  return { engine, calls, release: () => open() };
}

const request = (tag: string, rows = 1) => ({
  records: Array.from({ length: rows }, (_, n) => ({ n })),
  source: { bytes: rows, sha256: tag },
  rules: null,
  schema: SCHEMA,
  workDir: `/tmp/${tag}`,
});

describe('PushCoalescer', () => {
  it('runs a lone push at once and the pushes that arrive meanwhile together', async () => {
    const { engine, calls, release } = gatedEngine();
    const coalescer = new PushCoalescer(() => engine, 1);
    const first = coalescer.ingest('d1', request('a', 2));
    const later = ['b', 'c', 'd'].map((t, k) => coalescer.ingest('d1', request(t, k + 1)));
    const otherDataset = coalescer.ingest('d2', request('z'));
    release();
    const outcomes = await Promise.all([first, ...later, otherDataset]);
    expect(outcomes.map((o) => [o.source.sha256, o.accepted.rows])).toEqual([
      ['a', 2],
      ['b', 1],
      ['c', 2],
      ['d', 3],
      ['z', 1],
    ]);
    expect(calls).toEqual(['one:a', 'one:z', 'groups:b,c,d']);
  });

  it('runs each batch alone when the combined run fails, so only the bad one fails', async () => {
    const { engine, calls, release } = gatedEngine({ failGroups: true, badTag: 'c' });
    const coalescer = new PushCoalescer(() => engine, 1);
    const all = ['a', 'b', 'c', 'd'].map((t) => coalescer.ingest('d1', request(t)).then((o) => o.source.sha256, (e: Error) => e.message));
    release();
    expect(await Promise.all(all)).toEqual(['a', 'b', 'bad batch c', 'd']);
    expect(calls).toEqual(['one:a', 'groups:b,c,d', 'one:b', 'one:c', 'one:d']);
  });

  it('answers a batch the engine reports early at once, and reruns only the others when the run then fails', async () => {
    const calls: string[] = [];
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    const answered: string[] = [];
    const answeredBeforeEnd: string[] = [];
    const engine = {
      async ingestRecords(req: RecordsIngestRequest) {
        calls.push(`one:${req.source.sha256}`);
        await gate;
        return outcomeOf(`${req.source.sha256}-alone`, req.records.length);
      },
      async ingestRecordGroups(req: RecordGroupsIngestRequest) {
        calls.push(`groups:${req.groups.map((g) => g.source.sha256).join(',')}`);
        req.onOutcome?.(0, outcomeOf(`${req.groups[0].source.sha256}-early`, 1));
        await new Promise((r) => setTimeout(r, 5));
        answeredBeforeEnd.push(...answered);
        throw new Error('a later batch does not fit');
      },
    } as unknown as DataEngine;
    const coalescer = new PushCoalescer(() => engine, 1);
    const all = ['a', 'b', 'c'].map((t) => coalescer.ingest('d1', request(t)).then((o) => (answered.push(o.source.sha256), o.source.sha256)));
    open();
    expect(await Promise.all(all)).toEqual(['a-alone', 'b-early', 'c-alone']);
    expect(calls).toEqual(['one:a', 'groups:b,c', 'one:c']);
    // The first batch of the run was answered before the run ended.
    expect(answeredBeforeEnd).toEqual(['a-alone', 'b-early']);
  });

  it('runs up to `parallel` engine runs of a lane at once, then the rest together', async () => {
    const { engine, calls, release } = gatedEngine();
    const coalescer = new PushCoalescer(() => engine, 2);
    const all = ['a', 'b', 'c', 'd', 'e'].map((t) => coalescer.ingest('d1', request(t)));
    release();
    expect((await Promise.all(all)).map((o) => o.source.sha256)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(calls).toEqual(['one:a', 'one:b', 'groups:c,d,e']);
  });

  it('keeps pushes with other rules or schemas apart', async () => {
    const { engine, calls, release } = gatedEngine();
    const coalescer = new PushCoalescer(() => engine, 1);
    const first = coalescer.ingest('d1', request('a'));
    const other = coalescer.ingest('d1', { ...request('b'), schema: [{ ...SCHEMA[0], type: 'double' }] });
    const same = coalescer.ingest('d1', request('c'));
    release();
    await Promise.all([first, other, same]);
    expect(calls.sort()).toEqual(['one:a', 'one:b', 'one:c']);
  });
});
