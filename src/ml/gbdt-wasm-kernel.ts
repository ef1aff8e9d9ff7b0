// The training loops of the tree grower as small WebAssembly functions, assembled here from their
// opcodes (no toolchain): the histogram build, the partition chunk, the leaf-value sums and the
// binary gradients, each doing the JavaScript version's float64 operations in the same order (so
// the same model bytes) in a fraction of the instructions V8 emits for it. The gradients' exp is
// a port of fdlibm's exp, which is what V8's Math.exp runs, and gives the same doubles. The
// kernels read and write one shared WebAssembly memory holding the training workspace, so the
// worker threads run them on the same arrays.
import type { buildHistograms } from './gbdt-histogram.js';
import type { partitionChunk } from './gbdt-grower.js';
import type { addLeafValues } from './gbdt-worker-pool.js';
import { gradientRows } from './gbdt-objectives.js';

const uleb = (v: number): number[] => {
  const out: number[] = [];
  do {
    let b = v & 0x7f;
    v >>>= 7;
    if (v !== 0) b |= 0x80;
    out.push(b);
  } while (v !== 0);
  return out;
};
const sleb = (v: number): number[] => {
  const out: number[] = [];
  for (;;) {
    const b = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) return [...out, b];
    out.push(b | 0x80);
  }
};
const name = (s: string) => [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];
const section = (id: number, body: number[]) => [id, ...uleb(body.length), ...body];
const vector = (items: number[][]) => [...uleb(items.length), ...items.flat()];

const I32 = 0x7f;
const F64 = 0x7c;
const get = (i: number) => [0x20, ...uleb(i)];
const set = (i: number) => [0x21, ...uleb(i)];
const tee = (i: number) => [0x22, ...uleb(i)];
const i32 = (v: number) => [0x41, ...sleb(v)];
const ADD = 0x6a;
const SUB = 0x6b;
const MUL = 0x6c;
const SHL = 0x74;
const GE_U = 0x4f;
const F64_ADD = 0xa0;
const load32 = [0x28, 2, 0];
const store32 = [0x36, 2, 0];
const load8 = [0x2d, 0, 0];
const loadF64 = (offset: number) => [0x2b, 3, ...uleb(offset)];
const storeF64 = (offset: number) => [0x39, 3, ...uleb(offset)];
/** f64.const v (little-endian bits). */
const f64 = (v: number) => [0x44, ...new Uint8Array(Float64Array.of(v).buffer)];
const ONE = f64(1);
const F64_SUB = 0xa1;
const F64_MUL = 0xa2;
const F64_DIV = 0xa3;
const F64_NEG = 0x9a;
const F64_EQ = 0x61;
const F64_LT = 0x63;
const F64_GT = 0x64;
const AND = 0x71;
const OR = 0x72;
const SHR_U = 0x76;
const EQ = 0x46;
const EQZ = 0x45;
const LT_U = 0x49;
const GT_U = 0x4b;
const GE_S = 0x4e;
const SELECT = 0x1b;
const RETURN = 0x0f;
const IF = [0x04, 0x40];
const END = 0x0b;
const ELSE = 0x05;
const call = (f: number) => [0x10, ...uleb(f)];
/** The high (hi = true) or low 32 bits of an f64 on the stack. */
const word = (hi: boolean) => [0xbd, ...(hi ? [0x42, 32, 0x88] : []), 0xa7];
/** The f64 whose high word is the i32 on the stack and whose low word is 0. */
const fromHighWord = [0xad, 0x42, 32, 0x86, 0xbf];
/** while (a < b) { …body } as block/loop. */
const whileBelow = (a: number, b: number, body: number[]) => [0x02, 0x40, 0x03, 0x40, ...get(a), ...get(b), GE_U, 0x0d, 1, ...body, 0x0c, 0, 0x0b, 0x0b];
const increment = (i: number) => [...get(i), ...i32(1), ADD, ...set(i)];
/** Address base + (index << shift). */
const at = (base: number, index: number, shift: number) => [...get(base), ...get(index), ...i32(shift), SHL, ADD];
const locals = (n32: number, n64: number) => vector([[n32, I32], [n64, F64]]);

/** Pages (64 KiB) a kernel memory may have at most: 4 GiB. */
export const WASM_MAX_PAGES = 65536;

/**
 * build(bins, width, rows, gh, start, end, feats, kFrom, kTo, hist): byte addresses except width
 * (bytes a row), start/end (positions in rows) and kFrom/kTo (positions in feats). For each
 * position i, row = rows[i], g, h = the float64 pair at gh + 16·row; for each k, feature
 * f = feats[k] adds g, h, 1 to the bin at hist + f·6144 + bins[row·width + f]·24.
 */
