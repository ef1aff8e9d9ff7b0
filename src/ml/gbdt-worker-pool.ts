// Histogram building spread over worker threads: the binned data, the rows of the node being
// built, the gradients and the histogram arena live in SharedArrayBuffers; a build cuts the node's features
// into chunks that the calling thread and the workers claim one at a time from a shared counter,
// so a worker the OS has not scheduled yet costs nothing (the caller takes its chunks). A
// feature's histogram is always summed by one thread in partition order, so the trees are
// bit-identical whatever the number of threads. Dispatch is synchronous (Atomics.wait/notify on a
// shared control block), so fitting stays a plain synchronous call; small nodes stay on the
// calling thread, where waking the workers would cost more than it saves.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { buildHistograms, type HistogramBuilder, type HistogramWorkspace } from './gbdt-histogram.js';

/** Below this many (row × feature) cells a node's histograms are built on the calling thread. */
export const PARALLEL_MIN_CELLS = 1 << 16;
/** Longest wait for a worker before fitting fails (a stuck or dead worker). */
const WORKER_TIMEOUT_MS = 120_000;

// Control block (Int32). SEQ: task number (only the caller writes it); FINISHED: chunks done in
// this task; NEXT: (task tag << 16) | next unclaimed chunk, claimed by compare-and-swap, so a
// worker waking late can never claim a chunk of another task; ACK: attach/detach replies.
const SEQ = 0;
const FINISHED = 1;
const CMD = 2;
const START = 3;
const COUNT = 4;
const BASE = 5;
const ERROR = 6;
const NEXT = 7;
const NCHUNKS = 8;
const CHUNK = 9;
const NFEATS = 10;
const ACK = 11;
const GOFF = 12;
const CONTROL_SIZE = 13;
const CMD_BUILD = 1;
const CMD_DETACH = 2;

/**
 * Claim and build chunks of the current task until none is left. Shared by the caller and the
 * workers (its source is sent to them), so it only uses its arguments and Atomics, and names the
 * control slots by number: 1 FINISHED, 3 START, 4 COUNT, 5 BASE, 6 ERROR, 7 NEXT, 8 NCHUNKS,
 * 9 CHUNK, 10 NFEATS, 12 GOFF.
 */
function buildChunks(ctrl: Int32Array, tag: number, bins: Uint8Array, width: number, rows: Uint32Array, gh: Float64Array, feats: Int32Array, hist: Float64Array, build: typeof buildHistograms): void {
  for (;;) {
    const v = Atomics.load(ctrl, 7);
    if ((v & ~0xffff) !== tag) return;
    const c = v & 0xffff;
    if (c >= Atomics.load(ctrl, 8)) return;
    if (Atomics.compareExchange(ctrl, 7, v, v + 1) !== v) continue;
    const size = ctrl[9];
    const from = c * size;
    const to = Math.min(ctrl[10], from + size);
    try {
      build(bins, width, rows, gh, ctrl[12], ctrl[3], ctrl[4], feats, from, to, hist, ctrl[5]);
    } catch {
      Atomics.store(ctrl, 6, 1);
    }
    Atomics.add(ctrl, 1, 1);
    Atomics.notify(ctrl, 1);
  }
}

const tagOf = (seq: number) => (seq & 0x7fff) << 16;

