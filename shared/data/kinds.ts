// The vocabulary every layer shares: what a model predicts (task), how a column is typed
// (feature type) and which built-in learner trains it. The model spec, the trainer spec, the
// data readers and the model interface all take their enums from here, so a new kind is added
// in one place.
import { z } from 'zod';

export const taskSchema = z.enum(['binary', 'multiclass', 'regression']);
export type Task = z.output<typeof taskSchema>;

export const featureTypeSchema = z.enum(['numeric', 'categorical', 'boolean']);
export type FeatureType = z.output<typeof featureTypeSchema>;

export const algorithmSchema = z.enum(['gbdt', 'linear']);
export type Algorithm = z.output<typeof algorithmSchema>;

/** A declared column: its name and type. */
export const featureSpecSchema = z.strictObject({
  name: z.string().min(1).max(256),
  type: featureTypeSchema,
});
