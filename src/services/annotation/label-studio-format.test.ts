// Label Studio annotations read as classification labels (with the reason when one cannot be),
// and Flywheel labels written as annotations that read back to the same label.
import { describe, expect, it } from 'vitest';
import type { ChoicesConfig, TaskLabelView } from '../../domain/annotation.js';
import { annotationOf, idString, parseAnnotation, predictionOf, withPrediction } from './label-studio-format.js';

const config: ChoicesConfig = { type: 'choices', choices: ['rain', 'sun'], from_name: 'sky', to_name: 'text' };
const result = (choices: unknown, extra: Record<string, unknown> = {}) => [{ id: 'r1', from_name: 'sky', to_name: 'text', type: 'choices', value: { choices }, ...extra }];

describe('parseAnnotation', () => {
  it('reads the label, the annotator (id or user object), the time and lead time', () => {
    expect(parseAnnotation({ id: 7, completed_by: 3, result: result(['sun']), created_at: '2021-03-09T22:16:08.728Z', lead_time: 4.288 }, config)).toEqual({
      label: 'sun',
      value: null,
      annotator: '3',
      external_id: '7',
      created_at: Date.parse('2021-03-09T22:16:08.728Z'),
      duration_ms: 4288,
    });
    expect(parseAnnotation({ completed_by: { id: 11, email: 'b@example.com' }, result: result(['rain']) }, config)).toMatchObject({ annotator: '11', external_id: null, created_at: null, duration_ms: null });
    expect(parseAnnotation({ completed_by: { email: 'b@example.com' }, result: result(['rain']) }, config)).toMatchObject({ annotator: 'b@example.com' });
  });

  it('ignores results of other types next to the one choices result', () => {
    const mixed = [...result(['rain']), { type: 'textarea', from_name: 'note', to_name: 'text', value: { text: ['wet'] } }];
    expect(parseAnnotation({ completed_by: 1, result: mixed }, config)).toMatchObject({ label: 'rain' });
  });

  it('says why an annotation cannot be a label', () => {
    const reason = (a: unknown) => (parseAnnotation(a, config) as { reason: string }).reason;
    expect(reason('x')).toMatch(/not an object/);
    expect(reason({ completed_by: 1, was_cancelled: true, result: [] })).toMatch(/cancelled/);
    expect(reason({ result: result(['sun']) })).toMatch(/completed_by/);
    expect(reason({ completed_by: 1, result: {} })).toMatch(/result is not a list/);
    expect(reason({ completed_by: 1, result: [...result(['sun']), ...result(['rain'])] })).toMatch(/exactly one result of type 'choices'; this one has 2/);
    expect(reason({ completed_by: 1, result: result(['sun'], { from_name: 'label' }) })).toMatch(/from_name 'label' is not this job's 'sky'/);
    expect(reason({ completed_by: 1, result: result(['sun', 'rain']) })).toMatch(/exactly one label/);
    expect(reason({ completed_by: 1, result: result(['hail']) })).toMatch(/'hail' is not one of this job's labels: rain, sun/);
  });
});

describe('annotationOf', () => {
  it('writes a label as a choices annotation that reads back to the same label', () => {
    const l: TaskLabelView = { id: '0192a0b1-2c3d-7e4f-8a9b-0c1d2e3f4a5b', project_id: 'p', job_id: 'j', task_id: 't', annotator_id: 'u', annotator: 'ann', label: 'rain', created_at: 1_700_000_000_000, duration_ms: 1500 };
    const a = annotationOf(l, config);
    expect(a).toEqual({
      id: l.id,
      completed_by: 'ann',
      result: [{ id: '0c1d2e3f4a5b'.slice(-10), from_name: 'sky', to_name: 'text', type: 'choices', value: { choices: ['rain'] } }],
      was_cancelled: false,
      created_at: '2023-11-14T22:13:20.000Z',
      lead_time: 1.5,
    });
    expect(parseAnnotation(a, config)).toEqual({ label: 'rain', value: null, annotator: 'ann', external_id: l.id, created_at: l.created_at, duration_ms: 1500 });
    expect(annotationOf({ ...l, duration_ms: null }, config)).not.toHaveProperty('lead_time');
  });

  it('accepts ids that are numbers or short strings only', () => {
    expect([idString(5), idString('a'), idString(''), idString(null), idString(NaN), idString('x'.repeat(201))]).toEqual(['5', 'a', undefined, undefined, undefined, undefined]);
  });
});

describe('a model suggestion as a Label Studio prediction', () => {
  const config = { type: 'choices' as const, choices: ['rain', 'sun'], from_name: 'weather', to_name: 'row' };
  const suggestion = { label: 'sun', confidence: 0.81, scores: { rain: 0.19, sun: 0.81 }, model_version_id: 'mv-7', source: 'model' as const };
  const id = '01900000-0000-7000-8000-00000000abcd';

  it('writes model_version, score and a choices result of the job control', () => {
    expect(predictionOf({ id, suggestion }, config)).toEqual({
      model_version: 'mv-7',
      score: 0.81,
      result: [{ id: 'p00000abcd', from_name: 'weather', to_name: 'row', type: 'choices', value: { choices: ['sun'] } }],
    });
    expect(predictionOf({ id, suggestion: null }, config)).toBeUndefined();
  });

  it('adds it to an imported task once, keeping the predictions it came with', () => {
    const task = { id, suggestion } as unknown as Parameters<typeof withPrediction>[1];
    const theirs = { model_version: 'their-model', score: 0.5, result: [] };
    const once = withPrediction({ id: 3, data: { x: 1 }, predictions: [theirs] }, task, config);
    expect(once.predictions).toEqual([theirs, predictionOf({ id, suggestion }, config)]);
    expect(withPrediction(once, task, config)).toBe(once);
  });
});
