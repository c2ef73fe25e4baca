import { describe, expect, it } from 'vitest';
import { PlatformError } from '../../../shared/errors.js';
import { interfaceMetadata, interfaceOf } from '../../../shared/ml/model-interface.js';
import { OnnxGraph } from '../../../shared/ml/onnx-graph.js';

const features = [
  { name: 'age', type: 'numeric' as const },
  { name: 'plan', type: 'categorical' as const, categories: ['basic', 'pro'] },
];

function modelWith(metadata: Record<string, string>): Uint8Array {
  return new OnnxGraph().serialize('test', metadata, '0');
}

function failure(run: () => unknown): PlatformError {
  try {
    run();
  } catch (error) {
    if (error instanceof PlatformError) return error;
    throw error;
  }
  throw new Error('expected a PlatformError');
}

describe('model interface metadata', () => {
  it('reads back what the exporters write', () => {
    const metadata = interfaceMetadata({ kind: 'gbdt', task: 'binary', classes: ['no', 'yes'], features });
    expect(metadata.algorithm).toBe('gbdt');
    expect(interfaceOf(modelWith(metadata))).toEqual({ task: 'binary', classes: ['no', 'yes'], features });
  });

  it('defaults the classes of a regression model to none', () => {
    const bytes = modelWith({ task: 'regression', features: JSON.stringify(features) });
    expect(interfaceOf(bytes).classes).toEqual([]);
  });

  it.each([
    ['no features', { task: 'binary', classes: '["a"]' }, 'features'],
    ['an unknown task', { task: 'ranking', features: '[]' }, 'task'],
    ['features that are not JSON', { task: 'binary', features: '[{' }, 'features'],
    [
      'a feature of an unknown type',
      { task: 'binary', features: '[{"name":"a","type":"date"}]' },
      'features.0.type',
    ],
  ])('refuses a model with %s and names the property', (_, metadata, property) => {
    const error = failure(() => interfaceOf(modelWith(metadata)));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.details.property).toBe(property);
  });
});