function buildFunction(): number[] {
  const [bins, width, rows, gh, start, end, feats, kFrom, kTo, hist] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const [i, r, q, k, f, j, g, h] = [10, 11, 12, 13, 14, 15, 16, 17];
  const perFeature = [
    ...at(feats, k, 2), ...load32, ...tee(f),
    ...get(r), ADD, ...load8, ...i32(24), MUL, ...get(f), ...i32(6144), MUL, ADD, ...get(hist), ADD, ...tee(j),
    ...get(j), ...loadF64(0), ...get(g), F64_ADD, ...storeF64(0),
    ...get(j), ...get(j), ...loadF64(8), ...get(h), F64_ADD, ...storeF64(8),
    ...get(j), ...get(j), ...loadF64(16), ...ONE, F64_ADD, ...storeF64(16),
    ...increment(k),
  ];
  const perRow = [
    ...at(rows, i, 2), ...load32, ...tee(q),
    ...get(width), MUL, ...get(bins), ADD, ...set(r),
    ...get(q), ...i32(4), SHL, ...get(gh), ADD, ...tee(q), ...loadF64(0), ...set(g),
    ...get(q), ...loadF64(8), ...set(h),
    ...get(kFrom), ...set(k),
    ...whileBelow(k, kTo, perFeature),
    ...increment(i),
  ];
  return [...locals(6, 2), ...get(start), ...set(i), ...whileBelow(i, end, perRow), 0x0b];
}

/**
 * buildContiguous(bins, width, rows, gh, start, end, fFrom, fTo, hist): build for the features
 * fFrom..fTo−1 (all of them, in order): the same additions without reading a feature list, two
 * features a step.
 */
function buildContiguousFunction(): number[] {
  const [bins, width, rows, gh, start, end, fFrom, fTo, hist] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const [i, q, ptr, last, hb, j, h0, g, h] = [9, 10, 11, 12, 13, 14, 15, 16, 17];
  /** The three additions into the bin at j + offset. */
  const update = (offset: number) => [
    ...get(j), ...get(j), ...loadF64(offset), ...get(g), F64_ADD, ...storeF64(offset),
    ...get(j), ...get(j), ...loadF64(offset + 8), ...get(h), F64_ADD, ...storeF64(offset + 8),
    ...get(j), ...get(j), ...loadF64(offset + 16), ...ONE, F64_ADD, ...storeF64(offset + 16),
  ];
  const binAt = (offset: number) => [...get(ptr), 0x2d, 0, ...uleb(offset), ...i32(24), MUL, ...get(hb), ADD, ...set(j)];
  const pair = [
    ...binAt(0), ...update(0),
    ...binAt(1), ...update(6144),
    ...get(ptr), ...i32(2), ADD, ...set(ptr),
    ...get(hb), ...i32(12288), ADD, ...set(hb),
  ];
  const perRow = [
    ...at(rows, i, 2), ...load32, ...tee(q),
    ...get(width), MUL, ...get(bins), ADD, ...tee(ptr), ...get(fTo), ADD, ...set(last),
    ...get(ptr), ...get(fFrom), ADD, ...set(ptr),
    ...get(q), ...i32(4), SHL, ...get(gh), ADD, ...tee(q), ...loadF64(0), ...set(g),
    ...get(q), ...loadF64(8), ...set(h),
    ...get(h0), ...set(hb),
    // while (ptr + 1 < last) two features; then the last one if any.
    0x02, 0x40, 0x03, 0x40, ...get(ptr), ...i32(1), ADD, ...get(last), GE_U, 0x0d, 1, ...pair, 0x0c, 0, END, END,
    ...get(ptr), ...get(last), LT_U, ...IF, ...binAt(0), ...update(0), END,
    ...increment(i),
  ];
  return [...locals(7, 2), ...get(fFrom), ...i32(6144), MUL, ...get(hist), ADD, ...set(h0), ...get(start), ...set(i), ...whileBelow(i, end, perRow), END];
}

/**
 * partition(rows, tmp, col, goesLeft, from, to) → nl: partitionChunk's loop. Of rows[from, to),
 * the rows whose goesLeft[col[row]] is 1 move to rows[from, from + nl) in order, the others to
 * tmp[from, …) in order (byte addresses; positions from/to).
 */
