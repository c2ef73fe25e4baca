// The `compute` part of a model's spec: which pool trains it. `cpu` runs the built-in tabular
// trainer on the CPU pool; `gpu` runs the PyTorch trainer (trainers/gpu) on the GPU pool
// (low-priority nodes in Azure). Locally both run on the local pool.
import { z } from 'zod';

export const computeSchema = z.enum(['cpu', 'gpu']).default('cpu');

export type Compute = z.output<typeof computeSchema>;
