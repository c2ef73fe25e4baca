// Serializes any tabular model to ONNX bytes following the model interface (DESIGN.md section 4).
import { exportGbdt } from './export-gbdt.js';
import { exportLinear } from './export-linear.js';
import type { TabularModel } from './model.js';

export function exportModel(model: TabularModel, producerVersion: string): Uint8Array {
  return model.kind === 'gbdt' ? exportGbdt(model, producerVersion) : exportLinear(model, producerVersion);
}
