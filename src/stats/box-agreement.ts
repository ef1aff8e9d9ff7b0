// Agreement and consensus for image bounding boxes. Boxes are in percent of the image (x, y the
// top-left corner, width, height); a box with several labels counts once per label. IoU is taken
// on the axis-aligned rectangles (rotation is not drawn by Flywheel; an imported rotated box is
// compared as if it were not rotated).
// - Two boxes agree when they carry the same label and their IoU is at least 0.5 (PASCAL VOC's
//   threshold).
// - Matching two annotators: greedily, the pair of same-label boxes with the highest IoU first,
//   each box used once; box F1 = 2·matched / (|A| + |B|) (1 when both drew none).
// - A task's agreement: the mean box F1 over its annotator pairs.
// - Consensus: boxes are grouped label by label, annotator by annotator in order, each box
//   joining the group (with no box of its annotator yet) whose mean box it overlaps most at
//   IoU ≥ 0.5, or starting a new group. A group drawn by a strict majority of the annotators is a
//   consensus box, its coordinates the mean of the group's; a group of exactly half is a tie.

export interface BoxLike {
  x: number;
  y: number;
  width: number;
  height: number;
  labels: readonly string[];
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const IOU_THRESHOLD = 0.5;

/**
 * Intersection over union of two axis-aligned rectangles (0 when either has no area).
 * @example iou({ x: 0, y: 0, width: 10, height: 10 }, { x: 5, y: 0, width: 10, height: 10 }) // 50 / 150 = 1/3
 */
export function iou(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  const inter = w > 0 && h > 0 ? w * h : 0;
  const union = a.width * a.height + b.width * b.height - inter;
  return union > 0 ? inter / union : 0;
}

interface Atom extends Rect {
  label: string;
}

const atomsOf = (boxes: readonly BoxLike[], label?: string): Atom[] =>
  boxes.flatMap((b) => b.labels.filter((l) => label === undefined || l === label).map((l) => ({ x: b.x, y: b.y, width: b.width, height: b.height, label: l })));

/** Greedy same-label matching at IoU ≥ threshold: the IoU of each matched pair, and the sizes. */
export function matchBoxes(a: readonly BoxLike[], b: readonly BoxLike[], label?: string, threshold = IOU_THRESHOLD): { ious: number[]; sizeA: number; sizeB: number } {
  const A = atomsOf(a, label);
  const B = atomsOf(b, label);
  const pairs: Array<{ i: number; j: number; v: number }> = [];
  A.forEach((p, i) =>
    B.forEach((q, j) => {
      if (p.label !== q.label) return;
      const v = iou(p, q);
      if (v >= threshold) pairs.push({ i, j, v });
    }),
  );
  pairs.sort((p, q) => q.v - p.v || p.i - q.i || p.j - q.j);
  const usedA = new Set<number>();
  const usedB = new Set<number>();
  const ious: number[] = [];
  for (const { i, j, v } of pairs) {
    if (usedA.has(i) || usedB.has(j)) continue;
    usedA.add(i);
    usedB.add(j);
    ious.push(v);
  }
  return { ious, sizeA: A.length, sizeB: B.length };
}

/** Box F1 of two annotators at IoU ≥ 0.5 (1 when neither drew a box). */
export function boxF1(a: readonly BoxLike[], b: readonly BoxLike[], label?: string): number {
  const { ious, sizeA, sizeB } = matchBoxes(a, b, label);
  return sizeA + sizeB === 0 ? 1 : (2 * ious.length) / (sizeA + sizeB);
}

/** Mean box F1 over the annotator pairs of one task (1 with fewer than two annotators). */
export function meanPairwiseBoxF1(answers: ReadonlyArray<readonly BoxLike[]>): number {
  let sum = 0;
  let pairs = 0;
  for (let i = 0; i < answers.length; i++) {
    for (let j = i + 1; j < answers.length; j++) {
      sum += boxF1(answers[i], answers[j]);
      pairs++;
    }
  }
  return pairs ? sum / pairs : 1;
}

export interface BoxConsensus {
  /**
   * Consensus boxes (mean coordinates), grouped by label in `labelOrder`, then by x, y; `votes`
   * annotators drew one, `iou` the mean IoU of their boxes with the consensus box (how tightly
   * they agree on where it is).
   */
  boxes: Array<Rect & { labels: string[]; votes: number; iou: number }>;
  agreement: number;
  tie: boolean;
}

const mean = (g: Atom[]): Rect => ({
  x: g.reduce((s, b) => s + b.x, 0) / g.length,
  y: g.reduce((s, b) => s + b.y, 0) / g.length,
  width: g.reduce((s, b) => s + b.width, 0) / g.length,
  height: g.reduce((s, b) => s + b.height, 0) / g.length,
});

/**
 * Consensus boxes of one task: the groups a strict majority drew, averaged.
 * @example boxConsensus([[car], [carShifted], [person]], ['car', 'person']) // one car box (2 of 3), mean coordinates
 */
export function boxConsensus(answers: ReadonlyArray<readonly BoxLike[]>, labelOrder: readonly string[]): BoxConsensus {
  const n = answers.length;
  const labels = [...new Set(answers.flatMap((a) => a.flatMap((b) => b.labels)))];
  const rank = new Map(labelOrder.map((l, i) => [l, i]));
  labels.sort((a, b) => (rank.get(a) ?? Infinity) - (rank.get(b) ?? Infinity) || (a < b ? -1 : a > b ? 1 : 0));
  const out: BoxConsensus['boxes'] = [];
  let tie = false;
  for (const label of labels) {
    const groups: Array<{ members: Atom[]; annotators: Set<number> }> = [];
    answers.forEach((boxes, who) => {
      for (const atom of atomsOf(boxes, label)) {
        let best: (typeof groups)[number] | undefined;
        let bestIou = IOU_THRESHOLD;
        for (const g of groups) {
          if (g.annotators.has(who)) continue;
          const v = iou(atom, mean(g.members));
          if (v >= bestIou && (best === undefined || v > bestIou)) {
            best = g;
            bestIou = v;
          }
        }
        if (best) {
          best.members.push(atom);
          best.annotators.add(who);
        } else groups.push({ members: [atom], annotators: new Set([who]) });
      }
    });
    const found: BoxConsensus['boxes'] = [];
    for (const g of groups) {
      const votes = g.annotators.size;
      if (2 * votes === n) tie = true;
      if (2 * votes > n) {
        const box = mean(g.members);
        found.push({ ...box, labels: [label], votes, iou: g.members.reduce((s, m) => s + iou(m, box), 0) / g.members.length });
      }
    }
    found.sort((a, b) => a.x - b.x || a.y - b.y);
    out.push(...found);
  }
  return { boxes: out, agreement: meanPairwiseBoxF1(answers), tie };
}
