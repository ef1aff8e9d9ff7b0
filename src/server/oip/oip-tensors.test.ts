import { describe, expect, it } from 'vitest';
import type { FeatureSpec } from '../../domain/serving.js';
import { inferInputs, outputTensors, requestedOutputs, tensorMetadata } from './oip-tensors.js';

const FEATURES: FeatureSpec[] = [
  { name: 'temp', kind: 'numeric' },
  { name: 'station', kind: 'categorical' },
];
const temp = (data: unknown, shape: unknown = [2, 1], datatype = 'FP32') => ({ name: 'temp', shape, datatype, data });
const station = (data: unknown = ['north', 'south'], shape: unknown = [2, 1]) => ({ name: 'station', shape, datatype: 'BYTES', data });

function errorOf(body: unknown): string {
  try {
    inferInputs(body, FEATURES);
  } catch (e) {
    return (e as Error).message;
  }
  return 'no error';
}

describe('OIP tensors', () => {
  it('describes inputs and outputs as the model contract fixes them', () => {
    expect(tensorMetadata(FEATURES, { task: 'classification', classes: ['a', 'b', 'c'], value_type: null })).toEqual({
      inputs: [
        { name: 'temp', datatype: 'FP32', shape: [-1, 1] },
        { name: 'station', datatype: 'BYTES', shape: [-1, 1] },
      ],
      outputs: [
        { name: 'label', datatype: 'BYTES', shape: [-1] },
        { name: 'probabilities', datatype: 'FP32', shape: [-1, 3] },
      ],
    });
  });

  it('turns tensors (flat or nested data, [N] or [N, 1], any order) into feature-ordered rows', () => {
    const want = { columns: ['temp', 'station'], data: [[1.5, 'north'], [-2, 'south']] };
    expect(inferInputs({ inputs: [temp([1.5, -2]), station()] }, FEATURES)).toEqual(want);
    expect(inferInputs({ inputs: [station([['north'], ['south']]), temp([[1.5], [-2]], [2], 'FP64')] }, FEATURES)).toEqual(want);
  });

  it('refuses bad tensors, naming the tensor and the problem', () => {
    expect(errorOf({ inputs: [temp([1, 2, 3]), station()] })).toMatch(/input 'temp'\.data has 3 elements but shape \[2, 1\] needs 2/);
    expect(errorOf({ inputs: [temp([1, 2], [2, 1], 'BYTES'), station()] })).toMatch(/input 'temp'\.datatype is BYTES, but the model takes FP32/);
    expect(errorOf({ inputs: [temp([1, 2]), { ...station(), datatype: 'FP32' }] })).toMatch(/input 'station'\.datatype is FP32, but the model takes BYTES/);
    expect(errorOf({ inputs: [temp([1, 2])] })).toMatch(/input 'station' is missing/);
    expect(errorOf({ inputs: [temp([1, 2]), station(), { name: 'wind', shape: [2], datatype: 'FP32', data: [1, 2] }] })).toMatch(/input 'wind' is not an input of the model/);
    expect(errorOf({ inputs: [temp([1, 2]), station(['x'], [1, 1])] })).toMatch(/input 'station'\.shape has 1 rows but input 'temp' has 2/);
    expect(errorOf({ inputs: [temp([1, 2], [1, 2]), station()] })).toMatch(/input 'temp'\.shape is \[1, 2\], but the model takes \[N, 1\]/);
    expect(errorOf({ inputs: [temp([1, 'x']), station()] })).toMatch(/input 'temp'\.data\[1\] must be a number/);
    expect(errorOf({ inputs: [] })).toMatch(/inputs must be a non-empty array/);
    expect(errorOf({ inputs: [temp([], [0, 1]), station([], [0, 1])] })).toMatch(/hold no rows/);
  });

  it('answers labels and row-major probabilities, only the outputs asked for', () => {
    const predictions = [
      { label: 'b', probabilities: { a: 0.25, b: 0.75 } },
      { label: 'a', probabilities: { a: 0.5, b: 0.5 } },
    ];
    const model = { task: 'classification' as const, classes: ['a', 'b'], value_type: null };
    expect(outputTensors(predictions, model, requestedOutputs({}))).toEqual([
      { name: 'label', datatype: 'BYTES', shape: [2], data: ['b', 'a'] },
      { name: 'probabilities', datatype: 'FP32', shape: [2, 2], data: [0.25, 0.75, 0.5, 0.5] },
    ]);
    expect(outputTensors(predictions, model, requestedOutputs({ outputs: [{ name: 'label' }] })).map((t) => t.name)).toEqual(['label']);
    expect(() => requestedOutputs({ outputs: [{ name: 'scores' }] })).toThrow(/outputs\[0\]\.name must be one of the model's outputs: label, probabilities/);
  });

  it("describes and answers a regression model's one output, FP32 or FP64 as the model outputs it", () => {
    const float = { task: 'regression' as const, classes: [], value_type: 'float32' as const };
    expect(tensorMetadata(FEATURES, float).outputs).toEqual([{ name: 'prediction', datatype: 'FP32', shape: [-1, 1] }]);
    expect(tensorMetadata(FEATURES, { ...float, value_type: 'float64' }).outputs).toEqual([{ name: 'prediction', datatype: 'FP64', shape: [-1, 1] }]);
    const predictions = [{ value: 10.9 }, { value: null }];
    expect(outputTensors(predictions, float, requestedOutputs({}, float))).toEqual([{ name: 'prediction', datatype: 'FP32', shape: [2, 1], data: [10.9, null] }]);
    expect(outputTensors(predictions, { ...float, value_type: 'float64' }, requestedOutputs({ outputs: [{ name: 'prediction' }] }, float))[0].datatype).toBe('FP64');
    expect(() => requestedOutputs({ outputs: [{ name: 'label' }] }, float)).toThrow(/outputs\[0\]\.name must be one of the model's outputs: prediction/);
  });
});
