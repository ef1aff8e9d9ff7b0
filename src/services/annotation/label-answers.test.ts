// Answers checked against the job's configuration and the task's data: each kind's field, and a
// bad answer named by field and index (labels not in the configuration, spans outside the text
// or whose text is not the slice, boxes outside the image or without area).
import { describe, expect, it } from 'vitest';
import type { LabelConfig } from '../../domain/annotation.js';
import { ValidationError } from '../../domain/errors.js';
import { answerOf, checkAnswer, summaryOf } from './label-answers.js';
import { labelConfigOf } from './label-config.js';

const multi = labelConfigOf(['rain', 'wind', 'fog'], 'multi-label');
const spans = labelConfigOf(['PER', 'LOC'], 'text-spans');
const boxes = labelConfigOf(['car', 'person'], 'image-boxes');
const text = { text: 'Anna flew to Paris' };

function problem(config: LabelConfig, data: Record<string, unknown>, input: Record<string, unknown>) {
  try {
    checkAnswer(config, data, input);
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    return { message: (err as Error).message, field: (err as ValidationError).details?.field };
  }
  throw new Error('expected a ValidationError');
}

describe('label configurations', () => {
  it('name the kind: a list makes the kind asked for, a Label Studio control names its own', () => {
    expect(multi).toEqual({ type: 'choices', choices: ['rain', 'wind', 'fog'], choice: 'multiple', from_name: 'label', to_name: 'data' });
    expect(spans).toEqual({ type: 'labels', labels: ['PER', 'LOC'], from_name: 'label', to_name: 'text', field: 'text' });
    expect(labelConfigOf({ type: 'rectanglelabels', labels: ['car'], to_name: 'img', field: 'url', extra: 1 })).toEqual({
      type: 'rectanglelabels', labels: ['car'], from_name: 'label', to_name: 'img', field: 'url', extra: 1,
    });
    expect(() => labelConfigOf({ type: 'labels', labels: ['PER'] }, 'image-boxes')).toThrow(/does not match the label configuration, which makes a 'text-spans' job/);
    expect(() => labelConfigOf({ type: 'polygon', labels: ['x'] } as never)).toThrow(/body.labels must be a list of labels or a configuration/);
  });
});

describe('answers', () => {
  it('reads each kind into a label summary and a value', () => {
    expect(answerOf(multi, {}, { choices: ['fog', 'rain'] })).toEqual({ label: 'rain, fog', value: { type: 'choices', choices: ['rain', 'fog'] } });
    expect(answerOf(multi, {}, { choices: [] })).toEqual({ label: '(none)', value: { type: 'choices', choices: [] } });
    const s = answerOf(spans, text, { spans: [{ start: 13, end: 18, text: 'Paris', labels: ['LOC'] }, { start: 0, end: 4, text: 'Anna', labels: ['PER'] }] });
    expect(s).toMatchObject({ label: 'LOC: Paris; PER: Anna', value: { type: 'labels' } });
    const b = answerOf(boxes, { image: 'https://x/y.png' }, { boxes: [{ x: 0, y: 0, width: 100, height: 100, labels: ['car'] }], original_width: 640, original_height: 480 });
    expect(b).toEqual({ label: 'car', value: { type: 'rectanglelabels', boxes: [{ x: 0, y: 0, width: 100, height: 100, rotation: 0, labels: ['car'] }], original_width: 640, original_height: 480 } });
    expect(summaryOf({ type: 'rectanglelabels', boxes: [0, 1, 2].map(() => ({ x: 1, y: 1, width: 1, height: 1, rotation: 0, labels: ['car'] })) })).toBe('car ×3');
  });

  it('names the field and index of a bad answer', () => {
    expect(problem(multi, {}, { choices: ['rain', 'hail'] })).toEqual({ message: "body.choices[1] 'hail' is not one of this job's labels: rain, wind, fog", field: 'body.choices[1]' });
    expect(problem(multi, {}, { label: 'rain' }).field).toBe('body.label');
    expect(problem(spans, text, { spans: [{ start: 0, end: 4, text: 'Anna', labels: ['PER'] }, { start: 13, end: 40, text: 'Paris', labels: ['LOC'] }] })).toEqual({
      message: 'body.spans[1].end is 40: the span ends outside the text, which is 18 characters long',
      field: 'body.spans[1].end',
    });
    expect(problem(spans, text, { spans: [{ start: 0, end: 4, text: 'Anne', labels: ['PER'] }] })).toEqual({ message: "body.spans[0].text 'Anne' is not the text at 0..4, which reads 'Anna'", field: 'body.spans[0].text' });
    expect(problem(spans, text, { spans: [{ start: 0, end: 4, text: 'Anna', labels: ['ORG'] }] }).field).toBe('body.spans[0].labels[0]');
    expect(problem(spans, text, { spans: [{ start: 4, end: 4, text: '', labels: ['PER'] }] }).field).toBe('body.spans[0].end');
    expect(problem(spans, { other: 1 }, { spans: [] }).message).toMatch(/no text in its data field 'text'/);
    const img = { image: 'https://x/y.png' };
    expect(problem(boxes, img, { boxes: [{ x: 90, y: 0, width: 20, height: 5, labels: ['car'] }] })).toEqual({
      message: "body.boxes[0].width runs the box past the image's right edge (x 90 + width 20 > 100)",
      field: 'body.boxes[0].width',
    });
    expect(problem(boxes, img, { boxes: [{ x: 1, y: 1, width: 1, height: 1, labels: ['car'] }, { x: 1, y: -1, width: 1, height: 1, labels: ['car'] }] }).field).toBe('body.boxes[1].y');
    expect(problem(boxes, img, { boxes: [{ x: 1, y: 1, width: 0, height: 1, labels: ['car'] }] }).field).toBe('body.boxes[0].width');
    expect(problem(boxes, img, { boxes: [{ x: 1, y: 1, width: 1, height: -2, labels: ['car'] }] }).field).toBe('body.boxes[0].height');
    expect(problem(boxes, img, { boxes: [{ x: 1, y: 1, width: 1, height: 1, labels: ['bus'] }] }).field).toBe('body.boxes[0].labels[0]');
    expect(problem(boxes, img, { boxes: [{ x: 1, y: 1, width: 1, height: 1, labels: [] }] }).field).toBe('body.boxes[0].labels');
  });
});
