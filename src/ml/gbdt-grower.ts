// Leaf-wise growth of one regression tree on gradients and hessians: always split the leaf with
// the largest gain next, until max_leaf_nodes leaves (or no leaf can be split). The node's rows
// are a segment of one partition array, split in place (stable, so rows stay in ascending order);
// only the smaller child's histogram is built, the larger one is the parent's minus it.
import { MISSING_BIN } from './gbdt-binning.js';
import { FEATURE_STRIDE, type HistogramBuilder, type HistogramWorkspace } from './gbdt-histogram.js';
import { findBestSplit, MIN_HESSIAN, type FeatureLayout, type SplitInfo } from './gbdt-split.js';
import type { GbdtTree } from './gbdt-tree.js';
import { workspaceKernels } from './gbdt-wasm-kernel.js';

export interface GrowerParams {
  maxLeafNodes: number | null;
  maxDepth: number | null;
  minSamplesLeaf: number;
  l2: number;
  learningRate: number;
}

/** Binning facts the grower needs beyond the split search's. */
export interface GrowerLayout extends FeatureLayout {
  /** Numeric features' float32 bin edges (empty for categorical ones). */
  thresholds: Float64Array[];
}

/** One leaf of a grown tree: its rows are partition[start, start + count). */
export interface GrownLeaf {
  start: number;
  count: number;
  value: number;
}

interface Node {
  start: number;
  count: number;
  g: number;
  h: number;
  depth: number;
  /** Histogram slot, −1 when it has none. */
  slot: number;
  split: SplitInfo | null;
  left: number;
  right: number;
}

/** partitionSegment's count of left rows (one chunk; the main thread only). */
const segmentCount = new Int32Array(1);

/**
 * Stable partition of rows[start, end): rows whose bin (col[row]) goesLeft come first, in their
 * order, then the others; returns the index where the right part starts. `tmp` holds at least
 * `end` values. The one-chunk case of {@link partitionChunk} (or of `kernel`, its WebAssembly version).
 */
export function partitionSegment(rows: Uint32Array, tmp: Uint32Array, col: Uint8Array, goesLeft: Uint8Array, start: number, end: number, kernel: typeof partitionChunk = partitionChunk): number {
  kernel(rows, tmp, col, 0, goesLeft, start, end, segmentCount, 0);
  const l = start + segmentCount[0];
  rows.set(tmp.subarray(start, start + (end - l)), l);
  return l;
}

/**
 * One chunk of a parallel stable partition: of rows[from, to), the rows whose bin
 * (cols[colBase + row]) goesLeft move to rows[from, from + nl) in their order, the others to
 * tmp[from, from + (to − from − nl)) in theirs; counts[c] = nl. {@link joinPartitionChunks} then
 * lays the chunks out as partitionSegment would. Self-contained: the workers run its source.
 */
export function partitionChunk(rows: Uint32Array, tmp: Uint32Array, cols: Uint8Array, colBase: number, goesLeft: Uint8Array, from: number, to: number, counts: Int32Array, c: number): void {
  let l = from;
  let r = from;
  let i = from;
  for (; i + 3 < to; i += 4) {
    const a = rows[i];
    const b = rows[i + 1];
    const d = rows[i + 2];
    const e = rows[i + 3];
    const la = goesLeft[cols[colBase + a]];
    const lb = goesLeft[cols[colBase + b]];
    const ld = goesLeft[cols[colBase + d]];
    const le = goesLeft[cols[colBase + e]];
    rows[l] = a;
    tmp[r] = a;
    l += la;
    r += 1 - la;
    rows[l] = b;
    tmp[r] = b;
    l += lb;
    r += 1 - lb;
    rows[l] = d;
    tmp[r] = d;
    l += ld;
    r += 1 - ld;
    rows[l] = e;
    tmp[r] = e;
    l += le;
    r += 1 - le;
  }
  for (; i < to; i++) {
    const row = rows[i];
    const left = goesLeft[cols[colBase + row]];
    rows[l] = row;
    tmp[r] = row;
    l += left;
    r += 1 - left;
  }
  counts[c] = l - from;
}

/**
 * After {@link partitionChunk} ran on the chunks [start + c·size, …) of rows[start, end): move
 * each chunk's left rows, then its right rows (from tmp), into place; returns where the right part
 * starts. The result equals partitionSegment's.
 */
