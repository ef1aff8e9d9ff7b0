// Gradient histograms of the tree grower: per feature and bin, the sums of gradients and hessians
// and the row count of a node's rows, and the subtraction trick (sibling = parent − child).
// `buildHistograms` is also the kernel the histogram workers run (its source is sent to them), so
// it must stay self-contained: no imports, no outer constants, no nested functions.
// Bins are stored row-major (one byte per feature, a row's bytes together). When the workspace
// lives in a WebAssembly memory, the same loop runs as WebAssembly (gbdt-wasm-kernel.ts).
import { workspaceKernels, type WasmKernelSource } from './gbdt-wasm-kernel.js';

/** Float64 values per histogram bin: sum of gradients, sum of hessians, count. */
export const BIN_STRIDE = 3;
/** Float64 values per feature histogram (HIST_BINS · BIN_STRIDE). */
export const FEATURE_STRIDE = 768;

/**
 * Histograms of the features feats[kFrom..kTo) over the node rows rows[start..start+count), into
 * `hist` at histBase + feature · 768. `bins` is row-major (row r's bins at r·width..r·width+width−1),
 * so a row's gradient and hessian are read once for all its features, and consecutive updates go
 * to different features' histograms; row r's gradient and hessian are gh[2(gOffset + r)] and
 * gh[2(gOffset + r) + 1] (read once a row, so they need no gathering). Each bin receives its rows in partition order, so a
 * feature's histogram is the same whichever thread builds it.
 */
export function buildHistograms(
  bins: Uint8Array,
  width: number,
  rows: Uint32Array,
  gh: Float64Array,
  gOffset: number,
  start: number,
  count: number,
  feats: Int32Array,
  kFrom: number,
  kTo: number,
  hist: Float64Array,
  histBase: number,
): void {
  for (let k = kFrom; k < kTo; k++) {
    const base = histBase + feats[k] * 768;
    hist.fill(0, base, base + 768);
  }
  const end = start + count;
  if (kTo > kFrom && feats[kTo - 1] - feats[kFrom] === kTo - 1 - kFrom) {
    // Contiguous features (no column sampling): no per-cell feature lookup.
    const fFrom = feats[kFrom];
    const fTo = fFrom + (kTo - kFrom);
    for (let i = start; i < end; i++) {
      const row = rows[i];
      const r = row * width;
      const q = 2 * (gOffset + row);
      const g = gh[q];
      const h = gh[q + 1];
      let f = fFrom;
      let b = histBase + f * 768;
      // Four features at a time: the four bin loads are issued before the dependent updates.
      for (; f + 3 < fTo; f += 4, b += 3072) {
        const j0 = b + bins[r + f] * 3;
        const j1 = b + 768 + bins[r + f + 1] * 3;
        const j2 = b + 1536 + bins[r + f + 2] * 3;
        const j3 = b + 2304 + bins[r + f + 3] * 3;
        hist[j0] += g;
        hist[j0 + 1] += h;
        hist[j0 + 2] += 1;
        hist[j1] += g;
        hist[j1 + 1] += h;
        hist[j1 + 2] += 1;
        hist[j2] += g;
        hist[j2 + 1] += h;
        hist[j2 + 2] += 1;
        hist[j3] += g;
        hist[j3 + 1] += h;
        hist[j3 + 2] += 1;
      }
      for (; f < fTo; f++, b += 768) {
        const j = b + bins[r + f] * 3;
        hist[j] += g;
        hist[j + 1] += h;
        hist[j + 2] += 1;
      }
    }
    return;
  }
  for (let i = start; i < end; i++) {
    const row = rows[i];
    const r = row * width;
    const q = 2 * (gOffset + row);
    const g = gh[q];
    const h = gh[q + 1];
    let k = kFrom;
    for (; k + 3 < kTo; k += 4) {
      const f0 = feats[k];
      const f1 = feats[k + 1];
      const f2 = feats[k + 2];
      const f3 = feats[k + 3];
      const j0 = histBase + f0 * 768 + bins[r + f0] * 3;
      const j1 = histBase + f1 * 768 + bins[r + f1] * 3;
      const j2 = histBase + f2 * 768 + bins[r + f2] * 3;
      const j3 = histBase + f3 * 768 + bins[r + f3] * 3;
      hist[j0] += g;
      hist[j0 + 1] += h;
      hist[j0 + 2] += 1;
      hist[j1] += g;
      hist[j1 + 1] += h;
      hist[j1 + 2] += 1;
      hist[j2] += g;
      hist[j2 + 1] += h;
      hist[j2 + 2] += 1;
      hist[j3] += g;
      hist[j3 + 1] += h;
      hist[j3 + 2] += 1;
    }
    for (; k < kTo; k++) {
      const f = feats[k];
      const j = histBase + f * 768 + bins[r + f] * 3;
      hist[j] += g;
      hist[j + 1] += h;
      hist[j + 2] += 1;
    }
  }
}

