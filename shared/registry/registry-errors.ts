// The registry's NOT_FOUND errors, each naming exactly what was looked up.
import { PlatformError } from '../errors.js';

export const modelNotFound = (model: string) =>
  new PlatformError('NOT_FOUND', `Model ${model} not found.`, { model });

export const versionNotFound = (model: string, version: number) =>
  new PlatformError('NOT_FOUND', `Version ${version} of model ${model} not found.`, { model, version });

export const aliasNotFound = (model: string, alias: string) =>
  new PlatformError('NOT_FOUND', `Alias ${alias} of model ${model} not found.`, { model, alias });

export const runNotFound = (model: string, runId: string) =>
  new PlatformError('NOT_FOUND', `Run ${runId} of model ${model} not found.`, { model, runId });

export function servedVersionConflict(
  model: string,
  version: number,
  aliases: readonly string[],
): PlatformError {
  return new PlatformError(
    'CONFLICT',
    `Version ${version} of model ${model} is served by alias ${aliases.join(', ')}; move the alias first.`,
    {
      model,
      version,
      aliases,
    },
  );
}
