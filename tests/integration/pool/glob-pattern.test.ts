import { describe, expect, it } from 'vitest';
import { globToRegExp } from '../../../shared/training/glob-pattern.js';

describe('output file patterns', () => {
  it.each([
    ['out/*.onnx', 'out/model.onnx', true],
    ['out/*.onnx', 'out/sub/model.onnx', false],
    ['**/*.json', 'metrics.json', true],
    ['**/*.json', 'a/b/metrics.json', true],
    ['out/**', 'out/a/b.txt', true],
    ['model.???x', 'model.onnx', true],
    ['model.onnx', 'modelXonnx', false],
  ])('%s matches %s: %s', (pattern, path, expected) => {
    expect(globToRegExp(pattern).test(path)).toBe(expected);
  });
});
