// Training work spread over worker threads: the binned data, the partition of the rows, the
// gradients, the raw scores and the histogram arena live in SharedArrayBuffers. A task (a node's
// histograms, cut into chunks of features; a round's gradients or the new tree's leaf values,
// cut into chunks of rows) is split into chunks that the calling thread and the workers claim one
// at a time from a shared counter, so a worker the OS has not scheduled yet costs nothing (the
// caller takes its chunks). A feature's histogram is always summed by one thread in partition
// order, and a row's gradient and score depend on that row alone, so the trees are bit-identical
// whatever the number of threads. Dispatch is synchronous (Atomics.wait/notify on a shared
// control block), so fitting stays a plain synchronous call; small tasks stay on the calling
// thread, where waking the workers would cost more than it saves. When the workspace lives in a
// WebAssembly memory (gbdt-wasm-kernel.ts), every thread runs the WebAssembly versions of the
// histogram, partition, binary-gradient and leaf-value loops, which give the same numbers.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { buildHistograms, subtractFeatures, type HistogramBuilder, type HistogramWorkspace } from './gbdt-histogram.js';
import { wasmKernels, workspaceKernels } from './gbdt-wasm-kernel.js';
import { joinPartitionChunks, partitionChunk } from './gbdt-grower.js';
import { gradientRows } from './gbdt-objectives.js';

/** Below this many (row × feature) cells a node's histograms are built on the calling thread. */
export const PARALLEL_MIN_CELLS = 1 << 16;
/** Below this many rows, gradients and leaf values are computed on the calling thread. */
export const PARALLEL_MIN_ROWS = 1 << 14;
/** Longest wait for a worker before fitting fails (a stuck or dead worker). */
const WORKER_TIMEOUT_MS = 120_000;

// Control block (Int32). SEQ: task number (only the caller writes it); FINISHED: chunks done in
// this task; NEXT: (task tag << 16) | next unclaimed chunk, claimed by compare-and-swap, so a
// worker waking late can never claim a chunk of another task; ACK: attach/detach replies; CMD:
// the task's kind; NFEATS: the task's item count (features or rows), cut into NCHUNKS of CHUNK;
// KIND, OUTPUTS: the gradient task's objective code and score count; GOFF: the output's offset;
// PARENT: for a build, the parent's histograms to turn into the sibling's (−1: none).
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
const KIND = 13;
const OUTPUTS = 14;
const PARENT = 15;
const CONTROL_SIZE = 16;
const CMD_BUILD = 1;
const CMD_DETACH = 2;
const CMD_GRADIENTS = 3;
const CMD_LEAF_VALUES = 4;
const CMD_PARTITION = 5;
/** Most chunks of a parallel partition (the size of TrainingWorkspace.counts). */
export const PARTITION_MAX_CHUNKS = 1024;

/**
 * raw[offset + rows[i]] += value[i] for the partition positions i in [from, to) (value: each
 * position's leaf value). Self-contained: the workers run its source.
 */
export function addLeafValues(raw: Float64Array, offset: number, rows: Uint32Array, value: Float64Array, from: number, to: number): void {
  for (let i = from; i < to; i++) raw[offset + rows[i]] += value[i];
}

/** The kernels a chunk runs (the workers get them as source). */
interface Kernels {
  build: typeof buildHistograms;
  gradients: typeof gradientRows;
  leafValues: typeof addLeafValues;
  partition: typeof partitionChunk;
  subtract: typeof subtractFeatures;
}

/**
 * Claim and run chunks of the current task until none is left. Shared by the caller and the
 * workers (its source is sent to them), so it only uses its arguments and Atomics, and names the
 * control slots by number: 1 FINISHED, 2 CMD, 3 START, 4 COUNT, 5 BASE, 6 ERROR, 7 NEXT,
 * 8 NCHUNKS, 9 CHUNK, 10 NFEATS, 12 GOFF, 13 KIND, 14 OUTPUTS, 15 PARENT; and the commands by number:
 * 1 build, 3 gradients, 4 leaf values. The claim checks the task's tag first, so the task's
 * slots read after it belong to that task.
 */
