// Dawid-Skene EM: the worked example of the original paper (Table 1 of Dawid & Skene 1979, 45
// patients rated by 5 anaesthetists, the first one three times) and a synthetic crowd with an
// adversarial annotator, where it must beat majority vote.
import { describe, expect, it } from 'vitest';
import { majorityVote } from './agreement.js';
import { dawidSkene, type Observation } from './dawid-skene.js';
import { seededRandom } from '../domain/seeded-random.js';

/** Per patient: anaesthetist 1's three ratings, then anaesthetists 2..5 (classes 1..4). */
const TABLE_1 = [
  '111 1 1 1 1', '333 4 3 3 4', '112 2 1 2 2', '222 3 1 2 1', '222 3 2 2 2', '222 3 3 2 2', '122 2 1 1 1', '333 3 4 3 3', '222 2 2 2 3',
  '232 2 2 2 3', '444 4 4 4 4', '222 3 3 4 3', '111 1 1 1 1', '222 3 2 1 2', '121 1 1 1 1', '111 2 1 1 1', '111 1 1 1 1', '111 1 1 1 1',
  '222 2 2 2 1', '222 1 3 2 2', '222 2 2 2 2', '222 2 2 2 1', '222 3 2 2 2', '221 2 2 2 2', '111 1 1 1 1', '111 1 1 1 1', '232 2 2 2 2',
  '111 1 1 1 1', '111 1 1 1 1', '112 1 1 2 1', '111 1 1 1 1', '333 3 2 3 3', '111 1 1 1 1', '222 2 2 2 2', '222 3 2 3 2', '433 4 3 4 3',
  '221 2 2 3 2', '232 3 2 3 3', '333 3 4 3 2', '111 1 1 1 1', '111 1 1 1 1', '121 2 1 1 1', '232 2 2 2 2', '121 1 1 1 1', '222 2 2 2 2',
];

function paperObservations(): Observation[] {
  const out: Observation[] = [];
  TABLE_1.forEach((row, p) => {
    const [first, ...others] = row.split(' ');
    for (const r of first) out.push({ item: `patient-${p + 1}`, annotator: 'a1', label: r });
    others.forEach((r, k) => out.push({ item: `patient-${p + 1}`, annotator: `a${k + 2}`, label: r }));
  });
  return out;
}

const random = seededRandom;

