// A job's settings as the API takes them: a model reference (version or alias), auto-labelling
// (threshold and spot-check share in [0, 1], seed) and the lease time — bad values name the field.
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../domain/errors.js';
import { checkAutoLabel, checkLeaseSeconds, checkModelRef } from './job-settings.js';

const fieldOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    return (err as ValidationError).details?.field as string;
  }
  return undefined;
};

describe('job settings', () => {
  it('reads a model by version or alias, champion when neither is given', () => {
    expect(checkModelRef({ model: 'weather', version: 2 }, 'body.model')).toEqual({ model: 'weather', version: 2, alias: null });
    expect(checkModelRef({ model: 'weather', alias: 'staging' }, 'body.model')).toEqual({ model: 'weather', version: null, alias: 'staging' });
    expect(checkModelRef({ model: 'weather' }, 'body.model')).toEqual({ model: 'weather', version: null, alias: 'champion' });
    expect(fieldOf(() => checkModelRef({ model: 'weather', version: 1, alias: 'x' }, 'body.model'))).toBe('body.model.version');
    expect(fieldOf(() => checkModelRef({ model: '' }, 'body.model'))).toBe('body.model.model');
    expect(fieldOf(() => checkModelRef({ model: 'w', version: 0 }, 'body.model'))).toBe('body.model.version');
    expect(fieldOf(() => checkModelRef('weather', 'body.model'))).toBe('body.model');
  });

  it('reads auto-labelling with a default share and seed, and refuses values outside [0, 1]', () => {
    expect(checkAutoLabel({ threshold: 0.9 }, 'body.auto_label')).toEqual({ threshold: 0.9, spot_check_share: 0.1, seed: 42 });
    expect(checkAutoLabel({ threshold: 1, spot_check_share: 0, seed: 0 }, 'body.auto_label')).toEqual({ threshold: 1, spot_check_share: 0, seed: 0 });
    expect(fieldOf(() => checkAutoLabel({ threshold: 1.01 }, 'body.auto_label'))).toBe('body.auto_label.threshold');
    expect(fieldOf(() => checkAutoLabel({ threshold: -0.1 }, 'body.auto_label'))).toBe('body.auto_label.threshold');
    expect(fieldOf(() => checkAutoLabel({ threshold: 0.5, spot_check_share: 1.5 }, 'body.auto_label'))).toBe('body.auto_label.spot_check_share');
    expect(fieldOf(() => checkAutoLabel({ threshold: Number.NaN }, 'body.auto_label'))).toBe('body.auto_label.threshold');
    expect(fieldOf(() => checkAutoLabel({ threshold: 0.5, seed: -1 }, 'body.auto_label'))).toBe('body.auto_label.seed');
  });

  it('takes a lease time from 10 seconds to a week', () => {
    expect(checkLeaseSeconds(10, 'body.lease_seconds')).toBe(10);
    expect(fieldOf(() => checkLeaseSeconds(9, 'body.lease_seconds'))).toBe('body.lease_seconds');
    expect(fieldOf(() => checkLeaseSeconds(1.5, 'body.lease_seconds'))).toBe('body.lease_seconds');
  });
});
