// The trainer contract (DESIGN.md section 5) as a training task: the training file, the
// validation file and the spec staged under fixed names in the task's folder, the trainer run
// on them, and everything it writes to out/ collected under one destination.
import type { TaskSpecInput } from './backend.js';

export interface TrainerTaskOptions {
  id: string;
  /** The trainer program (TrainingTarget.command([]) for the target's own trainer). */
  program: readonly string[];
  /** Locations the backend can stage from (paths for the local pool, blob URLs for Batch). */
  train: string;
  validation: string;
  spec: string;
  /** Where out/ is collected: `{destination}/out/model.onnx`, `.../metrics.json`, ... */
  destination: string;
  maxWallClockMs: number;
  maxRetries?: number;
}

export function trainerTask(options: TrainerTaskOptions): TaskSpecInput {
  const staged = { train: 'train.csv', validation: 'validation.csv', spec: 'spec.json' };
  return {
    id: options.id,
    command: [
      ...options.program,
      ...['--train', staged.train, '--validation', staged.validation, '--spec', staged.spec, '--out', 'out'],
    ],
    inputFiles: (['train', 'validation', 'spec'] as const).map((name) => ({
      source: options[name],
      filePath: staged[name],
    })),
    outputFiles: [{ filePattern: 'out/**', destination: options.destination }],
    maxWallClockMs: options.maxWallClockMs,
    ...(options.maxRetries === undefined ? {} : { maxRetries: options.maxRetries }),
  };
}
