// Artifact path validation: paths stay inside the run.
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../domain/errors.js';
import { artifactDir, artifactPath } from './artifact-path.js';

describe('artifactPath', () => {
  it('accepts relative nested paths', () => {
    expect(artifactPath('model/model.onnx')).toBe('model/model.onnx');
    expect(artifactPath('a..b/c.txt')).toBe('a..b/c.txt');
  });

  it.each(['', '../x', 'a/../../x', 'a/./b', '/etc/passwd', 'C:/x', 'a\\b', 'a\0b', 'a//b', 'a/', '..'])('rejects %j', (p) => {
    expect(() => artifactPath(p)).toThrow(ValidationError);
  });
});

describe('artifactDir', () => {
  it('reads absent and empty as the root and drops a trailing slash', () => {
    expect(artifactDir(undefined)).toBe('');
    expect(artifactDir('')).toBe('');
    expect(artifactDir('plots/')).toBe('plots');
  });

  it('rejects escaping directories', () => {
    expect(() => artifactDir('../other')).toThrow(ValidationError);
    expect(() => artifactDir('/')).toThrow(ValidationError);
  });
});
