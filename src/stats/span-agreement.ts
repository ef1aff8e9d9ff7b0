// Agreement and consensus for text span labelling (named entities). Each span is split into
// atoms (start, end, label), one per label it carries; two atoms match only when start, end and
// label are all identical (exact match — no credit for overlap).
// - Span F1 between two annotators: 2·|A ∩ B| / (|A| + |B|) over their atoms (1 when both gave
//   none) — symmetric, and equal to the F1 of either one scored against the other.
// - A task's agreement: the mean span F1 over its annotator pairs.
// - Job and per-label F1: micro-averaged over every annotator pair of every task,
//   Σ 2·|A ∩ B| / Σ (|A| + |B|), counting only atoms of that label for a label.
// - Consensus: the atoms given by a strict majority of the task's annotators, regrouped into
//   spans by (start, end), each atom with its votes; an atom given by exactly half is a tie (left
//   out, the task flagged).

export interface SpanLike {
  start: number;
  end: number;
  text: string;
  labels: readonly string[];
}

export interface SpanAtom {
  start: number;
  end: number;
  label: string;
}

const key = (a: SpanAtom): string => `${a.start}:${a.end}:${a.label}`;

/** The distinct atoms of one annotator's spans (a duplicate span counts once). */
export function spanAtoms(spans: readonly SpanLike[]): SpanAtom[] {
  const seen = new Map<string, SpanAtom>();
  for (const s of spans) for (const label of s.labels) seen.set(key({ start: s.start, end: s.end, label }), { start: s.start, end: s.end, label });
  return [...seen.values()];
}

/** Matched atoms and sizes of two annotators' spans, optionally only of one label. */
export function spanMatch(a: readonly SpanLike[], b: readonly SpanLike[], label?: string): { matched: number; sizeA: number; sizeB: number } {
  const keep = (x: SpanAtom) => label === undefined || x.label === label;
  const atomsA = spanAtoms(a).filter(keep);
  const atomsB = new Set(spanAtoms(b).filter(keep).map(key));
  return { matched: atomsA.filter((x) => atomsB.has(key(x))).length, sizeA: atomsA.length, sizeB: atomsB.size };
}

/**
 * Exact-match span F1 of two annotators (1 when neither gave a span).
 * @example spanF1([{ start: 0, end: 4, text: 'Anna', labels: ['PER'] }], [{ start: 0, end: 4, text: 'Anna', labels: ['PER'] }, { start: 9, end: 14, text: 'Paris', labels: ['LOC'] }]) // 2/3
 */
export function spanF1(a: readonly SpanLike[], b: readonly SpanLike[], label?: string): number {
  const { matched, sizeA, sizeB } = spanMatch(a, b, label);
  return sizeA + sizeB === 0 ? 1 : (2 * matched) / (sizeA + sizeB);
}

/** Mean span F1 over the annotator pairs of one task (1 with fewer than two annotators). */
export function meanPairwiseSpanF1(answers: ReadonlyArray<readonly SpanLike[]>): number {
  let sum = 0;
  let pairs = 0;
  for (let i = 0; i < answers.length; i++) {
    for (let j = i + 1; j < answers.length; j++) {
      sum += spanF1(answers[i], answers[j]);
      pairs++;
    }
  }
  return pairs ? sum / pairs : 1;
}

export interface SpanConsensus {
  /** Spans whose (start, end, label) a strict majority gave, by start then end; labels in `labelOrder`. */
  spans: Array<{ start: number; end: number; text: string; labels: string[] }>;
  /** The same as atoms, each with how many annotators gave it (`votes` of the task's answers), in the order of `spans`. */
  atoms: Array<SpanAtom & { text: string; votes: number }>;
  /** Mean pairwise span F1 of the answers. */
  agreement: number;
  tie: boolean;
}

/**
 * Majority over identical spans of one task's answers.
 * @example spanConsensus([[per], [per, loc], [per]], ['PER', 'LOC']) // spans: [per] (3 of 3); loc has 1 of 3
 */
export function spanConsensus(answers: ReadonlyArray<readonly SpanLike[]>, labelOrder: readonly string[]): SpanConsensus {
  const n = answers.length;
  const votes = new Map<string, { atom: SpanAtom; text: string; count: number }>();
  for (const spans of answers) {
    const texts = new Map(spans.map((s) => [`${s.start}:${s.end}`, s.text]));
    for (const atom of spanAtoms(spans)) {
      const k = key(atom);
      const v = votes.get(k) ?? { atom, text: texts.get(`${atom.start}:${atom.end}`) ?? '', count: 0 };
      v.count++;
      votes.set(k, v);
    }
  }
  const rank = new Map(labelOrder.map((l, i) => [l, i]));
  const bySpan = new Map<string, { start: number; end: number; text: string; labels: string[] }>();
  let tie = false;
  for (const { atom, text, count } of votes.values()) {
    if (2 * count === n) tie = true;
    if (2 * count <= n) continue;
    const k = `${atom.start}:${atom.end}`;
    const span = bySpan.get(k) ?? { start: atom.start, end: atom.end, text, labels: [] };
    span.labels.push(atom.label);
    bySpan.set(k, span);
  }
  const spans = [...bySpan.values()].sort((a, b) => a.start - b.start || a.end - b.end);
  for (const s of spans) s.labels.sort((a, b) => (rank.get(a) ?? Infinity) - (rank.get(b) ?? Infinity) || (a < b ? -1 : a > b ? 1 : 0));
  const atoms = spans.flatMap((s) => s.labels.map((label) => ({ start: s.start, end: s.end, label, text: s.text, votes: votes.get(key({ start: s.start, end: s.end, label }))!.count })));
  return { spans, atoms, agreement: meanPairwiseSpanF1(answers), tie };
}
