// The digits of a regression model's predictions: the shortest text that reads back to the same float32.
import { describe, expect, it } from 'vitest';
import { valueNumbers, valueText, valueTexts } from './regression-values.js';

describe('regression values', () => {
  it('writes a float32 with the fewest digits that read back to it, and a double in full', () => {
    expect(valueText(Math.fround(10.9), true)).toBe('10.9');
    expect(valueText(Math.fround(-0.1), true)).toBe('-0.1');
    expect(valueText(Math.fround(123456.789), true)).toBe('123456.79');
    expect(valueText(0.1 + 0.2, false)).toBe('0.30000000000000004');
    expect(valueText(Number.NaN, true)).toBe('NaN');
    for (const v of [Math.fround(Math.PI), Math.fround(1e-30), Math.fround(3.4e38), Math.fround(7)]) {
      expect(Math.fround(Number(valueText(v, true)))).toBe(v);
    }
  });

  it('answers numbers and texts of whole arrays', () => {
    expect(valueNumbers(Float32Array.of(10.9, 2.5, Number.POSITIVE_INFINITY))).toEqual([10.9, 2.5, Number.POSITIVE_INFINITY]);
    expect(valueNumbers(Float64Array.of(10.9))).toEqual([10.9]);
    expect(valueTexts(Float32Array.of(1.1, -3))).toEqual(['1.1', '-3']);
  });
});