function partitionFunction(): number[] {
  const [rows, tmp, col, goesLeft, from, to] = [0, 1, 2, 3, 4, 5];
  const [i, l, r, row, left] = [6, 7, 8, 9, 10];
  const perRow = [
    ...at(rows, i, 2), ...load32, ...set(row),
    ...get(goesLeft), ...get(col), ...get(row), ADD, ...load8, ADD, ...load8, ...set(left),
    ...at(rows, l, 2), ...get(row), ...store32,
    ...at(tmp, r, 2), ...get(row), ...store32,
    ...get(l), ...get(left), ADD, ...set(l),
    ...get(r), ...i32(1), ADD, ...get(left), SUB, ...set(r),
    ...increment(i),
  ];
  return [...locals(5, 0), ...get(from), ...tee(i), ...tee(l), ...set(r), ...whileBelow(i, to, perRow), ...get(l), ...get(from), SUB, 0x0b];
}

/** leafValues(raw, rows, value, from, to): raw[rows[i]] += value[i] for i in [from, to) (byte addresses). */
function leafValuesFunction(): number[] {
  const [raw, rows, value, from, to] = [0, 1, 2, 3, 4];
  const [i, a] = [5, 6];
  const perRow = [
    ...at(rows, i, 2), ...load32, ...i32(3), SHL, ...get(raw), ADD, ...tee(a),
    ...get(a), ...loadF64(0), ...at(value, i, 3), ...loadF64(0), F64_ADD, ...storeF64(0),
    ...increment(i),
  ];
  return [...locals(2, 0), ...get(from), ...set(i), ...whileBelow(i, to, perRow), 0x0b];
}

/**
 * exp(x): fdlibm's __ieee754_exp as V8 has it for Math.exp (src/base/ieee754.cc, exp(1) = E
 * included), operation for operation, so every result is the same double as Math.exp's.
 */
function expFunction(): number[] {
  const [x, hx, xsb, k, hi, lo, c, t, y, twopk] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const LN2_HI = 6.93147180369123816490e-1;
  const LN2_LO = 1.90821492927058770002e-10;
  const [P1, P2, P3, P4, P5] = [1.66666666666666019037e-1, -2.77777777770155933842e-3, 6.61375632143793436117e-5, -1.65339022054652515390e-6, 4.13813679705723846039e-8];
  /** select(negative, positive) by the sign bit xsb. */
  const bySign = (negative: number, positive: number) => [...f64(negative), ...f64(positive), ...get(xsb), SELECT];
  return [
    ...locals(3, 6),
    ...get(x), ...word(true), ...tee(hx), ...i32(31), SHR_U, ...set(xsb),
    ...get(hx), ...i32(0x7fffffff), AND, ...set(hx),
    // |x| ≥ 709.78…: NaN, ±Infinity, overflow, underflow.
    ...get(hx), ...i32(0x40862e42), GE_U, ...IF,
    ...get(hx), ...i32(0x7ff00000), GE_U, ...IF,
    ...get(hx), ...i32(0xfffff), AND, ...get(x), ...word(false), OR, ...IF, ...get(x), ...get(x), F64_ADD, RETURN, END,
    ...get(x), ...f64(0), ...get(xsb), EQZ, SELECT, RETURN,
    END,
    ...get(x), ...f64(7.09782712893383973096e2), F64_GT, ...IF, ...f64(Infinity), RETURN, END,
    ...get(x), ...f64(-7.45133219101941108420e2), F64_LT, ...IF, ...f64(0), RETURN, END,
    END,
    // Argument reduction: x = hi − lo = x − k·ln2.
    ...get(hx), ...i32(0x3fd62e42), GT_U, ...IF,
    ...get(hx), ...i32(0x3ff0a2b2), LT_U, ...IF,
    ...get(x), ...ONE, F64_EQ, ...IF, ...f64(Math.E), RETURN, END,
    ...get(x), ...bySign(-LN2_HI, LN2_HI), F64_SUB, ...set(hi),
    ...bySign(-LN2_LO, LN2_LO), ...set(lo),
    ...i32(1), ...get(xsb), SUB, ...get(xsb), SUB, ...set(k),
    ELSE,
    ...f64(1.44269504088896338700), ...get(x), F64_MUL, ...bySign(-0.5, 0.5), F64_ADD, 0xaa, ...tee(k),
    0xb7, ...set(t),
    ...get(x), ...get(t), ...f64(LN2_HI), F64_MUL, F64_SUB, ...set(hi),
    ...get(t), ...f64(LN2_LO), F64_MUL, ...set(lo),
    END,
    ...get(hi), ...get(lo), F64_SUB, ...set(x),
    ELSE,
    ...get(hx), ...i32(0x3e300000), LT_U, ...IF,
    ...f64(1e300), ...get(x), F64_ADD, ...ONE, F64_GT, ...IF, ...ONE, ...get(x), F64_ADD, RETURN, END,
    END,
    END,
    // x is now in the primary range.
    ...get(x), ...get(x), F64_MUL, ...set(t),
    ...get(k), ...get(k), ...i32(1000), ADD, ...get(k), ...i32(-1021), GE_S, SELECT, ...i32(20), SHL, ...i32(0x3ff00000), ADD, ...fromHighWord, ...set(twopk),
    ...get(x), ...get(t), ...f64(P1), ...get(t), ...f64(P2), ...get(t), ...f64(P3), ...get(t), ...f64(P4), ...get(t), ...f64(P5),
    F64_MUL, F64_ADD, F64_MUL, F64_ADD, F64_MUL, F64_ADD, F64_MUL, F64_ADD, F64_MUL, F64_SUB, ...set(c),
    ...get(k), EQZ, ...IF,
    ...ONE, ...get(x), ...get(c), F64_MUL, ...get(c), ...f64(2), F64_SUB, F64_DIV, ...get(x), F64_SUB, F64_SUB, RETURN,
    END,
    ...ONE, ...get(lo), ...get(x), ...get(c), F64_MUL, ...f64(2), ...get(c), F64_SUB, F64_DIV, F64_SUB, ...get(hi), F64_SUB, F64_SUB, ...set(y),
    ...get(k), ...i32(-1021), GE_S, 0x04, F64,
    ...get(k), ...i32(1024), EQ, ...IF, ...get(y), ...f64(2), F64_MUL, ...f64(2 ** 1023), F64_MUL, RETURN, END,
    ...get(y), ...get(twopk), F64_MUL,
    ELSE,
    ...get(y), ...get(twopk), F64_MUL, ...f64(2 ** -1000), F64_MUL,
    END,
    END,
  ];
}