/** sibling = parent − child for the features feats[0..nFeats) (bases are offsets into `hist`). */
export function subtractHistograms(hist: Float64Array, parentBase: number, childBase: number, siblingBase: number, feats: Int32Array, nFeats: number): void {
  subtractFeatures(hist, parentBase, childBase, siblingBase, feats, 0, nFeats);
}

/**
 * sibling = parent − child for the features feats[kFrom..kTo). Self-contained (the workers run
 * its source, right after building the child's histograms of the same features).
 */
export function subtractFeatures(hist: Float64Array, parentBase: number, childBase: number, siblingBase: number, feats: Int32Array, kFrom: number, kTo: number): void {
  for (let k = kFrom; k < kTo; k++) {
    const off = feats[k] * 768;
    const p = parentBase + off;
    const c = childBase + off;
    const s = siblingBase + off;
    for (let j = 0; j < 768; j++) hist[s + j] = hist[p + j] - hist[c + j];
  }
}

/** Builds the histograms of one node: in this thread, or spread over a pool of threads. */
export interface HistogramBuilder {
  /**
   * Histograms of feats[0..nFeats) over rows[start..start+count) into hist at histBase; row r's
   * gradient pair at gh[2(gOffset + r)]. `rows` is the caller's partition (a plain array: the
   * builder copies the segment into the shared workspace when other threads need it).
   */
  build(rows: Uint32Array, start: number, count: number, nFeats: number, histBase: number, gOffset: number): void;
  /**
   * As build, then turn the histograms at parentBase (the parent's) into the sibling's:
   * parent − this child's, feature by feature.
   */
  buildAndSubtract(rows: Uint32Array, start: number, count: number, nFeats: number, histBase: number, gOffset: number, parentBase: number): void;
  /**
   * Optional: stable in-place partition of ws.rows[start, start + count) by feature's bin
   * (rows whose goesLeft[bin] is 1 first); returns where the right part starts, or undefined
   * when the caller should partition it itself.
   */
  partition?(feature: number, goesLeft: Uint8Array, start: number, count: number): number | undefined;
}

/** The arrays histogram building reads and writes; shared with worker threads when a pool is used. */
export interface HistogramWorkspace {
  /** Row-major bins: rows × width. */
  bins: Uint8Array;
  /** Features per row. */
  width: number;
  /** Column-major copy of the bins (feature f's at f·n): a node's partition reads one feature of scattered rows. */
  cols: Uint8Array;
  /** Node rows for the worker threads (a copy of the segment being built). */
  rows: Uint32Array;
  /** Gradients and hessians of every output, interleaved: output k's for row r at 2(k·n + r) and 2(k·n + r) + 1. */
  gh: Float64Array;
  /** The features a tree may split on, ascending (a prefix is used). */
  feats: Int32Array;
  hist: Float64Array;
  /** Partition scratch rows (as many as rows; the grower allocates its own when absent). */
  scratch?: Uint32Array;
  /** Partition table of the bins that go left (256 entries; the grower allocates its own when absent). */
  goesLeft?: Uint8Array;
  /** When every array here is a view of this kernel's memory: histograms are built by the WebAssembly kernel. */
  wasm?: WasmKernelSource;
}

/** The histogram kernel for a workspace: the WebAssembly one when its arrays are in kernel memory. */
export function histogramKernel(ws: HistogramWorkspace): typeof buildHistograms {
  return workspaceKernels(ws)?.build ?? buildHistograms;
}

/** A builder that does all the work in the calling thread. */
export function localHistogramBuilder(ws: HistogramWorkspace): HistogramBuilder {
  const kernel = histogramKernel(ws);
  return {
    build: (rows, start, count, nFeats, histBase, gOffset) => kernel(ws.bins, ws.width, rows, ws.gh, gOffset, start, count, ws.feats, 0, nFeats, ws.hist, histBase),
    buildAndSubtract: (rows, start, count, nFeats, histBase, gOffset, parentBase) => {
      kernel(ws.bins, ws.width, rows, ws.gh, gOffset, start, count, ws.feats, 0, nFeats, ws.hist, histBase);
      subtractFeatures(ws.hist, parentBase, histBase, parentBase, ws.feats, 0, nFeats);
    },
  };
}