describe('Dawid-Skene on the paper’s anaesthetist data (Table 1)', () => {
  const r = dawidSkene(['1', '2', '3', '4'], paperObservations(), { tolerance: 1e-10, maxIterations: 1000 });

  it('converges to the published class marginals (0.40, 0.42, 0.11, 0.07)', () => {
    expect(r.converged).toBe(true);
    expect(r.priors.map((p) => Number(p.toFixed(2)))).toEqual([0.4, 0.42, 0.11, 0.07]);
    expect(r.priors.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it('agrees with an independent NumPy run of the same EM to 1e-6', () => {
    // Computed outside this code base (NumPy, same initialisation and stopping rule).
    const numpyPriors = [0.3995547528821652, 0.4219833919144303, 0.11179518853673777, 0.06666666666666667];
    r.priors.forEach((p, k) => expect(Math.abs(p - numpyPriors[k])).toBeLessThan(1e-6));
    const a1 = r.annotators.find((a) => a.annotator === 'a1')!;
    const numpyA1 = [
      [0.8894883486860413, 0.11051165131395872, 0, 0],
      [0.07058545052978947, 0.8763799368403024, 0.05303461262990803, 0],
      [0, 0.3388215401992046, 0.6611784598007954, 0],
      [0, 0, 0.5555555555555556, 0.4444444444444444],
    ];
    a1.confusion.forEach((row, j) => row.forEach((x, l) => expect(Math.abs(x - numpyA1[j][l])).toBeLessThan(1e-6)));
    expect(a1.labels).toBe(135);
    const byItem = new Map(r.items.map((i) => [i.item, i]));
    expect(byItem.get('patient-7')).toMatchObject({ label: '1', labels: 7 });
    expect(byItem.get('patient-7')!.confidence).toBeCloseTo(0.9810202950388401, 6);
    expect(byItem.get('patient-35')!.posterior[1]).toBeCloseTo(0.947995202015034, 6);
    expect(byItem.get('patient-38')).toMatchObject({ label: '3' });
    expect(byItem.get('patient-38')!.confidence).toBeCloseTo(0.9787995158237985, 6);
  });

  it('never lowers the log-likelihood from one iteration to the next', () => {
    const lls = [1, 2, 3, 5, 8, 13].map((n) => dawidSkene(['1', '2', '3', '4'], paperObservations(), { maxIterations: n }).log_likelihood);
    for (let i = 1; i < lls.length; i++) expect(lls[i]).toBeGreaterThanOrEqual(lls[i - 1] - 1e-9);
  });

  it('stops at maxIterations and says it has not converged', () => {
    const short = dawidSkene(['1', '2', '3', '4'], paperObservations(), { maxIterations: 2 });
    expect(short).toMatchObject({ iterations: 2, converged: false });
  });
});

describe('Dawid-Skene on a synthetic crowd with an adversarial annotator', () => {
  const classes = ['rain', 'sun', 'fog'];
  const rand = random(42);
  const truth: string[] = [];
  const obs: Observation[] = [];
  // Three honest annotators of varying skill (random mistakes) and one adversary who always
  // answers the "next" class: wrong every time, but perfectly informative.
  const skill: Record<string, number> = { good: 0.85, fair: 0.65, poor: 0.55 };
  for (let i = 0; i < 300; i++) {
    const t = rand() < 0.5 ? 0 : rand() < 0.6 ? 1 : 2;
    truth.push(classes[t]);
    for (const [who, p] of Object.entries(skill)) {
      const c = rand() < p ? t : (t + 1 + Math.floor(rand() * 2)) % 3;
      obs.push({ item: `t${i}`, annotator: who, label: classes[c] });
    }
    obs.push({ item: `t${i}`, annotator: 'adversary', label: classes[(t + 1) % 3] });
  }
  const r = dawidSkene(classes, obs, { maxIterations: 1000 });

  it('recovers more true labels than majority vote', () => {
    const mv = truth.filter((t, i) => majorityVote(obs.filter((o) => o.item === `t${i}`).map((o) => o.label), classes).label === t).length;
    const ds = r.items.filter((it, i) => it.item === `t${i}` && it.label === truth[i]).length;
    expect(r.converged).toBe(true);
    expect(ds).toBeGreaterThan(mv + 30);
    expect(ds / truth.length).toBeGreaterThan(0.95);
  });

  it("learns the adversary's confusion matrix (a permutation) and the honest annotators' accuracy", () => {
    const adv = r.annotators.find((a) => a.annotator === 'adversary')!;
    expect(adv.accuracy).toBeLessThan(0.05);
    adv.confusion.forEach((row, j) => expect(row[(j + 1) % 3]).toBeGreaterThan(0.95));
    const good = r.annotators.find((a) => a.annotator === 'good')!;
    expect(good.accuracy).toBeGreaterThan(0.78);
    expect(good.accuracy).toBeLessThan(0.92);
  });

  it('reports each item’s confidence as the posterior of its label, posteriors summing to 1', () => {
    for (const it of r.items) {
      expect(it.posterior.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
      expect(it.confidence).toBe(it.posterior[classes.indexOf(it.label)]);
      expect(it.confidence).toBe(Math.max(...it.posterior));
    }
  });
});

describe('Dawid-Skene input checks', () => {
  it('refuses a label that is not a class, naming it', () => {
    expect(() => dawidSkene(['a'], [{ item: 'x', annotator: 'u', label: 'b' }])).toThrow(/observations\[0\]\.label 'b'/);
  });
  it('answers an empty result for no observations', () => {
    expect(dawidSkene(['a', 'b'], [])).toMatchObject({ items: [], annotators: [], priors: [0.5, 0.5] });
  });
});
