// Where a version's immutable artifacts live (DESIGN.md section 4): the `models` container,
// `{model}/{version}/` holding `model.onnx`, `metadata.json` and `profile.json` (the drift
// baseline). Everything that writes or reads them takes the path from here.

export const artifactContainer = 'models';

export type ArtifactFile = 'model.onnx' | 'metadata.json' | 'profile.json';

/** Blob path inside the `models` container. */
export function artifactPath(model: string, version: number, file: ArtifactFile = 'model.onnx'): string {
  return `${model}/${version}/${file}`;
}

/** Container-relative URI, as the registry records it. */
export function artifactUri(model: string, version: number, file: ArtifactFile = 'model.onnx'): string {
  return `${artifactContainer}/${artifactPath(model, version, file)}`;
}
