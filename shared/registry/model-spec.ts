// A model's spec: what to train and how to govern it. Stored on the model record and edited
// with PUT /api/registry/models/{model}; the pipeline, gates, deployment and drift monitor read it.
import { z } from 'zod';
import { batchSettingsSchema } from '../batch/batch-settings.js';
import { algorithmSchema, featureSpecSchema, taskSchema } from '../data/kinds.js';
import { servingPolicySchema } from '../serving/serving-policy.js';
import { computeSchema } from '../training/compute.js';
import { aliasNameSchema } from './names.js';

const metricName = z.string().min(1).max(64);

const thresholdSchema = z
  .strictObject({
    metric: metricName,
    min: z.number().finite().optional(),
    max: z.number().finite().optional(),
  })
  .refine((gate) => gate.min !== undefined || gate.max !== undefined, {
    message: 'a gate needs min, max or both',
  });

const championMarginSchema = z.strictObject({
  metric: metricName,
  /** How much better than the champion the challenger must be, in the metric's own unit. */
  margin: z.number().finite().min(0).default(0),
  higherIsBetter: z.boolean().default(true),
});

const deploymentSchema = z.strictObject({
  /** The alias a candidate that passes its gates is promoted to. */
  alias: aliasNameSchema.default('champion'),
  autoPromote: z.boolean().default(true),
  requireApproval: z.boolean().default(false),
  approvalTimeoutHours: z
    .number()
    .positive()
    .max(24 * 30)
    .default(72),
});

const driftSchema = z.strictObject({
  /** Population stability index above which a feature (or the prediction) counts as drifted. */
  psi: z.number().positive().default(0.2),
  /** Kolmogorov-Smirnov statistic above which a numeric feature counts as drifted. */
  ks: z.number().positive().max(1).default(0.2),
  /** Fewer recent rows than this say nothing about drift. */
  minRows: z.number().int().positive().default(200),
  retrain: z.boolean().default(true),
});

export const modelSpecSchema = z.strictObject({
  description: z.string().max(2000).optional(),
  task: taskSchema.optional(),
  target: z.string().min(1).max(256).default('label'),
  algorithm: algorithmSchema.optional(),
  features: z.array(featureSpecSchema).max(10_000).optional(),
  params: z.record(z.string(), z.unknown()).optional(),
  compute: computeSchema,
  gates: z
    .strictObject({
      thresholds: z.array(thresholdSchema).max(100).default([]),
      champion: championMarginSchema.optional(),
    })
    .default({ thresholds: [] }),
  deployment: deploymentSchema.default(deploymentSchema.parse({})),
  drift: driftSchema.default(driftSchema.parse({})),
  serving: servingPolicySchema.default(servingPolicySchema.parse({})),
  batch: batchSettingsSchema.default(batchSettingsSchema.parse({})),
});

export type ModelSpec = z.output<typeof modelSpecSchema>;

/** The spec a model gets when data arrives before anyone wrote one. */
export const defaultModelSpec: ModelSpec = modelSpecSchema.parse({});

export interface ModelRecord {
  readonly name: string;
  readonly spec: ModelSpec;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** Changes with every write; send it back as If-Match to edit the spec safely. */
  readonly etag: string;
}