const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const buildHistograms = (${buildHistograms.toString()});
const buildChunks = (${buildChunks.toString()});
parentPort.on('message', (m) => {
  const ctrl = m.ctrl;
  let seq = m.seq;
  Atomics.add(ctrl, ${ACK}, 1);
  Atomics.notify(ctrl, ${ACK});
  for (;;) {
    Atomics.wait(ctrl, ${SEQ}, seq);
    seq = Atomics.load(ctrl, ${SEQ});
    if (ctrl[${CMD}] === ${CMD_DETACH}) {
      Atomics.add(ctrl, ${ACK}, 1);
      Atomics.notify(ctrl, ${ACK});
      return;
    }
    buildChunks(ctrl, (seq & 0x7fff) << 16, m.bins, m.width, m.rows, m.gh, m.feats, m.hist, buildHistograms);
  }
});
`;

/** A histogram builder bound to one fit's workspace; detach it when the fit ends. */
export interface AttachedBuilder extends HistogramBuilder {
  detach(): void;
}

/** A pool of threads that build histograms. */
export interface HistogramPool {
  /** Threads that share a build, the calling one included. */
  readonly threads: number;
  /** Builds so far that were spread over the workers (the others ran on the calling thread). */
  readonly parallelBuilds: number;
  /** Bind a workspace whose arrays are views of SharedArrayBuffers. */
  attach(ws: HistogramWorkspace): AttachedBuilder;
}

/** Allocate a typed array on a SharedArrayBuffer (so worker threads can see it). */
export function sharedArray<T extends Uint8Array | Uint32Array | Int32Array | Float64Array>(Ctor: { new (b: SharedArrayBuffer): T; BYTES_PER_ELEMENT: number }, length: number): T {
  return new Ctor(new SharedArrayBuffer(Math.max(1, length) * Ctor.BYTES_PER_ELEMENT));
}

class WorkerHistogramPool implements HistogramPool {
  readonly threads: number;
  parallelBuilds = 0;
  broken: string | null = null;
  private readonly workers: Worker[] = [];
  private readonly ctrl: Int32Array;
  private attached = false;

  constructor(workers: number) {
    this.threads = workers + 1;
    this.ctrl = sharedArray(Int32Array, CONTROL_SIZE);
    for (let i = 0; i < workers; i++) {
      const w = new Worker(WORKER_SOURCE, { eval: true });
      w.unref();
      w.on('error', (e) => (this.broken = `a histogram worker failed: ${e instanceof Error ? e.message : String(e)}`));
      w.on('exit', () => (this.broken ??= 'a histogram worker exited'));
      this.workers.push(w);
    }
  }

  attach(ws: HistogramWorkspace): AttachedBuilder {
    if (this.broken) throw new Error(this.broken);
    if (this.attached) throw new Error('the histogram pool is already in use');
    const ctrl = this.ctrl;
    const k = this.workers.length;
    Atomics.store(ctrl, ACK, 0);
    Atomics.store(ctrl, ERROR, 0);
    Atomics.store(ctrl, NEXT, 0x7fffffff); // no task yet
    const seq = Atomics.load(ctrl, SEQ);
    this.workers.forEach((w) => w.postMessage({ ctrl, seq, ...ws }));
    this.waitFor(ACK, k);
    this.attached = true;
    return {
      build: (rows, start, count, nFeats, histBase, gOffset) => {
        if (count * nFeats < PARALLEL_MIN_CELLS || nFeats < 2) {
          buildHistograms(ws.bins, ws.width, rows, ws.gh, gOffset, start, count, ws.feats, 0, nFeats, ws.hist, histBase);
          return;
        }
        if (rows !== ws.rows) ws.rows.set(rows.subarray(start, start + count), start);
        this.parallelBuilds++;
        // Two chunks a thread (a late thread then leaves less undone), one a thread for few features.
        const T = this.threads;
        const size = Math.max(Math.ceil(nFeats / (nFeats >= 4 * T ? 2 * T : T)), Math.ceil(nFeats / 0xffff));
        const chunks = Math.ceil(nFeats / size);
        ctrl[START] = start;
        ctrl[COUNT] = count;
        ctrl[BASE] = histBase;
        ctrl[GOFF] = gOffset;
        ctrl[NFEATS] = nFeats;
        ctrl[CHUNK] = size;
        ctrl[NCHUNKS] = chunks;
        ctrl[CMD] = CMD_BUILD;
        Atomics.store(ctrl, FINISHED, 0);
        const seq = (Atomics.load(ctrl, SEQ) + 1) | 0;
        Atomics.store(ctrl, NEXT, tagOf(seq));
        Atomics.store(ctrl, SEQ, seq);
        Atomics.notify(ctrl, SEQ);
        buildChunks(ctrl, tagOf(seq), ws.bins, ws.width, ws.rows, ws.gh, ws.feats, ws.hist, buildHistograms);
        this.waitFor(FINISHED, chunks);
        if (Atomics.load(ctrl, ERROR) !== 0) throw new Error('a histogram worker failed');
      },
      detach: () => {
        if (!this.attached) return;
        this.attached = false;
        ctrl[CMD] = CMD_DETACH;
        Atomics.store(ctrl, ACK, 0);
        Atomics.store(ctrl, NEXT, 0x7fffffff);
        Atomics.store(ctrl, SEQ, (Atomics.load(ctrl, SEQ) + 1) | 0);
        Atomics.notify(ctrl, SEQ);
        this.waitFor(ACK, k);
      },
    };
  }

  /** Block until ctrl[index] reaches `target`. */
  private waitFor(index: number, target: number): void {
    for (;;) {
      const d = Atomics.load(this.ctrl, index);
      if (d >= target) return;
      if (Atomics.wait(this.ctrl, index, d, WORKER_TIMEOUT_MS) === 'timed-out') {
        this.broken = `histogram workers did not answer within ${WORKER_TIMEOUT_MS / 1000} s`;
        this.attached = false;
        throw new Error(this.broken);
      }
    }
  }
}

const pools = new Map<number, WorkerHistogramPool>();

/** Threads to use by default: every core. */
export function defaultThreads(): number {
  return availableParallelism();
}

/**
 * The process's pool for `threads` threads (the caller + threads − 1 workers), started on first
 * use and kept for later fits (its workers do not keep the process alive); null for one thread.
 */
export function histogramPool(threads: number): HistogramPool | null {
  if (threads <= 1) return null;
  let pool = pools.get(threads);
  if (!pool || pool.broken !== null) {
    pool = new WorkerHistogramPool(threads - 1);
    pools.set(threads, pool);
  }
  return pool;
}