/**
 * binaryGradients(y, raw, gh, from, to): gradientRows' binary loop (byte addresses): for i in
 * [from, to), p = 1 / (1 + exp(−raw[i])), gh[2i] = p − y[i], gh[2i + 1] = p · (1 − p).
 */
function binaryGradientsFunction(exp: number): number[] {
  const [y, raw, gh, from, to] = [0, 1, 2, 3, 4];
  const [i, a, p] = [5, 6, 7];
  const perRow = [
    ...ONE, ...ONE, ...at(raw, i, 3), ...loadF64(0), F64_NEG, ...call(exp), F64_ADD, F64_DIV, ...set(p),
    ...at(gh, i, 4), ...tee(a), ...get(p), ...at(y, i, 3), ...loadF64(0), F64_SUB, ...storeF64(0),
    ...get(a), ...get(p), ...ONE, ...get(p), F64_SUB, F64_MUL, ...storeF64(8),
    ...increment(i),
  ];
  return [...locals(2, 1), ...get(from), ...set(i), ...whileBelow(i, to, perRow), END];
}

function kernelBytes(): Uint8Array<ArrayBuffer> {
  const params = (n: number) => vector(Array.from({ length: n }, () => [I32]));
  const types = [
    [0x60, ...params(10), 0],
    [0x60, ...params(6), 1, I32],
    [0x60, ...params(5), 0],
    [0x60, 1, F64, 1, F64],
    [0x60, ...params(9), 0],
  ];
  // Function k has type typeOf[k]; exp is function 3.
  const functions = [buildFunction(), partitionFunction(), leafValuesFunction(), expFunction(), binaryGradientsFunction(3), buildContiguousFunction()];
  const typeOf = [0, 1, 2, 3, 2, 4];
  const exports = ['build', 'partition', 'leafValues', 'exp', 'binaryGradients', 'buildContiguous'];
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
    ...section(1, vector(types)),
    ...section(2, vector([[...name('env'), ...name('mem'), 0x02, 0x03, ...uleb(1), ...uleb(WASM_MAX_PAGES)]])),
    ...section(3, vector(typeOf.map((t) => [t]))),
    ...section(7, vector(exports.map((e, k) => [...name(e), 0x00, k]))),
    ...section(10, vector(functions.map((b) => [...uleb(b.length), ...b]))),
  ]);
}

/** The kernel module's bytes (what the worker threads compile). */
export const WASM_KERNEL: Uint8Array<ArrayBuffer> = kernelBytes();

/** The kernel's bytes and the shared memory its arrays live in. */
export interface WasmKernelSource {
  bytes: Uint8Array<ArrayBuffer>;
  memory: WebAssembly.Memory;
}

type SharedCtor<T> = { new (buffer: SharedArrayBuffer, byteOffset: number, length: number): T; BYTES_PER_ELEMENT: number };

