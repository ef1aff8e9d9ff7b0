// Number formatting for dataset pages: bytes, and statistics with a sensible precision.

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

/** A statistic: numbers to 4 significant digits, strings as they are, '—' for null. */
export function stat(v: number | string | null | undefined): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'string') return v;
  if (Number.isInteger(v)) return v.toLocaleString();
  return Number(v.toPrecision(4)).toLocaleString(undefined, { maximumFractionDigits: 6 });
}
