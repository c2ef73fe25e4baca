// The approval event a run waits for when its model's spec requires one: raised by
// POST /api/runs/{runId}/approve|reject, or never (the durable timer then rejects the run).
import { z } from 'zod';
import { actorSchema } from '../registry/names.js';

export const approvalEventName = 'approval';

export const approvalRequestSchema = z.strictObject({
  by: actorSchema,
  comment: z.string().max(2000).optional(),
});

export const approvalEventSchema = approvalRequestSchema.extend({
  approved: z.boolean(),
  at: z.iso.datetime(),
});

export type ApprovalEvent = z.output<typeof approvalEventSchema>;
