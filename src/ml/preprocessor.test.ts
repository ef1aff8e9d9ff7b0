// Preprocessing: standardisation with training statistics, mean imputation, one-hot over training categories.
import { describe, expect, it } from 'vitest';
import { fitPreprocessor } from './preprocessor.js';

describe('fitPreprocessor', () => {
  const features = [
    { name: 'city', kind: 'categorical' as const },
    { name: 't', kind: 'numeric' as const },
    { name: 'const', kind: 'numeric' as const },
  ];
  const p = fitPreprocessor(features, { city: ['b', 'a', null, 'b'], t: [1, 3, null, NaN], const: Float64Array.of(7, 7, 7, 7) });

  it('learns means, population stds (0 → 1) and sorted categories, numeric columns first', () => {
    expect(p.state.numeric).toEqual([
      { name: 't', mean: 2, std: 1 },
      { name: 'const', mean: 7, std: 1 },
    ]);
    expect(p.state.categorical).toEqual([{ name: 'city', categories: ['a', 'b'] }]);
    expect(p.columnNames).toEqual(['t', 'const', 'city=a', 'city=b']);
  });

  it('imputes missing numbers with the mean and encodes unknown or missing categories as zeros', () => {
    const X = p.transform({ t: [3, null, NaN], const: [8, 7, 7], city: ['a', 'zzz', null] });
    expect(X).toMatchObject({ rows: 3, width: 4 });
    expect([...X.values]).toEqual([1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('rejects a missing column, ragged columns, non-numbers and reserved names', () => {
    expect(() => p.transform({ t: [1], const: [1] })).toThrow(/column 'city' is missing/);
    expect(() => p.transform({ t: [1, 2], const: [1], city: ['a', 'b'] })).toThrow(/'const' has 1 rows, expected 2/);
    expect(() => p.transform({ t: ['x' as unknown as number], const: [1], city: ['a'] })).toThrow(/non-number at row 0/);
    expect(() => fitPreprocessor([{ name: 'label', kind: 'numeric' }], { label: [1] })).toThrow(/reserved/);
    expect(() => fitPreprocessor([{ name: 'a', kind: 'numeric' }, { name: 'a', kind: 'numeric' }], { a: [1] })).toThrow(/twice/);
  });
});
