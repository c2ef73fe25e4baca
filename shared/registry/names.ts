// Identifiers that end up in blob paths, Cosmos DB document ids and URLs. They are checked at
// every edge so that no name can smuggle a path segment, a query string or a second id in.
import { z } from 'zod';

const slug = /^[a-z0-9][a-z0-9-]{0,62}$/;
const slugRule =
  'must be 1 to 63 characters: lower-case letters, digits and dashes, starting with a letter or digit';

export const modelNameSchema = z.string().regex(slug, `a model name ${slugRule}`);
export const aliasNameSchema = z.string().regex(slug, `an alias ${slugRule}`);

/** Run ids come from the pipeline (`train-{model}-{sha}`); Cosmos DB ids may not hold / \ ? #. */
export const runIdSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._:-]{0,199}$/,
    'a run id must be 1 to 200 letters, digits, dots, dashes, colons or underscores',
  );

export const versionNumberSchema = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

export const sha256Schema = z
  .string()
  .regex(/^[a-f0-9]{64}$/, 'must be a lower-case hex SHA-256 (64 characters)');

/** Who did something: a principal name, a pipeline instance id, or `function-key` for a bare key. */
export const actorSchema = z.string().min(1).max(256);

export type ModelName = z.infer<typeof modelNameSchema>;
export type AliasName = z.infer<typeof aliasNameSchema>;
