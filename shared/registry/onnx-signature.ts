// The ONNX signature the registry records for a version, from the model-interface metadata the
// graph carries (DESIGN.md section 4): one [N, 1] input per feature, float or string, and the
// outputs of the task's head.
import type { ModelInterface } from '../ml/model-interface.js';
import type { OnnxSignature } from './model-version.js';

export function signatureOf(model: ModelInterface): OnnxSignature {
  const inputs = model.features.map((f) => ({
    name: f.name,
    type: f.type === 'categorical' ? 'string' : 'float',
    shape: ['N', 1],
  }));
  const outputs =
    model.task === 'regression'
      ? [{ name: 'variable', type: 'float', shape: ['N', 1] }]
      : [
          { name: 'label', type: 'string', shape: ['N'] },
          { name: 'probabilities', type: 'float', shape: ['N', model.classes.length] },
        ];
  return { inputs, outputs };
}
