// The model interface's metadata (DESIGN.md section 4): the metadata_props every served graph
// carries, written by the exporters and read by evaluation, serving and the registry. One
// schema says what the properties hold, so a reader never trusts a half-written model.
import { z } from 'zod';
import { PlatformError } from '../errors.js';
import { featureTypeSchema, taskSchema } from '../data/kinds.js';
import type { ModelFeature, TabularModel, Task } from './model.js';
import { readMetadata } from './onnx-graph.js';

export interface ModelInterface {
  task: Task;
  classes: string[];
  features: ModelFeature[];
}

const modelFeatureSchema = z.object({
  name: z.string().min(1),
  type: featureTypeSchema,
  categories: z.array(z.string()).optional(),
}) satisfies z.ZodType<ModelFeature>;

/** A JSON-encoded metadata property, parsed and then checked against its schema. */
function json<S extends z.ZodType>(schema: S) {
  return z
    .string()
    .transform((text, context) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        context.addIssue({ code: 'custom', message: 'not JSON' });
        return z.NEVER;
      }
    })
    .pipe(schema);
}

const metadataSchema = z.object({
  task: taskSchema,
  classes: json(z.array(z.string())).default([]),
  features: json(z.array(modelFeatureSchema)),
});

/** The metadata properties of an exported model: the interface plus the algorithm that produced it. */
export function interfaceMetadata(
  model: Pick<TabularModel, 'kind' | 'task' | 'classes' | 'features'>,
): Record<string, string> {
  return {
    task: model.task,
    algorithm: model.kind,
    classes: JSON.stringify(model.classes),
    features: JSON.stringify(model.features),
  };
}

/** The interface facts an exported model carries in its metadata_props. */
export function interfaceOf(bytes: Uint8Array): ModelInterface {
  const parsed = metadataSchema.safeParse(readMetadata(bytes));
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new PlatformError(
    'INVALID_INPUT',
    `The model lacks the task, classes or features metadata of the model interface (${issue?.path.join('.')}: ${issue?.message}).`,
    { property: issue?.path.join('.') },
  );
}