export function joinPartitionChunks(rows: Uint32Array, tmp: Uint32Array, counts: Int32Array, start: number, end: number, size: number): number {
  let dst = start;
  for (let from = start, c = 0; from < end; from += size, c++) {
    const nl = counts[c];
    if (dst !== from) rows.copyWithin(dst, from, from + nl);
    dst += nl;
  }
  const l = dst;
  for (let from = start, c = 0; from < end; from += size, c++) {
    const nr = Math.min(size, end - from) - counts[c];
    rows.set(tmp.subarray(from, from + nr), dst);
    dst += nr;
  }
  return l;
}

export class TreeGrower {
  private readonly free: number[] = [];
  private readonly slotSize: number;
  private pending: Node[] = [];
  /** Offset (in rows) of the current output's gradient pairs in ws.gh. */
  private offset = 0;
  private readonly scratch: Uint32Array;
  private readonly goesLeft: Uint8Array;
  private readonly partitionKernel: typeof partitionChunk;
  /** The partition: each node's rows are a segment of it (ws.rows, shared with the builder's threads). */
  readonly partition: Uint32Array;

  /**
   * `slots` histogram slots of nFeatures · 768 values each must fit in ws.hist (at least 3).
   */
  constructor(
    private readonly ws: HistogramWorkspace,
    private readonly builder: HistogramBuilder,
    private readonly layout: GrowerLayout,
    private readonly params: GrowerParams,
    nFeatures: number,
    slots: number,
  ) {
    this.slotSize = nFeatures * FEATURE_STRIDE;
    if (slots < 3 || slots * this.slotSize > ws.hist.length) throw new Error('histogram arena too small');
    for (let s = slots - 1; s >= 0; s--) this.free.push(s);
    this.scratch = ws.scratch ?? new Uint32Array(ws.rows.length);
    this.goesLeft = ws.goesLeft ?? new Uint8Array(256);
    this.partitionKernel = workspaceKernels(ws)?.partition ?? partitionChunk;
    this.partition = ws.rows;
  }

  /**
   * Grow a tree on rows this.partition[0, m) with the gradient and hessian of row r at
   * ws.gh[2(offset + r)] and ws.gh[2(offset + r) + 1], splitting on the features ws.feats[0, nFeats) (ascending). Leaf values
   * are −lr · G / (H + l2).
   */
  grow(offset: number, m: number, nFeats: number): { tree: GbdtTree; leaves: GrownLeaf[] } {
    const { gh } = this.ws;
    const rows = this.partition;
    const nodes: Node[] = [];
    this.pending = [];
    this.offset = offset;
    let G = 0;
    let H = 0;
    for (let i = 0; i < m; i++) {
      const q = 2 * (offset + rows[i]);
      G += gh[q];
      H += gh[q + 1];
    }
    const root = this.node(nodes, 0, m, G, H, 0);
    let leaves = 1;
    if (this.splittable(root)) {
      this.buildInto(root, nFeats);
      this.evaluate(root, nFeats);
    }
    const maxLeaves = this.params.maxLeafNodes ?? Infinity;
    while (this.pending.length > 0 && leaves < maxLeaves) {
      let pick = 0;
      for (let i = 1; i < this.pending.length; i++) if (this.pending[i].split!.gain > this.pending[pick].split!.gain) pick = i;
      const node = this.pending.splice(pick, 1)[0];
      const [left, right] = this.applySplit(nodes, node);
      leaves++;
      if (leaves >= maxLeaves) {
        this.release(node);
        break;
      }
      const canL = this.splittable(left);
      const canR = this.splittable(right);
      const [small, large] = left.count <= right.count ? [left, right] : [right, left];
      const canSmall = small === left ? canL : canR;
      const canLarge = large === left ? canL : canR;
      if (canLarge && node.slot >= 0) {
        // Build the smaller child, then turn the parent's histogram into the larger child's in place.
        small.slot = this.acquire();
        this.builder.buildAndSubtract(this.partition, small.start, small.count, nFeats, small.slot * this.slotSize, this.offset, node.slot * this.slotSize);
        large.slot = node.slot;
        node.slot = -1;
      } else {
        if (canSmall) this.buildInto(small, nFeats);
        if (canLarge) this.buildInto(large, nFeats);
      }
      this.release(node);
      if (canSmall) this.evaluate(small, nFeats);
      else this.release(small);
      if (canLarge) this.evaluate(large, nFeats);
    }
    for (const p of this.pending) this.release(p);
    this.pending = [];
    return this.finish(nodes);
  }

