// The ONNX signature a registered version records, read from an exported model's interface
// metadata (DESIGN.md section 4): one [N, 1] input per feature, float or string, and the
// outputs of its task.
import { interfaceOf } from '../ml/model-interface.js';
import type { OnnxSignature } from './model-version.js';

export function onnxSignature(bytes: Uint8Array): OnnxSignature {
  const model = interfaceOf(bytes);
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