function runChunks(ctrl: Int32Array, tag: number, ws: TrainingWorkspace, k: Kernels): void {
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
      const cmd = ctrl[2];
      if (cmd === 1) {
        k.build(ws.bins, ws.width, ws.rows, ws.gh, ctrl[12], ctrl[3], ctrl[4], ws.feats, from, to, ws.hist, ctrl[5]);
        if (ctrl[15] >= 0) k.subtract(ws.hist, ctrl[15], ctrl[5], ctrl[15], ws.feats, from, to);
      }
      else if (cmd === 3) k.gradients(ctrl[13], ws.y!, ws.raw!, ctrl[14], ws.gh, from, to);
      else if (cmd === 4) k.leafValues(ws.raw!, ctrl[12], ws.rows, ws.leafValue!, from, to);
      else if (cmd === 5) k.partition(ws.rows, ws.scratch!, ws.cols, ctrl[5], ws.goesLeft!, ctrl[3] + from, ctrl[3] + to, ws.counts!, c);
      else throw new Error('unknown task');
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
// Some transpilers name inner functions through this helper.
var __name = (f) => f;
const kernels = {
  build: (${buildHistograms.toString()}),
  gradients: (${gradientRows.toString()}),
  leafValues: (${addLeafValues.toString()}),
  partition: (${partitionChunk.toString()}),
  subtract: (${subtractFeatures.toString()}),
};
const runChunks = (${runChunks.toString()});
const wasmKernels = (${wasmKernels.toString()});
parentPort.on('message', (m) => {
  const ctrl = m.ctrl;
  let k = kernels;
  try {
    if (m.wasm) k = { ...kernels, ...wasmKernels(m.wasm.bytes, m.wasm.memory, kernels.gradients) };
  } catch {
    Atomics.store(ctrl, ${ERROR}, 1);
  }
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
    runChunks(ctrl, (seq & 0x7fff) << 16, m, k);
  }
});
`;

/**
 * The shared arrays of one fit: the histogram workspace (its `rows` is the grower's partition),
 * the targets and raw scores of the gradients, each partition position's leaf value, and the
 * partition's scratch rows, bins that go left and chunk counts.
 */
export interface TrainingWorkspace extends HistogramWorkspace {
  y?: Float64Array;
  raw?: Float64Array;
  leafValue?: Float64Array;
  /** PARTITION_MAX_CHUNKS entries. */
  counts?: Int32Array;
}

/** A histogram builder bound to one fit's workspace; detach it when the fit ends. */
export interface AttachedBuilder extends HistogramBuilder {
  /** gradientRows(kind, ws.y, ws.raw, outputs, ws.gh) over all rows. */
  gradients(kind: number, outputs: number): void;
  /** raw[offset + rows[i]] += leafValue[i] for the positions i in [0, count) (ws.raw, ws.rows, ws.leafValue). */
  addLeafValues(offset: number, count: number): void;
  detach(): void;
}

/** A pool of threads that build histograms. */
export interface HistogramPool {
  /** Threads that share a build, the calling one included. */
  readonly threads: number;
  /** Builds so far that were spread over the workers (the others ran on the calling thread). */
  readonly parallelBuilds: number;
  /** Gradient, leaf value and partition tasks so far that were spread over the workers. */
  readonly parallelRowTasks: number;
  /** Bind a workspace whose arrays are views of SharedArrayBuffers. */
  attach(ws: TrainingWorkspace): AttachedBuilder;
}

/** Allocate a typed array on a SharedArrayBuffer (so worker threads can see it). */
export function sharedArray<T extends Uint8Array | Uint32Array | Int32Array | Float64Array>(Ctor: { new (b: SharedArrayBuffer): T; BYTES_PER_ELEMENT: number }, length: number): T {
  return new Ctor(new SharedArrayBuffer(Math.max(1, length) * Ctor.BYTES_PER_ELEMENT));
}

class WorkerHistogramPool implements HistogramPool {
  readonly threads: number;
  parallelBuilds = 0;
  parallelRowTasks = 0;
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

  attach(ws: TrainingWorkspace): AttachedBuilder {
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
    /** Send the workers back to waiting for the next attach. */
    const detach = () => {
      if (!this.attached) return;
      this.attached = false;
      ctrl[CMD] = CMD_DETACH;
      Atomics.store(ctrl, ACK, 0);
      Atomics.store(ctrl, NEXT, 0x7fffffff);
      Atomics.store(ctrl, SEQ, (Atomics.load(ctrl, SEQ) + 1) | 0);
      Atomics.notify(ctrl, SEQ);
      this.waitFor(ACK, k);
    };
    if (Atomics.load(ctrl, ERROR) !== 0) {
      detach();
      throw new Error('a training worker could not start its kernels');
    }
    const kernels: Kernels = { build: buildHistograms, gradients: gradientRows, leafValues: addLeafValues, partition: partitionChunk, subtract: subtractFeatures, ...workspaceKernels(ws) };
    /** Run the task set in ctrl (items in chunks of `size`) on every thread; returns when it is done. */
    const run = (cmd: number, items: number, size: number) => {
      const chunks = Math.ceil(items / size);
      if (cmd === CMD_BUILD) this.parallelBuilds++;
      else this.parallelRowTasks++;
      ctrl[CMD] = cmd;
      ctrl[NFEATS] = items;
      ctrl[CHUNK] = size;
      ctrl[NCHUNKS] = chunks;
      Atomics.store(ctrl, FINISHED, 0);
      const seq = (Atomics.load(ctrl, SEQ) + 1) | 0;
      Atomics.store(ctrl, NEXT, tagOf(seq));
      Atomics.store(ctrl, SEQ, seq);
      Atomics.notify(ctrl, SEQ);
      runChunks(ctrl, tagOf(seq), ws, kernels);
      this.waitFor(FINISHED, chunks);
      // Retire the task before the next one's slots are written: a worker that read NEXT just
      // before the last claim and the next task's NCHUNKS just after could otherwise still win
      // its compare-and-swap and run a chunk with the next task's slots.
      Atomics.store(ctrl, NEXT, 0x7fffffff);
      if (Atomics.load(ctrl, ERROR) !== 0) throw new Error('a training worker failed');
    };
    /** Rows a chunk: four chunks a thread (a late or loaded thread then leaves less undone). */
    const rowChunk = (rows: number) => Math.max(Math.ceil(rows / (4 * this.threads)), Math.ceil(rows / 0xffff));
    /** A node's histograms (then parent − them into parentBase unless it is −1). */
    const build = (rows: Uint32Array, start: number, count: number, nFeats: number, histBase: number, gOffset: number, parentBase: number) => {
      if (count * nFeats < PARALLEL_MIN_CELLS || nFeats < 2) {
        kernels.build(ws.bins, ws.width, rows, ws.gh, gOffset, start, count, ws.feats, 0, nFeats, ws.hist, histBase);
        if (parentBase >= 0) subtractFeatures(ws.hist, parentBase, histBase, parentBase, ws.feats, 0, nFeats);
        return;
      }
      if (rows !== ws.rows) ws.rows.set(rows.subarray(start, start + count), start);
      // One chunk a thread: each chunk reads every row of the node and its gradients once, so
      // fewer, wider chunks cost less in all (a thread that starts late still has its chunk taken
      // by one that is done).
      const size = Math.max(Math.ceil(nFeats / this.threads), Math.ceil(nFeats / 0xffff));
      ctrl[START] = start;
      ctrl[COUNT] = count;
      ctrl[BASE] = histBase;
      ctrl[GOFF] = gOffset;
      ctrl[PARENT] = parentBase;
      run(CMD_BUILD, nFeats, size);
    };
    return {
      build: (rows, start, count, nFeats, histBase, gOffset) => build(rows, start, count, nFeats, histBase, gOffset, -1),
      buildAndSubtract: build,
      gradients: (kind, outputs) => {
        const n = ws.y!.length;
        if (n < PARALLEL_MIN_ROWS) {
          kernels.gradients(kind, ws.y!, ws.raw!, outputs, ws.gh, 0, n);
          return;
        }
        ctrl[KIND] = kind;
        ctrl[OUTPUTS] = outputs;
        run(CMD_GRADIENTS, n, rowChunk(n));
      },
      addLeafValues: (offset, count) => {
        if (count < PARALLEL_MIN_ROWS) {
          kernels.leafValues(ws.raw!, offset, ws.rows, ws.leafValue!, 0, count);
          return;
        }
        ctrl[GOFF] = offset;
        run(CMD_LEAF_VALUES, count, rowChunk(count));
      },
      partition: (feature, goesLeft, start, count) => {
        if (count < PARALLEL_MIN_ROWS || !ws.scratch || !ws.goesLeft || !ws.counts) return undefined;
        ws.goesLeft.set(goesLeft);
        const size = Math.max(rowChunk(count), Math.ceil(count / PARTITION_MAX_CHUNKS));
        ctrl[START] = start;
        ctrl[BASE] = feature * ws.rows.length;
        run(CMD_PARTITION, count, size);
        return joinPartitionChunks(ws.rows, ws.scratch, ws.counts, start, start + count, size);
      },
      detach,
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
