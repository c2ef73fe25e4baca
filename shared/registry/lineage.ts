// Lineage as a graph of nodes (datasets, profiles, runs, versions, aliases, outputs) and
// directed edges from what was used to what was made. Most edges are derived from the
// immutable version records and the current aliases, so they cannot drift from them; only
// facts the registry does not otherwise hold (batch scoring outputs) are recorded as edges.
import { z } from 'zod';
import { aliasNameSchema, modelNameSchema, runIdSchema, sha256Schema, versionNumberSchema } from './names.js';
import type { AliasRecord } from './alias.js';
import type { ModelVersion } from './model-version.js';

const uri = z.string().min(1).max(1024);

export const nodeRefSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('dataset'), sha256: sha256Schema, uri: uri.optional() }),
  z.strictObject({ kind: z.literal('profile'), uri }),
  z.strictObject({ kind: z.literal('run'), runId: runIdSchema }),
  z.strictObject({ kind: z.literal('version'), model: modelNameSchema, version: versionNumberSchema }),
  z.strictObject({ kind: z.literal('alias'), model: modelNameSchema, name: aliasNameSchema }),
  z.strictObject({ kind: z.literal('output'), uri }),
]);

export const edgeKindSchema = z.enum([
  'trained-on',
  'profiled-as',
  'baseline-of',
  'produced',
  'parent-of',
  'serves-as',
  'scored',
  'input-of',
]);

/** An edge someone records (batch scoring: version --scored--> output, input --input-of--> output). */
export const recordedEdgeSchema = z.strictObject({
  from: nodeRefSchema,
  to: nodeRefSchema,
  kind: edgeKindSchema,
});

export type NodeRef = z.output<typeof nodeRefSchema>;
export type EdgeKind = z.output<typeof edgeKindSchema>;
export type RecordedEdge = z.output<typeof recordedEdgeSchema>;

export interface LineageNode {
  readonly id: string;
  readonly ref: NodeRef;
}

export interface LineageEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: EdgeKind;
}

export interface LineageGraph {
  readonly nodes: LineageNode[];
  readonly edges: LineageEdge[];
}

export type Direction = 'upstream' | 'downstream' | 'both';

export function nodeId(ref: NodeRef): string {
  switch (ref.kind) {
    case 'dataset':
      return `dataset:${ref.sha256}`;
    case 'profile':
      return `profile:${ref.uri}`;
    case 'run':
      return `run:${ref.runId}`;
    case 'version':
      return `version:${ref.model}/${ref.version}`;
    case 'alias':
      return `alias:${ref.model}/${ref.name}`;
    case 'output':
      return `output:${ref.uri}`;
  }
}

function edgesOfVersion(version: ModelVersion): RecordedEdge[] {
  const self: NodeRef = { kind: 'version', model: version.model, version: version.version };
  const dataset: NodeRef = { kind: 'dataset', sha256: version.dataset.sha256, uri: version.dataset.uri };
  const run: NodeRef = { kind: 'run', runId: version.runId };
  const edges: RecordedEdge[] = [
    { from: dataset, to: run, kind: 'trained-on' },
    { from: run, to: self, kind: 'produced' },
  ];
  if (version.profile) {
    const profile: NodeRef = { kind: 'profile', uri: version.profile.uri };
    edges.push(
      { from: dataset, to: profile, kind: 'profiled-as' },
      { from: profile, to: self, kind: 'baseline-of' },
    );
  }
  if (version.parent !== undefined) {
    edges.push({
      from: { kind: 'version', model: version.model, version: version.parent },
      to: self,
      kind: 'parent-of',
    });
  }
  return edges;
}

function edgeOfAlias(alias: AliasRecord): RecordedEdge {
  return {
    from: { kind: 'version', model: alias.model, version: alias.version },
    to: { kind: 'alias', model: alias.model, name: alias.name },
    kind: 'serves-as',
  };
}

/** The whole lineage graph of one model: derived edges plus the recorded ones. */
export function modelGraph(
  versions: readonly ModelVersion[],
  aliases: readonly AliasRecord[],
  recorded: readonly RecordedEdge[],
): LineageGraph {
  const nodes = new Map<string, LineageNode>();
  const edges = new Map<string, LineageEdge>();
  const addNode = (ref: NodeRef): string => {
    const id = nodeId(ref);
    const known = nodes.get(id)?.ref;
    // A dataset's identity is its content hash; keep the first URI it was seen under.
    const keepKnown = known && !(known.kind === 'dataset' && !known.uri && ref.kind === 'dataset' && ref.uri);
    if (!keepKnown) nodes.set(id, { id, ref });
    return id;
  };
  const addEdge = (edge: RecordedEdge) => {
    const from = addNode(edge.from);
    const to = addNode(edge.to);
    edges.set(`${from} ${edge.kind} ${to}`, { from, to, kind: edge.kind });
  };
  for (const version of versions) {
    addNode({ kind: 'version', model: version.model, version: version.version });
    edgesOfVersion(version).forEach(addEdge);
  }
  aliases.map(edgeOfAlias).forEach(addEdge);
  recorded.forEach(addEdge);
  return { nodes: [...nodes.values()], edges: [...edges.values()] };
}

/** Everything reachable from `root` against (upstream) or along (downstream) the edges. */
export function subgraph(graph: LineageGraph, root: string, direction: Direction): LineageGraph {
  const reached = new Set<string>([root]);
  const kept = new Set<LineageEdge>();
  const walk = (forward: boolean) => {
    const queue = [root];
    const seen = new Set<string>([root]);
    while (queue.length > 0) {
      const at = queue.shift() as string;
      for (const edge of graph.edges) {
        const [near, far] = forward ? [edge.from, edge.to] : [edge.to, edge.from];
        if (near !== at) continue;
        kept.add(edge);
        reached.add(far);
        if (!seen.has(far)) {
          seen.add(far);
          queue.push(far);
        }
      }
    }
  };
  if (direction !== 'downstream') walk(false);
  if (direction !== 'upstream') walk(true);
  return {
    nodes: graph.nodes.filter((node) => reached.has(node.id)),
    edges: graph.edges.filter((edge) => kept.has(edge)),
  };
}
