// Which version a scoring request gets: the one it pins (`?version=N` or `?alias=NAME`), or
// the model's deployment alias (champion unless the spec names another). The answer names the
// artifact and its checksum, for loadVerifiedArtifact.
import { PlatformError } from '../errors.js';
import type { ArtifactOwner } from '../artifacts/model-artifacts.js';
import type { RegistryStore } from './registry-store.js';

export type VersionPin = { version: number } | { alias: string } | undefined;

export interface ServableModel extends ArtifactOwner {
  /** The alias the version was reached through; absent when the request pinned a version. */
  readonly alias?: string;
}

export async function servableModel(
  store: RegistryStore,
  model: string,
  pin: VersionPin,
): Promise<ServableModel> {
  if (pin && 'version' in pin) {
    const version = await store.getVersion(model, pin.version);
    if (version.archived) {
      throw new PlatformError(
        'CONFLICT',
        `Version ${pin.version} of model ${model} is archived and is not served.`,
        { model, version: pin.version },
      );
    }
    return { model, version: version.version, artifact: version.artifact };
  }
  const alias = pin?.alias ?? (await store.getModel(model)).spec.deployment.alias;
  const resolved = await store.resolve(model, alias);
  return { model, version: resolved.version, artifact: resolved.artifact, alias };
}