/** Views carved one after another (64-byte aligned) from one fixed-size shared kernel memory. */
export interface KernelArena {
  wasm: WasmKernelSource;
  take<T>(Ctor: SharedCtor<T>, length: number): T;
}

const aligned = (bytes: number) => Math.ceil(Math.max(1, bytes) / 64) * 64;

/**
 * An arena for arrays of the given byte lengths (taken in any order); null when a shared
 * WebAssembly memory that large cannot be had (then the JavaScript kernel is used).
 */
export function kernelArena(byteLengths: number[]): KernelArena | null {
  const total = byteLengths.reduce((s, b) => s + aligned(b), 0);
  const pages = Math.max(1, Math.ceil(total / 65536));
  if (pages > WASM_MAX_PAGES || typeof WebAssembly === 'undefined') return null;
  let memory: WebAssembly.Memory;
  try {
    memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
  } catch {
    return null;
  }
  const buffer = memory.buffer as unknown as SharedArrayBuffer;
  let offset = 0;
  return {
    wasm: { bytes: WASM_KERNEL, memory },
    take: (Ctor, length) => {
      const view = new Ctor(buffer, offset, length);
      offset += aligned(length * Ctor.BYTES_PER_ELEMENT);
      if (offset > total) throw new Error('kernel arena overflow');
      return view;
    },
  };
}

/** The kernels that run as WebAssembly, with the signatures of their JavaScript versions. */
export interface WasmKernels {
  build: typeof buildHistograms;
  partition: typeof partitionChunk;
  leafValues: typeof addLeafValues;
  /** Binary gradients as WebAssembly (the other objectives: the JavaScript kernel it was given). */
  gradients: typeof gradientRows;
  /** Math.exp's results, for tests. */
  exp: (x: number) => number;
}

/**
 * The WebAssembly kernels instantiated on `memory`; every array passed to them must be a view of
 * memory.buffer. Self-contained: the workers run its source.
 */
export function wasmKernels(bytes: Uint8Array<ArrayBuffer>, memory: WebAssembly.Memory, gradients: typeof gradientRows): WasmKernels {
  const exports = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { mem: memory } }).exports;
  const build = exports.build as (...a: number[]) => void;
  const partition = exports.partition as (...a: number[]) => number;
  const leafValues = exports.leafValues as (...a: number[]) => void;
  const binaryGradients = exports.binaryGradients as (...a: number[]) => void;
  const buildContiguous = exports.buildContiguous as (...a: number[]) => void;
  return {
    exp: exports.exp as (x: number) => number,
    gradients: (kind, y, raw, K, gh, from, to) => {
      if (kind === 1) binaryGradients(y.byteOffset, raw.byteOffset, gh.byteOffset, from, to);
      else gradients(kind, y, raw, K, gh, from, to);
    },
    build: (bins, width, rows, gh, gOffset, start, count, feats, kFrom, kTo, hist, histBase) => {
      for (let k = kFrom; k < kTo; k++) {
        const base = histBase + feats[k] * 768;
        hist.fill(0, base, base + 768);
      }
      if (kTo > kFrom && feats[kTo - 1] - feats[kFrom] === kTo - 1 - kFrom) {
        buildContiguous(bins.byteOffset, width, rows.byteOffset, gh.byteOffset + 16 * gOffset, start, start + count, feats[kFrom], feats[kTo - 1] + 1, hist.byteOffset + 8 * histBase);
      } else {
        build(bins.byteOffset, width, rows.byteOffset, gh.byteOffset + 16 * gOffset, start, start + count, feats.byteOffset, kFrom, kTo, hist.byteOffset + 8 * histBase);
      }
    },
    partition: (rows, tmp, cols, colBase, goesLeft, from, to, counts, c) => {
      counts[c] = partition(rows.byteOffset, tmp.byteOffset, cols.byteOffset + colBase, goesLeft.byteOffset, from, to);
    },
    leafValues: (raw, offset, rows, value, from, to) => leafValues(raw.byteOffset + 8 * offset, rows.byteOffset, value.byteOffset, from, to),
  };
}

const instances = new WeakMap<WebAssembly.Memory, WasmKernels>();

/** The WebAssembly kernels of a workspace in kernel memory (one instance per memory in this thread); null for a plain workspace. */
export function workspaceKernels(ws: { wasm?: WasmKernelSource }): WasmKernels | null {
  if (!ws.wasm) return null;
  let k = instances.get(ws.wasm.memory);
  if (!k) {
    k = wasmKernels(ws.wasm.bytes, ws.wasm.memory, gradientRows);
    instances.set(ws.wasm.memory, k);
  }
  return k;
}
