// Lineage questions asked of a store: the model's whole graph, or what lies upstream or
// downstream of one of its versions or datasets.
import { modelGraph, nodeId, subgraph, type Direction, type LineageGraph, type NodeRef } from './lineage.js';
import { PlatformError } from '../errors.js';
import type { RegistryStore } from './registry-store.js';

export type LineageRoot = { kind: 'version'; version: number } | { kind: 'dataset'; sha256: string };

export async function modelLineage(
  store: RegistryStore,
  model: string,
  root?: LineageRoot,
  direction: Direction = 'both',
): Promise<LineageGraph> {
  const [versions, aliases, recorded] = await Promise.all([
    store.listVersions(model),
    store.listAliases(model),
    store.recordedLineage(model),
  ]);
  const graph = modelGraph(versions, aliases, recorded);
  if (!root) return graph;
  const ref: NodeRef =
    root.kind === 'version'
      ? { kind: 'version', model, version: root.version }
      : { kind: 'dataset', sha256: root.sha256 };
  const id = nodeId(ref);
  if (!graph.nodes.some((node) => node.id === id)) {
    throw new PlatformError(
      'NOT_FOUND',
      `${root.kind === 'version' ? `Version ${root.version}` : `Dataset ${root.sha256}`} has no lineage in model ${model}.`,
      { model, node: id },
    );
  }
  return subgraph(graph, id, direction);
}
