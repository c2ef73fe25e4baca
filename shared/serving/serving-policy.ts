// The `serving` part of a model's spec (DESIGN.md section 4): how requests that pin no version
// are shared between aliases, which alias sees a mirrored copy, how much is captured, and when
// the platform takes a misbehaving alias out of service by itself.
import { z } from 'zod';
import { aliasNameSchema } from '../registry/names.js';

const percent = z.number().finite().min(0).max(100);

const autoRollbackSchema = z.strictObject({
  /** Failed requests (the model could not answer) over all requests in the window. */
  maxErrorRate: z.number().finite().min(0).max(1).default(0.05),
  maxP99Ms: z.number().finite().positive().default(500),
  windowSeconds: z.number().int().min(10).max(3600).default(60),
  /** Fewer requests than this in the window decide nothing. */
  minRequests: z.number().int().positive().default(50),
  /** How long after a promotion the promoted alias is watched and rolled back on a breach. */
  bakeMinutes: z
    .number()
    .finite()
    .min(0)
    .max(7 * 24 * 60)
    .default(15),
});

export const servingPolicySchema = z.strictObject({
  /** Alias -> share of requests; shares are weights (percent when they add up to 100). */
  traffic: z
    .record(aliasNameSchema, percent)
    .refine((shares) => Object.values(shares).some((share) => share > 0), {
      message: 'traffic needs at least one alias with a share above 0',
    })
    .optional(),
  /** A request header whose value keeps a caller on one alias of the split. */
  stickyHeader: z
    .string()
    .regex(/^[A-Za-z0-9-]{1,64}$/, 'a header name: letters, digits and dashes')
    .transform((name) => name.toLowerCase())
    .optional(),
  shadow: z.strictObject({ alias: aliasNameSchema, percent: percent.default(100) }).optional(),
  capture: z.strictObject({ rate: z.number().finite().min(0).max(1).default(1) }).default({ rate: 1 }),
  autoRollback: autoRollbackSchema.optional(),
});

export type ServingPolicy = z.output<typeof servingPolicySchema>;
export type AutoRollback = z.output<typeof autoRollbackSchema>;
