// Boxes: IoU, greedy same-label matching at IoU ≥ 0.5, box F1 and the majority consensus with
// averaged coordinates and the drawn boxes' mean IoU with each consensus box.
import { describe, expect, it } from 'vitest';
import { boxConsensus, boxF1, iou, matchBoxes } from './box-agreement.js';

const car = { x: 10, y: 10, width: 20, height: 20, labels: ['car'] };
const carShifted = { x: 12, y: 10, width: 20, height: 20, labels: ['car'] };
const carFar = { x: 60, y: 60, width: 20, height: 20, labels: ['car'] };
const person = { x: 10, y: 10, width: 20, height: 20, labels: ['person'] };

describe('box agreement', () => {
  it('computes IoU of axis-aligned boxes', () => {
    expect(iou({ x: 0, y: 0, width: 10, height: 10 }, { x: 5, y: 0, width: 10, height: 10 })).toBeCloseTo(50 / 150, 12);
    expect(iou(car, carFar)).toBe(0);
    expect(iou(car, car)).toBe(1);
    expect(iou(car, carShifted)).toBeCloseTo(360 / 440, 12);
  });

  it('matches same-label boxes at IoU ≥ 0.5, each once, best first', () => {
    expect(matchBoxes([car], [carShifted, car]).ious).toEqual([1]);
    expect(boxF1([car], [person])).toBe(0); // same place, other label
    expect(boxF1([car, carFar], [carShifted])).toBeCloseTo(2 / 3, 12);
    // IoU 1/3 is below the threshold.
    expect(boxF1([{ x: 0, y: 0, width: 10, height: 10, labels: ['car'] }], [{ x: 5, y: 0, width: 10, height: 10, labels: ['car'] }])).toBe(0);
    expect(boxF1([], [])).toBe(1);
  });

  it('keeps the box groups a strict majority drew, with averaged coordinates', () => {
    const c = boxConsensus([[car, person], [carShifted], [carFar, person]], ['car', 'person']);
    // The car box's mean is 11..31 × 10..30: each drawn car overlaps it 19 × 20 = 380 of 420, IoU 19/21.
    expect(c.boxes).toEqual([
      { x: 11, y: 10, width: 20, height: 20, labels: ['car'], votes: 2, iou: expect.closeTo(19 / 21, 12) },
      { x: 10, y: 10, width: 20, height: 20, labels: ['person'], votes: 2, iou: 1 },
    ]);
    expect(c.tie).toBe(false);
    expect(boxConsensus([[car], [carFar]], ['car'])).toMatchObject({ boxes: [], tie: true });
  });
});
