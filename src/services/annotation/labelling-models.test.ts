// Task data as a model's input columns: numbers (numeric strings too) and categories; a row
// lacking a feature or holding the wrong kind of value is left out with its reason.
import { describe, expect, it } from 'vitest';
import { featureColumns } from './labelling-models.js';
import { automationStats } from './automation-stats.js';

describe('featureColumns', () => {
  const features = [
    { name: 'temp', kind: 'numeric' as const },
    { name: 'station', kind: 'categorical' as const },
  ];

  it('builds one column per feature from the rows that have them', () => {
    const r = featureColumns([{ temp: 3.5, station: 'north' }, { temp: '7', station: 12 }, { station: 'south' }, { temp: 'warm', station: 'x' }, { temp: 1, station: { a: 1 } }], features);
    expect(r.kept).toEqual([0, 1]);
    expect(Array.from(r.columns.temp as Float32Array)).toEqual([3.5, 7]);
    expect(r.columns.station).toEqual(['north', '12']);
    expect(r.problems).toEqual([
      { index: 2, problem: "feature 'temp' is missing" },
      { index: 3, problem: "feature 'temp' is not a number" },
      { index: 4, problem: "feature 'station' is not a category (a string)" },
    ]);
  });
});

describe('automationStats', () => {
  it('measures auto-label accuracy on the resolved spot checks', () => {
    const s = automationStats({ suggested: 10, auto_labelled: 6, spot_checks: 3, spot_checks_resolved: 2, spot_checks_agreeing: 1, human_resolved_suggested: 4, human_agreeing_with_suggestion: 3 });
    expect(s).toMatchObject({ auto_label_accuracy: 0.5, suggestion_agreement: 0.75, spot_checks: 3, auto_labelled: 6 });
    expect(automationStats({ suggested: 0, auto_labelled: 0, spot_checks: 0, spot_checks_resolved: 0, spot_checks_agreeing: 0, human_resolved_suggested: 0, human_agreeing_with_suggestion: 0 }).auto_label_accuracy).toBeNull();
  });
});
