// Shares and coefficients as people read them: 0.6667 → "66.7%", κ → "0.412".

export function percent(x: number | null | undefined): string {
  return x === null || x === undefined ? '—' : `${(x * 100).toFixed(1)}%`;
}

export function coefficient(x: number | null | undefined): string {
  return x === null || x === undefined ? '—' : x.toFixed(3);
}
