// Job statistics wire Krippendorff's alpha in per job (nominal, and interval for numeric labels —
// the published worked example to full precision), per label (one-vs-rest) and per annotator
// (against the consensus), beside percent agreement and Fleiss' kappa.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { LabellingJob } from '../../domain/annotation.js';
import { fleissKappa, krippendorffAlpha } from '../../stats/agreement.js';
import { jobStats } from './job-stats.js';
import { labelConfigOf } from './label-config.js';

const ref = JSON.parse(readFileSync(new URL('../../../test/fixtures/ml/agreement.json', import.meta.url), 'utf8')) as {
  krippendorff: { observers_by_units: (number | null)[][]; alpha_nominal: number; alpha_interval: number };
  fleiss: { counts_per_subject_and_category: number[][]; kappa: number };
};
const FULL = 5e-13;

const job = (labels: string[]): LabellingJob => ({
  id: 'j',
  project_id: 'p',
  name: 'j',
  kind: 'classification',
  label_config: labelConfigOf(labels),
  overlap: 4,
  source: { kind: 'items' },
  status: 'active',
  created_by: 'u',
  created_at: 0,
  gold_rate: 0,
  dispute_below: 0.5,
});

describe('job statistics', () => {
  it("reproduce Krippendorff (2011) to full precision from a job's label counts, nominal and interval", () => {
    const data = ref.krippendorff.observers_by_units;
    const counts = data[0].flatMap((_, u) =>
      [1, 2, 3, 4, 5].flatMap((v) => {
        const n = data.filter((row) => row[u] === v).length;
        return n ? [{ task_id: `t${String(u).padStart(2, '0')}`, label: String(v), n }] : [];
      }),
    );
    const s = jobStats(job(['1', '2', '3', '4', '5']), counts, []);
    expect(Math.abs(s.krippendorff_alpha! - ref.krippendorff.alpha_nominal)).toBeLessThan(FULL);
    expect(Math.abs(s.krippendorff_alpha_interval! - ref.krippendorff.alpha_interval)).toBeLessThan(FULL);
    expect(s.fleiss_kappa).toBeNull(); // units have 1 to 4 values: Fleiss is not defined
  });

  it("keep Fleiss (1971) and give each label's one-vs-rest agreement and α", () => {
    const table = ref.fleiss.counts_per_subject_and_category;
    const labels = ['a', 'b', 'c', 'd', 'e'];
    const counts = table.flatMap((row, i) => row.flatMap((n, j) => (n ? [{ task_id: `t${i}`, label: labels[j], n }] : [])));
    const s = jobStats(job(labels), counts, []);
    expect(Math.abs(s.fleiss_kappa! - ref.fleiss.kappa)).toBeLessThan(FULL);
    expect(s.krippendorff_alpha_interval).toBeNull(); // the labels are not numbers
    const e = s.labels[4];
    const binary = Array.from({ length: 14 }, (_, o) => table.map((row) => (o < row[4] ? 'yes' : 'no')));
    expect(e.given).toBe(table.reduce((sum, row) => sum + row[4], 0));
    expect(e.krippendorff_alpha).toBeCloseTo(krippendorffAlpha(binary), 12);
    expect(e.percent_agreement).toBeCloseTo(table.reduce((sum, row) => sum + (row[4] * (row[4] - 1) + (14 - row[4]) * (13 - row[4])) / (14 * 13), 0) / 10, 12);
    expect(fleissKappa(table)).toBeCloseTo(s.fleiss_kappa!, 15);
  });

  it('give each annotator α against the consensus', () => {
    const annotator = { annotator_id: 'u1', annotator: 'ann', labels: 4, on_resolved: 4, agreeing: 3, mean_duration_ms: null, gold_answered: 0, gold_correct: 0 };
    const confusion = [
      { annotator_id: 'u1', label: 'a', resolved_label: 'a', n: 2 },
      { annotator_id: 'u1', label: 'b', resolved_label: 'b', n: 1 },
      { annotator_id: 'u1', label: 'a', resolved_label: 'b', n: 1 },
    ];
    const s = jobStats(job(['a', 'b']), [], [annotator], new Map([['u1', 1]]), confusion);
    expect(s.annotators[0]).toMatchObject({ agreement_with_consensus: 0.75, skips: 1, skip_rate: 0.2 });
    expect(s.annotators[0].krippendorff_alpha).toBeCloseTo(krippendorffAlpha([['a', 'a', 'b', 'a'], ['a', 'a', 'b', 'b']]), 12);
    expect(s).toMatchObject({ resolved_tasks: 0, krippendorff_alpha: null, percent_agreement: null });
  });
});
