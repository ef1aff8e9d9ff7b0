// A task's consensus by kind, worked by hand: the resolved value, its agreement, the regions of
// spans and boxes with their votes and confidence, and the disputes rule (a tie, or agreement
// below the job's threshold) applied to structured kinds exactly as to classification.
import { describe, expect, it } from 'vitest';
import type { LabelConfig } from '../../domain/annotation.js';
import type { LabelValue } from '../../domain/label-values.js';
import { isDisputed } from './label-recording.js';
import { taskOutcome } from './task-consensus.js';

const JOB = { dispute_below: 0.67 };
const answers = (values: LabelValue[]) => values.map((value) => ({ label: '', value }));

describe('taskOutcome', () => {
  it('classification: majority vote, a tie to the label listed first; 2 of 3 is below 0.67', () => {
    const config: LabelConfig = { type: 'choices', choices: ['rain', 'sun', 'fog'], from_name: 'label', to_name: 'data' };
    const two = taskOutcome(config, [{ label: 'sun' }, { label: 'rain' }, { label: 'sun' }].map((l) => ({ ...l, value: null })));
    expect(two).toMatchObject({ label: 'sun', tie: false, agreement: 2 / 3 });
    expect(isDisputed(JOB, two.agreement, two.tie)).toBe(true);
    const tie = taskOutcome(config, [{ label: 'fog', value: null }, { label: 'sun', value: null }]);
    expect(tie).toMatchObject({ label: 'sun', tie: true, agreement: 1 / 2 });
  });

  describe('multi-label (majority per label)', () => {
    const config: LabelConfig = { type: 'choices', choice: 'multiple', choices: ['sport', 'economy', 'politics'], from_name: 'label', to_name: 'headline' };
    const choices = (c: string[]): LabelValue => ({ type: 'choices', choices: c });

    it('keeps the labels most picked; agreement is the mean majority share over labels anyone picked', () => {
      // sport 1 of 3 (out, majority ⅔), economy 3 of 3 (in, 1): agreement (⅔ + 1)/2 = ⅚.
      const o = taskOutcome(config, answers([choices(['sport', 'economy']), choices(['economy']), choices(['economy'])]));
      expect(o).toMatchObject({ label: 'economy', value: { type: 'choices', choices: ['economy'] }, tie: false });
      expect(o.agreement).toBeCloseTo(5 / 6, 12);
      expect(o.presence).toEqual([1 / 3, 1, 0]);
      expect(isDisputed(JOB, o.agreement, o.tie)).toBe(false);
    });

    it('sends a split without a tie to the disputes queue by its low agreement', () => {
      // Each label picked by 1 of 3: nothing kept, agreement ⅔ < 0.67, no tie.
      const o = taskOutcome(config, answers([choices(['sport']), choices(['economy']), choices(['politics'])]));
      expect(o).toMatchObject({ value: { choices: [] }, tie: false });
      expect(o.agreement).toBeCloseTo(2 / 3, 12);
      expect(isDisputed(JOB, o.agreement, o.tie)).toBe(true);
    });
  });

  it('text spans: exact-match majority, each kept span label with its votes; low F1 is disputed', () => {
    const config: LabelConfig = { type: 'labels', labels: ['PER', 'LOC', 'ORG'], from_name: 'label', to_name: 'text', field: 'text' };
    const anna = { start: 0, end: 4, text: 'Anna', labels: ['PER'] };
    const paris = { start: 13, end: 18, text: 'Paris', labels: ['LOC'] };
    const parisOrg = { ...paris, labels: ['ORG'] };
    // Anna/PER by all three: kept (confidence 1). Paris as LOC by one, as ORG by one: neither kept.
    // Pairwise F1: A–B 2·1/(2+1) = ⅔, A–C 2·1/(2+2) = ½, B–C ⅔ → agreement 11/18 < 0.67.
    const o = taskOutcome(
      config,
      answers([
        { type: 'labels', spans: [anna, paris] },
        { type: 'labels', spans: [anna] },
        { type: 'labels', spans: [anna, parisOrg] },
      ]),
    );
    expect(o.value).toEqual({ type: 'labels', spans: [anna] });
    expect(o.regions).toEqual([{ label: 'PER', votes: 3, confidence: 1, start: 0, end: 4, text: 'Anna' }]);
    expect(o.tie).toBe(false);
    expect(o.agreement).toBeCloseTo(11 / 18, 12);
    expect(isDisputed(JOB, o.agreement, o.tie)).toBe(true);
    // Two of three give Paris as LOC: kept with confidence ⅔.
    const two = taskOutcome(config, answers([{ type: 'labels', spans: [anna, paris] }, { type: 'labels', spans: [anna, paris] }, { type: 'labels', spans: [anna] }]));
    expect(two.regions).toEqual([
      { label: 'PER', votes: 3, confidence: 1, start: 0, end: 4, text: 'Anna' },
      { label: 'LOC', votes: 2, confidence: 2 / 3, start: 13, end: 18, text: 'Paris' },
    ]);
    // F1: 1, ⅔, ⅔ → 7/9 ≥ 0.67: not disputed.
    expect(two.agreement).toBeCloseTo(7 / 9, 12);
    expect(isDisputed(JOB, two.agreement, two.tie)).toBe(false);
  });

  it('image boxes: boxes matched at IoU ≥ 0.5 and averaged, with votes and mean IoU; low F1 is disputed', () => {
    const config: LabelConfig = { type: 'rectanglelabels', labels: ['car', 'person'], from_name: 'label', to_name: 'image', field: 'image' };
    const box = (x: number, y: number, label = 'car') => ({ x, y, width: 20, height: 20, rotation: 0, labels: [label] });
    // A's car at 10 and B's at 12 overlap (IoU 360/440 ≥ 0.5); C's car at 60 matches neither.
    // The kept box: mean x 11, drawn by 2 of 3 (confidence ⅔), each drawn car overlapping it
    // 19 × 20 = 380 of 420 (IoU 19/21). Pairwise F1: A–B 1, A–C 0, B–C 0 → ⅓ < 0.67.
    const o = taskOutcome(
      config,
      answers([
        { type: 'rectanglelabels', boxes: [box(10, 10)] },
        { type: 'rectanglelabels', boxes: [box(12, 10)] },
        { type: 'rectanglelabels', boxes: [box(60, 60)] },
      ]),
    );
    expect(o.value).toEqual({ type: 'rectanglelabels', boxes: [box(11, 10)] });
    expect(o.regions).toEqual([{ label: 'car', votes: 2, confidence: 2 / 3, x: 11, y: 10, width: 20, height: 20, iou: expect.closeTo(19 / 21, 6) }]);
    expect(o.agreement).toBeCloseTo(1 / 3, 12);
    expect(o.tie).toBe(false);
    expect(isDisputed(JOB, o.agreement, o.tie)).toBe(true);
    // All three on the same person: confidence 1, IoU 1, F1 1: not disputed.
    const same = taskOutcome(config, answers([0, 1, 2].map(() => ({ type: 'rectanglelabels', boxes: [box(30, 30, 'person')] }) as LabelValue)));
    expect(same.regions).toEqual([{ label: 'person', votes: 3, confidence: 1, x: 30, y: 30, width: 20, height: 20, iou: 1 }]);
    expect(isDisputed(JOB, same.agreement, same.tie)).toBe(false);
  });
});
