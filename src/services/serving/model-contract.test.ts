// Flywheel's model contract: a classifier (label, probabilities, classes) or a regression model
// (one numeric `prediction` output, no classes), each input a feature of shape [N, 1].
import { describe, expect, it } from 'vitest';
import type { ModelSignature } from '../../domain/ports/model-runtime.js';
import { checkModelContract } from './model-contract.js';

const features = JSON.stringify([
  { name: 'temp', kind: 'numeric' },
  { name: 'station', kind: 'categorical' },
]);
const inputs = [
  { name: 'temp', type: 'float32', shape: ['N', 1] },
  { name: 'station', type: 'string', shape: ['N', 1] },
];
const signature = (s: Partial<ModelSignature>): ModelSignature => ({ inputs, outputs: [], metadata: { 'flywheel.features': features }, ...s });

describe('checkModelContract', () => {
  it('takes a classifier with its classes, and a regression model without any', () => {
    const classifier = checkModelContract(signature({ outputs: ['label', 'probabilities'], metadata: { 'flywheel.features': features, 'flywheel.classes': '["rain","sun"]' } }));
    expect(classifier.classes).toEqual(['rain', 'sun']);
    const regression = checkModelContract(signature({ outputs: ['prediction'], outputTypes: { prediction: 'float32' } }));
    expect(regression).toEqual({ features: JSON.parse(features), classes: [] });
    expect(checkModelContract(signature({ outputs: ['prediction'], outputTypes: { prediction: 'float64' } })).classes).toEqual([]);
  });

  it('refuses a regression output that is not a number, and a model with neither kind of output, naming what is wrong', () => {
    expect(() => checkModelContract(signature({ outputs: ['prediction'], outputTypes: { prediction: 'string' } }))).toThrow(/output 'prediction' of a regression model must be float or double, not string/);
    expect(() => checkModelContract(signature({ outputs: ['scores'] }))).toThrow(/metadata property 'flywheel.classes' is missing/);
    expect(() => checkModelContract(signature({ outputs: ['label'], metadata: { 'flywheel.features': features, 'flywheel.classes': '["a"]' } }))).toThrow(
      /output 'probabilities' is missing \(a classifier answers 'label' and 'probabilities'; a regression model answers only 'prediction'\)/,
    );
  });
});
