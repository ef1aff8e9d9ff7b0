// Exact-match span F1 between annotators and majority over identical spans.
import { describe, expect, it } from 'vitest';
import { meanPairwiseSpanF1, spanConsensus, spanF1 } from './span-agreement.js';

const anna = { start: 0, end: 4, text: 'Anna', labels: ['PER'] };
const paris = { start: 13, end: 18, text: 'Paris', labels: ['LOC'] };
const annaOff = { start: 0, end: 3, text: 'Ann', labels: ['PER'] };

describe('span agreement', () => {
  it('counts only identical (start, end, label) as a match', () => {
    expect(spanF1([anna], [anna, paris])).toBeCloseTo(2 / 3, 12);
    expect(spanF1([anna], [annaOff])).toBe(0);
    expect(spanF1([anna], [{ ...anna, labels: ['ORG'] }])).toBe(0);
    expect(spanF1([], [])).toBe(1);
    // Per label: only that label's spans count.
    expect(spanF1([anna, paris], [anna], 'PER')).toBe(1);
    expect(spanF1([anna, paris], [anna], 'LOC')).toBe(0);
    // A span with two labels is two atoms.
    expect(spanF1([{ ...anna, labels: ['PER', 'ORG'] }], [anna])).toBeCloseTo(2 / 3, 12);
  });

  it('averages over annotator pairs and keeps the spans a strict majority gave', () => {
    const answers = [[anna, paris], [anna], [anna, paris], [annaOff]];
    expect(meanPairwiseSpanF1(answers)).toBeCloseTo((2 / 3 + 1 + 0 + 2 / 3 + 0 + 0) / 6, 12);
    const c = spanConsensus(answers, ['PER', 'LOC']);
    expect(c.spans).toEqual([anna]); // 3 of 4; Paris has 2 of 4 (a tie), 'Ann' 1 of 4
    expect(c.atoms).toEqual([{ start: 0, end: 4, label: 'PER', text: 'Anna', votes: 3 }]);
    expect(c.tie).toBe(true);
    expect(spanConsensus([[paris, anna], [anna, paris], [paris]], ['PER', 'LOC'])).toMatchObject({ spans: [anna, paris], tie: false });
  });
});