  private node(nodes: Node[], start: number, count: number, g: number, h: number, depth: number): Node {
    const n: Node = { start, count, g, h, depth, slot: -1, split: null, left: -1, right: -1 };
    nodes.push(n);
    return n;
  }

  private splittable(n: Node): boolean {
    const { maxDepth, minSamplesLeaf } = this.params;
    return (maxDepth === null || n.depth < maxDepth) && n.count >= 2 * minSamplesLeaf && n.h >= 2 * MIN_HESSIAN;
  }

  private buildInto(n: Node, nFeats: number): void {
    n.slot = this.acquire();
    this.builder.build(this.partition, n.start, n.count, nFeats, n.slot * this.slotSize, this.offset);
  }

  private evaluate(n: Node, nFeats: number): void {
    const { l2, minSamplesLeaf } = this.params;
    n.split = findBestSplit(this.ws.hist, n.slot * this.slotSize, this.ws.feats, nFeats, this.layout, n.g, n.h, n.count, { l2, minSamplesLeaf });
    if (n.split === null) this.release(n);
    else this.pending.push(n);
  }

  private acquire(): number {
    const s = this.free.pop();
    if (s !== undefined) return s;
    // Out of slots: take the one of the pending leaf least likely to be split soon; when that
    // leaf is split, both its children are built directly.
    let victim: Node | null = null;
    for (const p of this.pending) if (p.slot >= 0 && (victim === null || p.split!.gain < victim.split!.gain)) victim = p;
    if (victim === null) throw new Error('no free histogram slot');
    const slot = victim.slot;
    victim.slot = -1;
    return slot;
  }

  private release(n: Node): void {
    if (n.slot >= 0) this.free.push(n.slot);
    n.slot = -1;
  }

  /** Stable in-place partition of the node's rows into its two children. */
  private applySplit(nodes: Node[], node: Node): [Node, Node] {
    const s = node.split!;
    const rows = this.partition;
    const n = rows.length;
    // Which bins go left, missing bin included; then a branch-free stable partition.
    const goesLeft = this.goesLeft;
    goesLeft.fill(0);
    if (s.leftCategories !== null) goesLeft.set(s.leftCategories);
    else goesLeft.fill(1, 0, s.bin + 1);
    goesLeft[MISSING_BIN] = s.missingLeft ? 1 : 0;
    const l =
      this.builder.partition?.(s.feature, goesLeft, node.start, node.count) ??
      partitionSegment(rows, this.scratch, this.ws.cols.subarray(s.feature * n, (s.feature + 1) * n), goesLeft, node.start, node.start + node.count, this.partitionKernel);
    if (l - node.start !== s.cl) throw new Error(`partition disagrees with the histogram: ${l - node.start} rows went left, expected ${s.cl}`);
    node.left = nodes.length;
    const left = this.node(nodes, node.start, s.cl, s.gl, s.hl, node.depth + 1);
    node.right = nodes.length;
    const right = this.node(nodes, l, s.cr, s.gr, s.hr, node.depth + 1);
    return [left, right];
  }

  private finish(nodes: Node[]): { tree: GbdtTree; leaves: GrownLeaf[] } {
    const k = nodes.length;
    const tree: GbdtTree = {
      feature: new Int32Array(k).fill(-1),
      binThreshold: new Int32Array(k),
      threshold: new Float64Array(k),
      missingLeft: new Uint8Array(k),
      left: new Int32Array(k).fill(-1),
      right: new Int32Array(k).fill(-1),
      value: new Float64Array(k),
      leftCategories: new Array<Uint8Array | null>(k).fill(null),
    };
    const leaves: GrownLeaf[] = [];
    const { l2, learningRate } = this.params;
    nodes.forEach((n, i) => {
      if (n.left >= 0) {
        const s = n.split!;
        tree.feature[i] = s.feature;
        tree.missingLeft[i] = s.missingLeft ? 1 : 0;
        tree.left[i] = n.left;
        tree.right[i] = n.right;
        if (s.leftCategories !== null) tree.leftCategories[i] = s.leftCategories;
        else {
          tree.binThreshold[i] = s.bin;
          tree.threshold[i] = this.layout.thresholds[s.feature][s.bin];
        }
      } else {
        const d = n.h + l2;
        const value = d > 0 ? (-learningRate * n.g) / d : 0;
        tree.value[i] = value;
        leaves.push({ start: n.start, count: n.count, value });
      }
    });
    return { tree, leaves };
  }
}
