// Places a lineage graph in columns by kind of node, from data to what was made of it:
// data set → profile / run → version → alias / batch output. Pure, so it is tested alone.
import type { LineageGraph, LineageNode } from './types.js';

export interface PlacedNode {
  readonly id: string;
  readonly kind: LineageNode['ref']['kind'];
  readonly label: string;
  readonly detail: string;
  readonly x: number;
  readonly y: number;
}

export interface PlacedEdge {
  readonly from: PlacedNode;
  readonly to: PlacedNode;
  readonly kind: string;
}

export interface LineageLayout {
  readonly nodes: PlacedNode[];
  readonly edges: PlacedEdge[];
  readonly width: number;
  readonly height: number;
}

export const nodeSize = { width: 176, height: 48 };
const gap = { x: 64, y: 20 };
const column: Record<PlacedNode['kind'], number> = {
  dataset: 0,
  profile: 1,
  run: 1,
  version: 2,
  alias: 3,
  output: 3,
};

function tail(uri: string): string {
  return uri.split('/').filter(Boolean).slice(-2).join('/');
}

function labelOf(ref: LineageNode['ref']): { label: string; detail: string } {
  switch (ref.kind) {
    case 'dataset':
      return { label: ref.uri ? tail(ref.uri) : 'data set', detail: `sha256 ${ref.sha256.slice(0, 12)}` };
    case 'profile':
      return { label: 'profile', detail: tail(ref.uri) };
    case 'run':
      return { label: 'run', detail: ref.runId };
    case 'version':
      return { label: `version ${ref.version}`, detail: ref.model };
    case 'alias':
      return { label: ref.name, detail: 'alias' };
    case 'output':
      return { label: 'batch output', detail: tail(ref.uri) };
  }
}

/**
 * Rows follow versions: each node sits level with the lowest version it touches, so a version's
 * run and profile line up with it and edges rarely cross.
 */
function rowKeys(graph: LineageGraph): Map<string, number> {
  const versions = new Map<string, number>();
  for (const node of graph.nodes) if (node.ref.kind === 'version') versions.set(node.id, node.ref.version);
  const keys = new Map(versions);
  for (const edge of graph.edges) {
    for (const [near, far] of [
      [edge.from, edge.to],
      [edge.to, edge.from],
    ] as const) {
      const version = versions.get(far);
      if (version === undefined || versions.has(near)) continue;
      keys.set(near, Math.min(keys.get(near) ?? Infinity, version));
    }
  }
  return keys;
}

export function layoutLineage(graph: LineageGraph): LineageLayout {
  const columns = new Map<number, LineageNode[]>();
  for (const node of graph.nodes) {
    const index = column[node.ref.kind];
    columns.set(index, [...(columns.get(index) ?? []), node]);
  }
  const keys = rowKeys(graph);
  const order = (node: LineageNode) =>
    [keys.get(node.id) ?? Infinity, node.ref.kind, labelOf(node.ref).label] as const;
  const compare = (a: LineageNode, b: LineageNode) => {
    const [x, y] = [order(a), order(b)];
    return x[0] - y[0] || x[1].localeCompare(y[1]) || x[2].localeCompare(y[2]);
  };
  const placed = new Map<string, PlacedNode>();
  let rows = 0;
  for (const [index, nodes] of columns) {
    const sorted = [...nodes].sort(compare);
    rows = Math.max(rows, sorted.length);
    sorted.forEach((node, row) => {
      placed.set(node.id, {
        id: node.id,
        kind: node.ref.kind,
        ...labelOf(node.ref),
        x: index * (nodeSize.width + gap.x),
        y: row * (nodeSize.height + gap.y),
      });
    });
  }
  const edges = graph.edges.flatMap((edge) => {
    const from = placed.get(edge.from);
    const to = placed.get(edge.to);
    return from && to ? [{ from, to, kind: edge.kind }] : [];
  });
  const used = [...columns.keys()];
  return {
    nodes: [...placed.values()],
    edges,
    width: used.length === 0 ? 0 : (Math.max(...used) + 1) * nodeSize.width + Math.max(...used) * gap.x,
    height: rows === 0 ? 0 : rows * nodeSize.height + (rows - 1) * gap.y,
  };
}
