// numpy-compatible histograms: `histogram_bin_edges(x, bins='sturges')` and `histogram(x, edges)`
// reproduced operation for operation, so drift statistics match the Python reference bit for bit.

/**
 * numpy.linspace(start, stop, num, endpoint=True) for float64: `i·step + start`, last = stop.
 * @example linspace(0, 1, 5) // Float64Array [0, 0.25, 0.5, 0.75, 1]
 */
export function linspace(start: number, stop: number, num: number): Float64Array {
  const out = new Float64Array(num);
  const div = num - 1;
  const delta = stop - start;
  if (div > 0) {
    const step = delta / div;
    // numpy divides first when the step underflows to zero (denormals, gh-5437).
    for (let i = 0; i < num; i++) out[i] = (step === 0 ? (i / div) * delta : i * step) + start;
  } else {
    for (let i = 0; i < num; i++) out[i] = i * delta + start;
  }
  if (num > 1) out[num - 1] = stop;
  return out;
}

/**
 * numpy.histogram_bin_edges(values, bins='sturges'): equal-width bins over [min, max] with
 * width = ptp / (log2(n) + 1) and count = ceil((max − min) / width); an empty range
 * (min = max) is widened to [min − 0.5, max + 0.5] with one bin. NaN must be removed first.
 * @example sturgesBinEdges([1, 2, 3, 4]) // Float64Array [1, 2, 3, 4] (3 bins)
 */
export function sturgesBinEdges(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  if (n === 0) return linspace(0, 1, 2); // numpy: range (0, 1), one bin
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (!Number.isFinite(min) || !Number.isFinite(max)) {
    throw new RangeError(`autodetected range of [${min}, ${max}] is not finite`);
  }
  const ptp = max - min;
  let first = min;
  let last = max;
  if (first === last) {
    first -= 0.5;
    last += 0.5;
  }
  const width = ptp / (Math.log2(n) + 1.0);
  const bins = width ? Math.ceil((last - first) / width) : 1;
  return linspace(first, last, bins + 1);
}

/**
 * numpy.histogram(values, edges)[0]: bin i counts edges[i] ≤ x < edges[i+1], the last bin is
 * closed (x = edges[last] counts), values outside [edges[0], edges[last]] or NaN are not counted.
 * Edges must be strictly increasing.
 * @example histogramCounts([1, 2, 2, 3], [1, 2, 3]) // Float64Array [1, 3]
 */
export function histogramCounts(values: ArrayLike<number>, edges: ArrayLike<number>): Float64Array {
  const bins = edges.length - 1;
  const counts = new Float64Array(Math.max(bins, 0));
  if (bins < 1) return counts;
  const lo = edges[0];
  const hi = edges[bins];
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    if (!(x >= lo && x <= hi)) continue;
    if (x === hi) {
      counts[bins - 1]++;
      continue;
    }
    // Largest k with edges[k] <= x (binary search; edges[0] <= x < edges[bins]).
    let a = 0;
    let b = bins;
    while (b - a > 1) {
      const mid = (a + b) >>> 1;
      if (edges[mid] <= x) a = mid;
      else b = mid;
    }
    counts[a]++;
  }
  return counts;
}
