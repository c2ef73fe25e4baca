// The `drift` part of a model's spec: thresholds, the metric that decides per feature type, the
// window and the retraining policy. Defaults follow the common conventions (see the README).
import { z } from 'zod';

const pValue = z.number().gt(0).lt(1);

const thresholdsSchema = z.strictObject({
  /** Population stability index above which a column drifted. */
  psi: z.number().positive().default(0.2),
  /** Kolmogorov-Smirnov p-value below which a numeric column drifted. */
  ks: pValue.default(0.05),
  /** Wasserstein distance, in reference standard deviations, above which a numeric column drifted. */
  wasserstein: z.number().positive().default(0.1),
  /** Jensen-Shannon distance (base 2, in [0, 1]) above which a categorical column drifted. */
  jensenShannon: z.number().positive().max(1).default(0.1),
  /** Chi-square p-value below which a categorical column drifted. */
  chiSquare: pValue.default(0.05),
});

const decideSchema = z.strictObject({
  numeric: z.enum(['wasserstein', 'ks', 'psi']).default('wasserstein'),
  categorical: z.enum(['chi-square', 'jensen-shannon', 'psi']).default('chi-square'),
});

export const driftSettingsSchema = z.strictObject({
  thresholds: thresholdsSchema.default(thresholdsSchema.parse({})),
  /** The metric whose verdict counts, per column type; the others are reported alongside. */
  decide: decideSchema.default(decideSchema.parse({})),
  /** Fewer rows in the window than this give no verdict. */
  minRows: z.number().int().positive().default(200),
  /** The window a scheduled check looks back over. */
  windowHours: z
    .number()
    .positive()
    .max(24 * 90)
    .default(24),
  /** Whether an alert starts retraining. */
  retrain: z.boolean().default(true),
  /** After a drift-started run, further alerts for the model start nothing for this long. */
  cooldownHours: z
    .number()
    .min(0)
    .max(24 * 90)
    .default(24),
});

export type DriftSettings = z.output<typeof driftSettingsSchema>;
export type ThresholdName = keyof DriftSettings['thresholds'];
export const defaultDriftSettings: DriftSettings = driftSettingsSchema.parse({});
