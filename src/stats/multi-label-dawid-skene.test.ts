// Per-label binary Dawid-Skene for multi-label answers: a small case worked by hand (the EM
// fixed point is reached from the vote shares), one where it learns that two annotators tag a
// label on everything and so overrules the per-label majority, and the edges.
import { describe, expect, it } from 'vitest';
import { dawidSkene } from './dawid-skene.js';
import { multiLabelConsensus } from './multi-label-agreement.js';
import { multiLabelDawidSkene, type MultiLabelObservation } from './multi-label-dawid-skene.js';

function answers(plan: Record<string, Record<string, string[]>>): MultiLabelObservation[] {
  return Object.entries(plan).flatMap(([item, byAnnotator]) => Object.entries(byAnnotator).map(([annotator, labels]) => ({ item, annotator, labels })));
}

describe('multiLabelDawidSkene', () => {
  // t1: both pick x; t2: A picks x, B nothing; t3: both pick y.
  const HAND = answers({ t1: { A: ['x'], B: ['x'] }, t2: { A: ['x'], B: [] }, t3: { A: ['y'], B: ['y'] } });

  it('reaches the fixed point worked by hand', () => {
    // Label x as present/absent: start T = (1, ½, 0) for P(present) of t1..t3.
    // M-step: prevalence = (1 + ½ + 0)/3 = ½. A: when present, picks in weight 1 + ½ of 1½ → sensitivity 1;
    //   when absent (weight ½ on t2, 1 on t3) picks in ½ of 1½ → specificity ⅔. B: sensitivity 1 of 1½ = ⅔, specificity 1.
    // E-step: t1 present ½·1·⅔ = ⅓ vs absent ½·⅓·0 = 0 → 1; t2 present ½·1·⅓ = ⅙ vs absent ½·⅓·1 = ⅙ → ½ (a tie);
    //   t3 present ½·0·⅓ = 0 → 0. Unchanged: the next iteration repeats it (converged).
    // Label y is unanimous: P = (0, 0, 1), prevalence ⅓, both annotators sensitivity = specificity = 1.
    const r = multiLabelDawidSkene(['x', 'y'], HAND, { tolerance: 1e-12 });
    expect(r.converged).toBe(true);
    expect(r.prevalence[0]).toBeCloseTo(1 / 2, 12);
    expect(r.prevalence[1]).toBeCloseTo(1 / 3, 12);
    const [t1, t2, t3] = r.items;
    expect(t1).toMatchObject({ item: 't1', choices: ['x'], tie: false, answers: 2 });
    expect(t1.presence[0]).toBeCloseTo(1, 12);
    expect(t1.confidence).toBeCloseTo(1, 12);
    // t2: x at exactly ½ is a tie, left out; the set {} is right with probability ½ · 1.
    expect(t2).toMatchObject({ item: 't2', choices: [], tie: true });
    expect(t2.presence[0]).toBeCloseTo(1 / 2, 12);
    expect(t2.confidence).toBeCloseTo(1 / 2, 12);
    expect(t3).toMatchObject({ item: 't3', choices: ['y'], tie: false });
    const [a, b] = r.annotators;
    expect(a.annotator).toBe('A');
    expect(a.sensitivity[0]).toBeCloseTo(1, 12);
    expect(a.specificity[0]).toBeCloseTo(2 / 3, 12);
    expect(b.sensitivity[0]).toBeCloseTo(2 / 3, 12);
    expect(b.specificity[0]).toBeCloseTo(1, 12);
    expect(a.sensitivity[1]).toBeCloseTo(1, 12);
    // Accuracy: x ½·1 + ½·⅔ = ⅚, y 1 → mean 11/12 (B likewise).
    expect(a.accuracy).toBeCloseTo(11 / 12, 12);
    expect(b.accuracy).toBeCloseTo(11 / 12, 12);
    expect(a.answers).toBe(3);
  });

  it('is binary Dawid-Skene on each label’s present/absent answers', () => {
    const r = multiLabelDawidSkene(['x', 'y'], HAND);
    const binary = dawidSkene(
      ['present', 'absent'],
      HAND.map((o) => ({ item: o.item, annotator: o.annotator, label: o.labels.includes('x') ? 'present' : 'absent' })),
    );
    expect(r.items.map((i) => i.presence[0])).toEqual(binary.items.map((i) => i.posterior[0]));
  });

  it('learns that two annotators tag x on everything and leaves it out where only they picked it', () => {
    // A and B are careful; C and D pick x on every item. On t6 (B did not answer) x has 2 of 3
    // votes, so the majority per label picks it; Dawid-Skene has learnt that C's and D's x says
    // nothing (specificity 0) and follows A.
    const plan: Record<string, Record<string, string[]>> = {};
    for (const t of ['t1', 't2']) plan[t] = { A: ['x'], B: ['x'], C: ['x'], D: ['x'] };
    for (const t of ['t3', 't4', 't5']) plan[t] = { A: [], B: [], C: ['x'], D: ['x'] };
    plan.t6 = { A: [], C: ['x'], D: ['x'] };
    const r = multiLabelDawidSkene(['x'], answers(plan), { maxIterations: 500 });
    expect(multiLabelConsensus([[], ['x'], ['x']], ['x']).choices).toEqual(['x']);
    const t6 = r.items.find((i) => i.item === 't6')!;
    expect(t6.choices).toEqual([]);
    expect(t6.presence[0]).toBeLessThan(1e-6);
    expect(r.items.filter((i) => i.choices.includes('x')).map((i) => i.item)).toEqual(['t1', 't2']);
    const c = r.annotators.find((x) => x.annotator === 'C')!;
    expect(c.sensitivity[0]).toBeCloseTo(1, 6);
    expect(c.specificity[0]).toBeCloseTo(0, 6);
    expect(r.prevalence[0]).toBeCloseTo(1 / 3, 6);
  });

  it('ignores labels outside the list, and answers nothing for no answers', () => {
    const r = multiLabelDawidSkene(['x'], answers({ t1: { A: ['x', 'zzz'], B: ['x'] } }));
    expect(r.items).toEqual([{ item: 't1', choices: ['x'], presence: [1], confidence: 1, tie: false, answers: 2 }]);
    expect(multiLabelDawidSkene(['x'], [])).toMatchObject({ items: [], annotators: [], prevalence: [0], converged: true });
  });
});
