// The prediction log writer: predictions are appended to this process's open NDJSON segment
// (encoded at once into a byte buffer that is kept and reused, written to the file in batches off
// the request path), and the segment is rolled into Parquet when it reaches `maxRows` rows or
// `maxAgeMs` of age, on flush() and on close(). Encoding at once lets a request's ids, labels and
// body go as soon as it is answered: held until the write, they outlived the young generation and
// were copied by every scavenge in between.
// Files left by a process that died are rolled by recover(); nothing logged is lost.
import { mkdir, open, readdir, rename, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { systemClock, type Clock } from '../../domain/clock.js';
import { UnexpectedError } from '../../domain/errors.js';
import type { ArtifactStore } from '../../domain/ports/artifact-store.js';
import type { PredictionLogWriter } from '../../domain/ports/prediction-log.js';
import type { PredictionSegmentRepository } from '../../domain/ports/serving-store.js';
import type { PredictionBatch, PredictionRecord, PredictionSegment } from '../../domain/serving.js';
import { LazyDuckDb } from './lazy-duckdb.js';
import { LineBuffer } from './line-buffer.js';
import { writeBatchLine, writeRecordLine } from './record-lines.js';
import { SegmentRoller } from './segment-roller.js';
import {
  newOwner,
  ownerMayBeAlive,
  parseSegmentFileName,
  releaseOwner,
  segmentFileName,
  type SegmentFileOwner,
} from './segment-files.js';

export const DEFAULT_SEGMENT_ROWS = 50_000;
export const DEFAULT_SEGMENT_SECONDS = 60;

/** A line buffer grown past this is let go after its write rather than kept for the next. */
const KEEP_BUFFER_BYTES = 16 << 20;

export interface SegmentLogOptions {
  /** Folder of the log's local files (FLYWHEEL_HOME/prediction-log). */
  dir: string;
  artifacts: ArtifactStore;
  segments: PredictionSegmentRepository;
  /** Roll when the open segment holds this many rows (default 50,000). */
  maxRows?: number;
  /** Roll when the open segment is this old (default 60 s). */
  maxAgeMs?: number;
  /** How long appended rows may wait in memory before being written to the file (default 25 ms). */
  writeDelayMs?: number;
  clock?: Clock;
  /** Told about background failures (a roll that will be retried); defaults to silence. */
  onError?: (err: unknown) => void;
}

interface OpenSegment {
  file: string;
  rows: number;
  /** Lines appended and not yet written. */
  pending: LineBuffer;
  /** Bytes of the longest line appended. */
  longestLine: number;
  fh?: FileHandle;
  /** File operations of this segment, in order. */
  io: Promise<void>;
  writeTimer?: NodeJS.Timeout;
  ageTimer?: NodeJS.Timeout;
}

/** Encode one line into the segment's buffer, noting the longest line its file holds. */
function encode(seg: OpenSegment, write: (out: LineBuffer) => void): void {
  const from = seg.pending.length;
  write(seg.pending);
  seg.longestLine = Math.max(seg.longestLine, seg.pending.length - from);
}

async function listDir(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

export class SegmentPredictionLog implements PredictionLogWriter {
  private readonly owner: SegmentFileOwner = newOwner();
  private readonly openDir: string;
  private readonly rollingDir: string;
  /** One DuckDB thread: a roll runs beside serving, where a second thread buys no time and costs
   *  CPU (reading a segment's JSON took twice the CPU on two threads, measured). Its memory blocks
   *  come from a pool kept mapped between rolls (up to 128 MB, touched only as a roll needs it),
   *  not fresh pages each roll: a 50,000-row roll took ~15% less CPU. */
  private readonly duck = new LazyDuckDb({ threads: '1', block_allocator_memory: '128MB' });
  private readonly roller: SegmentRoller;
  private readonly maxRows: number;
  private readonly maxAgeMs: number;
  private readonly writeDelayMs: number;
  private readonly clock: Clock;
  private seq = 0;
  private current: OpenSegment | undefined;
  /** Rows appended and not yet registered, by file name. */
  private readonly unrolled = new Map<string, number>();
  /** The longest line (bytes) of each file this writer closed and has not rolled yet, for the roll's JSON reader. */
  private readonly longestLines = new Map<string, number>();
  private readonly inflight = new Set<Promise<PredictionSegment[]>>();
  /** Line buffers free for the next write (one per segment writing at once, at most two kept). */
  private readonly buffers: LineBuffer[] = [];
  private rollChain: Promise<unknown> = Promise.resolve();
  private retryTimer: NodeJS.Timeout;
  private closed = false;

  constructor(private readonly options: SegmentLogOptions) {
    this.openDir = path.join(options.dir, 'open');
    this.rollingDir = path.join(options.dir, 'rolling');
    this.maxRows = options.maxRows ?? DEFAULT_SEGMENT_ROWS;
    this.maxAgeMs = options.maxAgeMs ?? DEFAULT_SEGMENT_SECONDS * 1000;
    this.writeDelayMs = options.writeDelayMs ?? 25;
    this.clock = options.clock ?? systemClock;
    this.roller = new SegmentRoller({
      duck: this.duck,
      artifacts: options.artifacts,
      segments: options.segments,
      tmpDir: path.join(options.dir, 'tmp'),
      clock: this.clock,
    });
    // Rolls that failed (the artifact store or database was away) are retried on this beat.
    this.retryTimer = setInterval(() => {
      if (this.unrolled.size > (this.current ? 1 : 0)) this.track(this.rollOwn()).catch(() => undefined);
    }, this.maxAgeMs);
    this.retryTimer.unref();
  }

  append(records: PredictionRecord[]): void {
    if (this.closed) throw new UnexpectedError('the prediction log is closed');
    if (records.length === 0) return;
    const seg = (this.current ??= this.startSegment());
    for (const r of records) encode(seg, (out) => writeRecordLine(out, r));
    this.appended(seg, records.length);
  }

  appendBatch(batch: PredictionBatch): void {
    if (this.closed) throw new UnexpectedError('the prediction log is closed');
    if (batch.ids.length === 0) return;
    const seg = (this.current ??= this.startSegment());
    encode(seg, (out) => writeBatchLine(out, batch));
    this.appended(seg, batch.ids.length);
  }

  /** Count appended rows; roll at the size limit, else make sure a write is scheduled. */
  private appended(seg: OpenSegment, rows: number): void {
    seg.rows += rows;
    this.unrolled.set(path.basename(seg.file), seg.rows);
    if (seg.rows >= this.maxRows) {
      this.rollCurrent();
      return;
    }
    if (!seg.writeTimer) {
      seg.writeTimer = setTimeout(() => {
        seg.writeTimer = undefined;
        this.writeOut(seg);
      }, this.writeDelayMs);
      seg.writeTimer.unref();
    }
  }

  pendingRows(): number {
    let n = 0;
    for (const rows of this.unrolled.values()) n += rows;
    return n;
  }

  async flush(): Promise<PredictionSegment[]> {
    if (this.current) this.rollCurrent();
    const done = await Promise.allSettled([...this.inflight]);
    const segments = done.flatMap((r) => (r.status === 'fulfilled' ? r.value : []));
    // Whatever failed above is retried once more here; a failure now reaches the caller.
    segments.push(...(await this.track(this.rollOwn())));
    return segments;
  }

  async recover(): Promise<PredictionSegment[]> {
    const now = this.clock.now();
    const staleMs = Math.max(10 * 60_000, 5 * this.maxAgeMs);
    await mkdir(this.rollingDir, { recursive: true });
    const orphans: string[] = [];
    for (const name of await listDir(this.openDir)) {
      const owner = parseSegmentFileName(name);
      if (!owner || owner.token === this.owner.token) continue;
      const file = path.join(this.openDir, name);
      const info = await stat(file).catch(() => undefined);
      if (!info || ownerMayBeAlive(owner, info.mtimeMs, now, staleMs)) continue;
      try {
        await rename(file, path.join(this.rollingDir, name)); // claim it; another recoverer may win
      } catch {
        continue;
      }
    }
    for (const name of await listDir(this.rollingDir)) {
      const owner = parseSegmentFileName(name);
      if (!owner || owner.token === this.owner.token) continue;
      const info = await stat(path.join(this.rollingDir, name)).catch(() => undefined);
      if (info && !ownerMayBeAlive(owner, info.mtimeMs, now, staleMs)) orphans.push(name);
    }
    return this.serialRoll(orphans);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    try {
      await this.flush();
    } finally {
      this.closed = true;
      clearInterval(this.retryTimer);
      releaseOwner(this.owner);
      await this.duck.close();
    }
  }

  private startSegment(): OpenSegment {
    const seg: OpenSegment = {
      file: path.join(this.openDir, segmentFileName(this.owner, ++this.seq)),
      rows: 0,
      pending: this.takeBuffer(),
      longestLine: 0,
      io: Promise.resolve(),
    };
    seg.ageTimer = setTimeout(() => {
      if (this.current === seg) this.rollCurrent();
    }, this.maxAgeMs);
    seg.ageTimer.unref();
    return seg;
  }

  /** Queue a write of the segment's buffered lines (appends happen in order, never concurrently). */
  private writeOut(seg: OpenSegment): Promise<void> {
    seg.io = seg.io.then(async () => {
      if (seg.pending.length === 0) return;
      // Lines appended while this write runs go to a fresh buffer.
      const out = seg.pending;
      seg.pending = this.takeBuffer();
      try {
        if (!seg.fh) {
          await mkdir(this.openDir, { recursive: true });
          seg.fh = await open(seg.file, 'a');
        }
        await seg.fh.appendFile(out.view());
      } catch (err) {
        // Kept for the next attempt, ahead of what came since.
        const since = seg.pending;
        since.copyTo(out);
        seg.pending = out;
        this.giveBuffer(since);
        this.options.onError?.(err);
        throw err;
      }
      this.giveBuffer(out);
    });
    const written = seg.io;
    seg.io = seg.io.catch(() => undefined);
    return written;
  }

  private takeBuffer(): LineBuffer {
    return this.buffers.pop() ?? new LineBuffer();
  }

  /** Keep an emptied buffer for the next segment or write (at most two, none grown past KEEP_BUFFER_BYTES). */
  private giveBuffer(b: LineBuffer): void {
    b.clear();
    if (this.buffers.length < 2 && b.capacity <= KEEP_BUFFER_BYTES) this.buffers.push(b);
  }

  /** Close the open segment: write what is buffered, move it to rolling/, roll it in the background. */
  private rollCurrent(): void {
    const seg = this.current;
    if (!seg) return;
    this.current = undefined;
    clearTimeout(seg.ageTimer);
    clearTimeout(seg.writeTimer);
    const rolled = (async () => {
      await this.writeOut(seg);
      this.giveBuffer(seg.pending);
      if (seg.fh) {
        this.longestLines.set(path.basename(seg.file), seg.longestLine);
        await seg.fh.sync().catch(() => undefined);
        await seg.fh.close();
        seg.fh = undefined;
        await mkdir(this.rollingDir, { recursive: true });
        await rename(seg.file, path.join(this.rollingDir, path.basename(seg.file)));
      }
      return this.rollOwn();
    })();
    this.track(rolled).catch((err) => this.options.onError?.(err));
  }

  /** Roll every closed file of this writer (one roll at a time in this writer). */
  private async rollOwn(): Promise<PredictionSegment[]> {
    const mine = (await listDir(this.rollingDir)).filter((n) => parseSegmentFileName(n)?.token === this.owner.token);
    return this.serialRoll(mine);
  }

  private serialRoll(names: string[]): Promise<PredictionSegment[]> {
    const run = this.rollChain.then(async () => {
      const out: PredictionSegment[] = [];
      let failure: unknown;
      for (const name of names) {
        try {
          out.push(...(await this.roller.roll(path.join(this.rollingDir, name), this.longestLines.get(name))));
          this.unrolled.delete(name);
          this.longestLines.delete(name);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue; // rolled by someone else
          failure ??= err;
        }
      }
      if (failure) throw failure;
      return out;
    });
    this.rollChain = run.catch(() => undefined);
    return run;
  }

  private track(p: Promise<PredictionSegment[]>): Promise<PredictionSegment[]> {
    this.inflight.add(p);
    p.then(
      () => this.inflight.delete(p),
      () => this.inflight.delete(p),
    );
    return p;
  }
}
