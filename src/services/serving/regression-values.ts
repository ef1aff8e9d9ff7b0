// A regression model's predicted values as callers see them: a float output (float32) is
// written with the fewest digits that read back to the same float32 (10.9, not
// 10.899999618530273), a double output in full; a value that is not finite is null in JSON.

/**
 * The shortest decimal text of a float32 value; plain String() for a double.
 * @example valueText(Math.fround(10.9), true) // '10.9'
 */
export function valueText(v: number, float32: boolean): string {
  if (!Number.isFinite(v) || !float32) return String(v);
  for (let p = 1; p < 9; p++) {
    const shorter = Number(v.toPrecision(p));
    if (Math.fround(shorter) === v) return String(shorter);
  }
  return String(v);
}

/** The values as numbers with valueText's digits (NaN and ±Infinity stay as they are). */
export function valueNumbers(values: Float32Array | Float64Array): number[] {
  const float32 = values instanceof Float32Array;
  return Array.from(values, (v) => (Number.isFinite(v) ? Number(valueText(v, float32)) : v));
}

/** The values as texts (a regression prediction's `label` in the prediction log). */
export function valueTexts(values: Float32Array | Float64Array): string[] {
  const float32 = values instanceof Float32Array;
  return Array.from(values, (v) => valueText(v, float32));
}
