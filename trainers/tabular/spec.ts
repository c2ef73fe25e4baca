// spec.json of the trainer contract (DESIGN.md section 4). Keys beyond the trainer's (gates,
// deployment policy, ...) are allowed, since the registry's model spec is passed as is; the
// hyper-parameters are strict, so a misspelt one is an error rather than silently ignored.
import { z } from 'zod';
import { algorithmSchema, featureSpecSchema, taskSchema } from '../../shared/data/kinds.js';

const fraction = z.number().gt(0).lte(1);

export const paramsSchema = z.strictObject({
  learningRate: z.number().gt(0).lte(1).optional(),
  maxRounds: z.number().int().min(1).max(100_000).optional(),
  maxLeaves: z.number().int().min(2).max(4096).optional(),
  maxDepth: z.number().int().min(0).max(64).optional(),
  minSamplesLeaf: z.number().int().min(1).optional(),
  minChildWeight: z.number().min(0).optional(),
  l2: z.number().min(0).optional(),
  maxBins: z.number().int().min(2).max(255).optional(),
  subsample: fraction.optional(),
  colsample: fraction.optional(),
  earlyStoppingRounds: z.number().int().min(0).optional(),
  earlyStoppingTolerance: z.number().min(0).lt(1).optional(),
  seed: z.number().int().optional(),
  categoricalSplits: z.enum(['auto', 'native', 'ordered']).optional(),
  catSmooth: z.number().min(0).optional(),
  catL2: z.number().min(0).optional(),
  maxCatThreshold: z.number().int().min(1).max(254).optional(),
  minDataPerGroup: z.number().int().min(0).optional(),
  maxIterations: z.number().int().min(1).max(100_000).optional(),
  /** gbdt: false trains the given or default values as they are; an object sets the search's budget. */
  tuning: z
    .union([
      z.boolean(),
      z.strictObject({
        budgetSeconds: z
          .number()
          .positive()
          .max(7 * 24 * 3600),
      }),
    ])
    .optional(),
});

export const trainerSpecSchema = z
  .object({
    task: taskSchema,
    target: z.string().min(1).max(256).default('label'),
    algorithm: algorithmSchema.default('gbdt'),
    features: z.array(featureSpecSchema).max(10_000).optional(),
    params: paramsSchema.default({}),
  })
  .superRefine((spec, context) => {
    const seen = new Set<string>();
    spec.features?.forEach(({ name }, index) => {
      const problem = seen.has(name)
        ? `feature '${name}' is listed twice`
        : name === spec.target
          ? `'${name}' is the target; it cannot also be a feature`
          : undefined;
      if (problem) context.addIssue({ code: 'custom', message: problem, path: ['features', index, 'name'] });
      seen.add(name);
    });
  });

export type TrainerSpec = z.output<typeof trainerSpecSchema>;
