// Multi-label agreement per label (present/absent units) and pooled, and one item's consensus.
import { describe, expect, it } from 'vitest';
import { krippendorffAlpha } from './agreement.js';
import { multiLabelAgreement, multiLabelConsensus } from './multi-label-agreement.js';

describe('multi-label agreement', () => {
  const items = [
    [['a'], ['a', 'b'], ['a']],
    [[], ['b'], ['b']],
    [['a', 'b'], ['a', 'b'], ['b']],
  ];

  it('measures each label as present/absent: pairwise agreement and α nominal', () => {
    const r = multiLabelAgreement(items, ['a', 'b', 'c']);
    const [a, b, c] = r.labels;
    // a: item 1 all present (1), item 2 all absent (1), item 3 two of three (1/3).
    expect(a.percent_agreement).toBeCloseTo((1 + 1 + 1 / 3) / 3, 12);
    expect(a.given).toBe(5);
    // b: 1/3, 1/3, 1.
    expect(b.percent_agreement).toBeCloseTo((1 / 3 + 1 / 3 + 1) / 3, 12);
    const present = (label: string) => [0, 1, 2].map((o) => items.map((answers) => (answers[o].includes(label) ? 'p' : 'a')));
    expect(a.krippendorff_alpha).toBeCloseTo(krippendorffAlpha(present('a')), 12);
    expect(b.krippendorff_alpha).toBeCloseTo(krippendorffAlpha(present('b')), 12);
    // Never picked: perfect agreement, α undefined.
    expect(c).toEqual({ label: 'c', given: 0, percent_agreement: 1, krippendorff_alpha: null });
    expect(r.percent_agreement).toBeCloseTo((7 / 3 + 5 / 3 + 3) / 9, 12);
  });

  it('resolves an item to the labels a strict majority picked; a half split is a tie', () => {
    expect(multiLabelConsensus([['a', 'b'], ['a'], ['b', 'c']], ['a', 'b', 'c'])).toEqual({ choices: ['a', 'b'], presence: [2 / 3, 2 / 3, 1 / 3], agreement: 2 / 3, tie: false });
    expect(multiLabelConsensus([['a'], ['b']], ['a', 'b'])).toMatchObject({ choices: [], tie: true, agreement: 0.5 });
    expect(multiLabelConsensus([[], []], ['a'])).toMatchObject({ choices: [], tie: false, agreement: 1 });
  });
});
